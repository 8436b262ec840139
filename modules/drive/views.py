"""Plain HTTP of the drive: a version's bytes as a download or an inline preview, and a plain
single-request upload. Readers come signed in (bearer) or with a signed link the workbench asked
for (`createSignedLink`), so a preview opens in a new tab, an <img> or an <iframe>. Who may read
is checked as the person every time (access.py); anything they may not read is a 404, the same
as a version that does not exist."""

from __future__ import annotations

from urllib.parse import quote

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpResponse, HttpResponseNotAllowed, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from graphql_relay import to_global_id

from jianlian.core.errors import DomainError, error_response
from jianlian.identity.signed_links import accepts_signed_link
from jianlian.marketplace.composition import app_view
from modules.drive import actions
from modules.drive.tus import STATUS, _body


def _for(request, stream):
    """Under ASGI Django would read a synchronous iterator into one list before sending it (a
    1 GB file in memory); hand it an asynchronous one that decrypts record by record instead."""
    if not isinstance(request, ASGIRequest):
        return stream

    async def records():
        while (piece := await sync_to_async(next, thread_sensitive=False)(stream, None)) is not None:
            yield piece

    return records()


def _serve(request, version_id: int, kind: str):
    try:
        version, stream = actions.open_version(request.user, version_id, kind=kind)
    except DomainError as e:
        return error_response(e.code, e.message, 415 if e.code == "DRIVE_NO_PREVIEW" else 404)
    response = StreamingHttpResponse(_for(request, stream), content_type=version.content_type)
    response["Content-Length"] = str(version.size)
    disposition = "inline" if kind == "preview" else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(version.file.name)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if kind == "preview":
        # only images and PDF (no SVG, so no scripts): the workbench may frame it, the PDF viewer may run
        response._csp_replace = {"frame-ancestors": ["'self'"], "object-src": ["'self'"]}
        response.xframe_options_exempt = True
        response["X-Frame-Options"] = "SAMEORIGIN"
    return response


@accepts_signed_link
@app_view("drive")
def download(request, version_id: int):
    return _serve(request, version_id, "download")


@accepts_signed_link
@app_view("drive")
def preview(request, version_id: int):
    return _serve(request, version_id, "preview")


@csrf_exempt
@app_view("drive")
def plain_upload(request, folder_id: int):
    """POST the whole file as the body (`X-Filename`, Content-Type, Content-Length): for small
    files and scripts; large files go through tus."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        length = int(request.headers.get("Content-Length", ""))
    except ValueError:
        return error_response("DRIVE_UPLOAD_MISMATCH", _("缺少 Content-Length。"), 411)
    try:
        version = actions.upload_whole(request.user, folder_id, filename=request.headers.get("X-Filename", ""),
                                       content_type=request.content_type or "", length=length, chunks=_body(request))
    except DomainError as e:
        return error_response(e.code, e.message, STATUS.get(e.code, 400))
    return HttpResponse(status=201, headers={"Drive-File": to_global_id("DriveFile", version.file_id)})
