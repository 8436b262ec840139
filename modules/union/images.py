"""Photos and pictures the union shows (工会图集, 惠在协和): checked on the way in, served to the
people who may see them on the way out. An <img> cannot carry the workbench's bearer token, so
the GraphQL that lists an image hands out a link signed for the viewer (the platform's
`signed_links`, one hour) to `/apps/union/images/<kind>/<id>`; the view checks again, as that
person, the rule of the list (`readable_file`)."""

from __future__ import annotations

import base64

from django.utils.translation import gettext as _

from jianlian.core.errors import DomainError, NotFoundError

MAX_BYTES = 10 * 1024 * 1024
MAGIC = {b"\xff\xd8\xff": ".jpg", b"\x89PNG\r\n\x1a\n": ".png", b"RIFF": ".webp"}


def decode(data_base64: str, field: str = "image") -> tuple[bytes, str]:
    """The image bytes and their file suffix; INVALID unless a JPG, PNG or WebP up to 10MB."""
    try:
        data = base64.b64decode((data_base64 or "").split(",")[-1], validate=True)
    except (ValueError, TypeError):
        raise DomainError("INVALID", _("图片内容不是有效的 Base64 编码。"), field) from None
    if not data:
        raise DomainError("REQUIRED", _("请选择图片。"), field)
    if len(data) > MAX_BYTES:
        raise DomainError("INVALID", _("图片不能超过10MB。"), field)
    suffix = next((s for magic, s in MAGIC.items() if data.startswith(magic)), None)
    if suffix is None or (suffix == ".webp" and data[8:12] != b"WEBP"):
        raise DomainError("INVALID", _("图片须为 JPG、PNG 或 WebP 格式。"), field)
    return data, suffix


def link(viewer, kind: str, pk: int) -> str | None:
    """A link to the image for `viewer` (with the tenant prefix), valid for an hour
    (`signed_links.IMAGE_MAX_AGE`); None for an external app's token (no person to bind it to)."""
    from jianlian.identity.signed_links import IMAGE_MAX_AGE, create_link
    from tenants.context import current_tenant

    if getattr(viewer, "is_app", False) or getattr(viewer, "pk", None) is None:
        return None
    return create_link(viewer, current_tenant(), f"/apps/union/images/{kind}/{pk}", max_age=IMAGE_MAX_AGE)


def readable_file(user, kind: str, pk: int):
    """The stored file of an image `user` may see — by the rule of the list that showed it (the
    album's, the activity's, the offer's) — or NOT_FOUND."""
    from modules.union import activities, gallery, offers
    from modules.union.activity_models import ActivityPhoto
    from modules.union.extras_models import AlbumPhoto

    if kind == "album":
        photo = AlbumPhoto.objects.filter(pk=pk).first()
        row = photo if photo is not None and gallery.access_album(user, photo.album_id) else None
    elif kind == "activity":
        photo = ActivityPhoto.objects.filter(pk=pk).first()
        row = photo if photo is not None and activities.access_activity(user, photo.activity_id) else None
    elif kind == "offer":
        row = offers.access_offer(user, pk)
    else:
        row = None
    if row is None or not row.image:
        raise NotFoundError(_("图片不存在。"), field="image")
    return row.image
