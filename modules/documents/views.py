"""Reading copies at /apps/documents/…: the PDF with the reader's own name and the time stamped
across every page, and the .docx for the drafters. Both open in a new tab through a signed link
the workbench asks for (`createSignedLink`); the view still checks, as the person, what they may see."""

from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from jianlian.core.errors import DomainError, error_response
from jianlian.identity.signed_links import accepts_signed_link
from jianlian.marketplace.composition import app_view
from modules.documents import access, outgoing, render


def _file(data: bytes, content_type: str, filename: str, inline: bool) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"{'inline' if inline else 'attachment'}; filename*=UTF-8''{quote(filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _stamp(user) -> str:
    return f"{user.real_name or user.get_username()} {timezone.localtime():%Y-%m-%d %H:%M}"


def outgoing_sheet(doc) -> render.Sheet:
    return render.Sheet(issuer=doc.issuer, title=doc.title, number=doc.number, main_to=outgoing.names(doc.main_to),
                        copy_to=outgoing.names(doc.copy_to), paragraphs=render.paragraphs(doc.body),
                        signed_on=timezone.localdate(doc.signed_at) if doc.signed_at else None)


def incoming_sheet(doc) -> render.Sheet:
    return render.Sheet(issuer=doc.issuer, title=doc.title, number=doc.number, main_to=doc.main_to, copy_to=doc.copy_to,
                        paragraphs=render.paragraphs(doc.body), signed_on=doc.signed_on or timezone.localdate(doc.created_at))


@accepts_signed_link
@app_view("documents")
def outgoing_pdf(request, doc_id: int):
    try:
        doc = access.access_outgoing(request.user, doc_id)
    except DomainError as e:
        return error_response(e.code, e.message, 404)
    pdf = render.watermark(render.render_pdf(outgoing_sheet(doc)), _stamp(request.user))
    return _file(pdf, "application/pdf", f"{doc.number or doc.title}.pdf", inline=True)


@accepts_signed_link
@app_view("documents")
def outgoing_docx(request, doc_id: int):
    try:
        doc = access.access_outgoing(request.user, doc_id)
        if "DOWNLOAD_DOCX" not in outgoing.available_actions(request.user, doc):
            raise DomainError("NOT_FOUND", _("只有拟稿人可以下载 Word 文件。"))
    except DomainError as e:
        return error_response(e.code, e.message, 404)
    data = render.render_docx(outgoing_sheet(doc))
    return _file(data, "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 f"{doc.number or doc.title}.docx", inline=False)


@accepts_signed_link
@app_view("documents")
def incoming_pdf(request, doc_id: int):
    try:
        doc = access.access_incoming(request.user, doc_id)
    except DomainError as e:
        return error_response(e.code, e.message, 404)
    pdf = render.watermark(render.render_pdf(incoming_sheet(doc)), _stamp(request.user))
    return _file(pdf, "application/pdf", f"{doc.number or doc.title}.pdf", inline=True)
