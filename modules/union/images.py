"""Photos and pictures the union shows (工会图集, 惠在协和): checked on the way in, served by a
capability URL on the way out. An <img> cannot carry the workbench's bearer token, so each image
has a stable signed path (`/apps/union/images/<token>`): unguessable, and worthless for any other
file. The token names the table and the row, signed with the project's secret."""

from __future__ import annotations

import base64

from django.core import signing
from django.utils.translation import gettext as _

from jianlian.core.errors import DomainError

MAX_BYTES = 10 * 1024 * 1024
MAGIC = {b"\xff\xd8\xff": ".jpg", b"\x89PNG\r\n\x1a\n": ".png", b"RIFF": ".webp"}
_SIGNER = signing.Signer(salt="modules.union.images")


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


def url(kind: str, pk: int) -> str:
    """The image's path inside the tenant (the frontend prefixes /t/<tenant>)."""
    return f"/apps/union/images/{_SIGNER.sign(f'{kind}.{pk}')}"


def unsign(token: str) -> tuple[str, int] | None:
    try:
        kind, pk = _SIGNER.unsign(token).split(".")
        return kind, int(pk)
    except (signing.BadSignature, ValueError):
        return None


def file_of(token: str):
    """The stored file a token names, or None."""
    from modules.union.activity_models import ActivityPhoto
    from modules.union.extras_models import AlbumPhoto, Offer

    found = unsign(token)
    if found is None:
        return None
    model = {"activity": ActivityPhoto, "album": AlbumPhoto, "offer": Offer}.get(found[0])
    row = model.objects.filter(pk=found[1]).first() if model else None
    field = getattr(row, "image", None)
    return field if field else None
