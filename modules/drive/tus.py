"""The tus 1.0.0 resumable upload protocol (core, creation and termination extensions) at
/t/<tenant>/apps/drive/tus/ — the browser's `tus-js-client` speaks it.

    POST   tus/                 create: Upload-Length, Upload-Metadata (folder, filename, filetype,
                                optional file for a new version); 201 with Location. The folder
                                must be one the caller manages; the quota is checked here, before
                                any byte is accepted (413 DRIVE_QUOTA_EXCEEDED).
    HEAD   tus/<id>             Upload-Offset: how many bytes the server holds — where to resume.
    PATCH  tus/<id>             bytes at Upload-Offset (409 when it is not the server's offset);
                                the last PATCH turns the upload into a file version.
    DELETE tus/<id>             termination: the staged bytes and the quota reservation go.

Expiration: every answer about an upload carries Upload-Expires, a day after the last bytes
arrived; after it the upload answers 404 (start again), holds no quota, and the hourly
`expire_uploads` task deletes its staged bytes.

Every request is the signed-in caller's (bearer token, as the workbench sends it); an upload is
its owner's only — anyone else, even a manager of the same folder, gets 404. Why the core is
written here rather than taken from a library: see README.md.
"""

from __future__ import annotations

import base64
import binascii

from django.db import transaction
from django.http import HttpResponse
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from graphql_relay import from_global_id, to_global_id

from jianlian.core.errors import DomainError, error_response
from jianlian.marketplace.composition import app_view
from modules.drive import actions, crypto
from modules.drive.models import Upload

VERSION = "1.0.0"
EXTENSIONS = "creation,termination,expiration"
MAX_SIZE = 64 * 1024 ** 3
STATUS = {"NOT_FOUND": 404, "PERMISSION_DENIED": 404, "DRIVE_NOT_MANAGER": 403, "DRIVE_QUOTA_EXCEEDED": 413,
          "DRIVE_UPLOAD_MISMATCH": 409}


def _tus(response: HttpResponse) -> HttpResponse:
    response["Tus-Resumable"] = VERSION
    response["Cache-Control"] = "no-store"
    return response


def _expires(response: HttpResponse, upload: Upload) -> HttpResponse:
    response["Upload-Expires"] = http_date(actions.expires_at(upload).timestamp())
    return response


def _error(e: DomainError) -> HttpResponse:
    return _tus(error_response(e.code, e.message, STATUS.get(e.code, 400)))


def _bad(message: str, status: int = 400, code: str = "DRIVE_UPLOAD_MISMATCH") -> HttpResponse:
    return _tus(error_response(code, message, status))


def _options() -> HttpResponse:
    response = _tus(HttpResponse(status=204))
    response["Tus-Version"] = VERSION
    response["Tus-Extension"] = EXTENSIONS
    response["Tus-Max-Size"] = str(MAX_SIZE)
    return response


def _metadata(header: str) -> dict[str, str]:
    out = {}
    for pair in filter(None, (p.strip() for p in (header or "").split(","))):
        key, _sep, value = pair.partition(" ")
        try:
            out[key] = base64.b64decode(value, validate=True).decode() if value else ""
        except (binascii.Error, UnicodeDecodeError):
            raise DomainError("DRIVE_UPLOAD_MISMATCH", _("Upload-Metadata 格式不正确。"), key) from None
    return out


def _pk(value: str | None, type_name: str, field: str) -> int | None:
    if not value:
        return None
    try:
        kind, pk = from_global_id(value)
        if kind != type_name:
            raise ValueError
        return int(pk)
    except (ValueError, TypeError, UnicodeDecodeError, binascii.Error):
        raise DomainError("INVALID_ID", _("ID 格式不正确。"), field) from None


def _version_mismatch(request) -> HttpResponse | None:
    if request.headers.get("Tus-Resumable") != VERSION:
        response = _bad(_("仅支持 tus 1.0.0 协议。"), 412)
        response["Tus-Version"] = VERSION
        return response
    return None


@csrf_exempt
@app_view("drive")
def endpoint(request):
    if request.method == "OPTIONS":
        return _options()
    if request.method != "POST":
        return _tus(HttpResponse(status=405))
    refused = _version_mismatch(request)
    if refused:
        return refused
    if request.headers.get("Upload-Defer-Length"):
        return _bad(_("不支持延后声明文件长度。"))
    try:
        length = int(request.headers.get("Upload-Length", ""))
    except ValueError:
        return _bad(_("缺少或无效的 Upload-Length。"))
    if length > MAX_SIZE:
        return _bad(_("文件过大。"), 413)
    try:
        meta = _metadata(request.headers.get("Upload-Metadata", ""))
        folder_id = _pk(meta.get("folder"), "DriveFolder", "folder")
        if folder_id is None:
            raise DomainError("REQUIRED", _("缺少目标文件夹。"), "folder")
        upload = actions.start_upload(request.user, folder_id, filename=meta.get("filename", ""),
                                      content_type=meta.get("filetype", ""), length=length,
                                      file_id=_pk(meta.get("file"), "DriveFile", "file"))
    except DomainError as e:
        return _error(e)
    response = _expires(_tus(HttpResponse(status=201)), upload)
    response["Location"] = f"{request.path.rstrip('/')}/{upload.pk}"
    return response


def _body(request):
    while True:
        data = request.read(crypto.CHUNK)
        if not data:
            return
        yield data


@csrf_exempt
@app_view("drive")
def upload(request, upload_id):
    if request.method == "OPTIONS":
        return _options()
    refused = _version_mismatch(request)
    if refused:
        return refused
    owned = actions.live_uploads().filter(pk=upload_id, owner_id=request.user.pk)
    if request.method == "HEAD":
        row = owned.first()
        if row is None:
            return _tus(HttpResponse(status=404))
        response = _expires(_tus(HttpResponse(status=200)), row)
        response["Upload-Offset"] = str(row.offset)
        response["Upload-Length"] = str(row.length)
        return response
    if request.method == "DELETE":
        with transaction.atomic():
            row = owned.select_for_update().first()
            if row is None:
                return _tus(HttpResponse(status=404))
            actions.cancel_upload(row)
        return _tus(HttpResponse(status=204))
    if request.method != "PATCH":
        return _tus(HttpResponse(status=405))
    if request.content_type != "application/offset+octet-stream":
        return _bad(_("请求的 Content-Type 须为 application/offset+octet-stream。"), 415)
    try:
        offset = int(request.headers.get("Upload-Offset", ""))
    except ValueError:
        return _bad(_("缺少或无效的 Upload-Offset。"))
    try:
        with transaction.atomic():
            row = owned.select_for_update(of=("self",)).select_related("key", "folder", "file").first()
            if row is None:
                return _tus(HttpResponse(status=404))
            if offset != row.offset:
                response = _bad(_("续传位置不一致：服务器已有 %(n)s 字节。") % {"n": row.offset}, 409)
                response["Upload-Offset"] = str(row.offset)
                return response
            actions.check_target(request.user, row.folder_id, row.file_id)  # still a manager of the folder
            actions.append(row, _body(request))
            version = actions.finish(request.user, row) if row.offset >= row.length else None
    except DomainError as e:
        return _error(e)
    response = _tus(HttpResponse(status=204)) if version is not None else _expires(_tus(HttpResponse(status=204)), row)
    response["Upload-Offset"] = str(row.offset)
    if version is not None:
        response["Drive-File"] = to_global_id("DriveFile", version.file_id)
    return response
