"""Attachment downloads at /apps/announcements/attachments/<id>: only for people who may read
the post (the marketplace gate, then `readable_attachment`), signed in or holding a signed link
the workbench asked for (`createSignedLink`)."""

from urllib.parse import quote

from django.http import HttpResponse

from jianlian.core.errors import DomainError, error_response
from jianlian.identity.signed_links import accepts_signed_link
from jianlian.marketplace.composition import app_view
from modules.announcements.attachments import readable_attachment


@accepts_signed_link  # the workbench's bearer token cannot ride on <img src> or a download
@app_view("announcements")
def download(request, attachment_id: int):
    try:
        att = readable_attachment(request.user, attachment_id)
    except DomainError as e:
        return error_response(e.code, e.message, 404)
    response = HttpResponse(bytes(att.data), content_type=att.content_type)
    inline = "inline" if att.content_type.startswith("image/") else "attachment"
    response["Content-Disposition"] = f"{inline}; filename*=UTF-8''{quote(att.filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=300"
    return response
