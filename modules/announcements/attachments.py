"""Files and images of a post, uploaded Base64-encoded through GraphQL (as referrals do), kept in
the tenant's schema and served only to people who may read the post (`views.download`)."""

from __future__ import annotations

import base64
import hashlib

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from jianlian.audit import service as audit
from jianlian.core.errors import DomainError, NotFoundError
from modules.announcements import access
from modules.announcements.actions import EDITABLE
from modules.announcements.models import Attachment

OFFICE = b"PK\x03\x04"
TYPES = {  # content type -> the bytes the file must start with
    "application/pdf": b"%PDF",
    "image/jpeg": b"\xff\xd8\xff",
    "image/png": b"\x89PNG\r\n\x1a\n",
    "image/gif": b"GIF8",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": OFFICE,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": OFFICE,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": OFFICE,
}
MAX_ATTACHMENTS = 20


def url(att: Attachment) -> str:
    return f"/apps/announcements/attachments/{att.pk}"


def add_attachment(user, post_id: int, *, filename: str, content_type: str, data_base64: str) -> Attachment:
    """Attach a file or image to a draft. Who: the column's editors."""
    filename = (filename or "").strip()[:120]
    if not filename:
        raise DomainError("REQUIRED", _("请填写文件名。"), "filename")
    if content_type not in TYPES:
        raise DomainError("ATTACHMENT_TYPE", _("附件只能是 PDF、Word、Excel、PPT 或 JPG、PNG、GIF 图片。"), "contentType")
    try:
        data = base64.b64decode(data_base64 or "", validate=True)
    except (ValueError, TypeError):
        raise DomainError("INVALID", _("附件内容不是有效的 Base64 编码。"), "data") from None
    if len(data) > settings.UPLOAD_MAX_BYTES:
        raise DomainError("ATTACHMENT_TOO_LARGE", _("附件不能超过%(n)sMB。") % {"n": settings.UPLOAD_MAX_BYTES // 2**20}, "data")
    if not data.startswith(TYPES[content_type]):
        raise DomainError("ATTACHMENT_TYPE", _("文件内容与所选类型不符。"), "data")
    with transaction.atomic():
        post = access.access_post(user, post_id, edit=True, for_update=True)
        if post.status not in EDITABLE:
            raise DomainError("POST_NOT_EDITABLE", _("已发布的公告不能再添加附件。"))
        if post.attachments.count() >= MAX_ATTACHMENTS:
            raise DomainError("INVALID", _("附件最多%(n)s个。") % {"n": MAX_ATTACHMENTS}, "data")
        att = Attachment.objects.create(post=post, filename=filename, content_type=content_type, size=len(data),
                                        sha256=hashlib.sha256(data).hexdigest(), data=data)
        audit.record("announcements.attach", actor=user, target=post, after={"filename": filename, "size": len(data)})
    return att


def remove_attachment(user, attachment_id: int) -> None:
    with transaction.atomic():
        att = Attachment.objects.select_related("post__column").filter(pk=attachment_id).first()
        if att is None or not access.may_edit(user, att.post):
            raise NotFoundError(field="attachment")
        if att.post.status not in EDITABLE:
            raise DomainError("POST_NOT_EDITABLE", _("已发布的公告不能再删除附件。"))
        audit.record("announcements.detach", actor=user, target=att.post, after={"filename": att.filename})
        att.delete()


def readable_attachment(user, attachment_id: int) -> Attachment:
    """An attachment of a post the caller may read; NotFound alike otherwise."""
    att = Attachment.objects.filter(pk=attachment_id).first()
    if att is None:
        raise NotFoundError()
    access.access_post(user, att.post_id)
    return att
