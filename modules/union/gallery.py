"""工会图集: albums of photos. An officer opens a free album for their node, or the album of an
activity of their part (one per activity: its photos afterwards, including those added with
`activities.add_photo`). Members of the node's subtree browse them; looking at an album's photos
the first time earns reading points (the README's `reading` rule, once per member and album)."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jianlian.audit import service as audit
from jianlian.core.errors import NotFoundError
from modules.union import access, activities, images, points
from modules.union.activity_models import ActivityPhoto
from modules.union.extras_models import Album, AlbumPhoto
from modules.union.library import _text

MAX_PHOTOS = 200


def create_album(actor, *, node_id: int | None = None, activity_id: int | None = None, title: str = "",
                 description: str = "") -> Album:
    """A free album of a node the officer manages, or the album of an activity they manage (the
    activity's album if it has one already)."""
    if activity_id:
        activity = activities.access_activity(actor, activity_id, manage=True)
        try:
            with transaction.atomic():
                album, made = Album.objects.get_or_create(activity=activity, defaults={
                    "node": activity.node, "title": _text(title, "title", 100, False) or activity.title,
                    "description": _text(description, "description", 300, False), "created_by": actor.pk})
        except IntegrityError:
            album, made = Album.objects.get(activity=activity), False
    else:
        node = access.access_node(actor, node_id)
        album, made = Album.objects.create(node=node, title=_text(title, "title", 100),
                                           description=_text(description, "description", 300, False),
                                           created_by=actor.pk), True
    if made:
        audit.record("union.create_album", actor=actor, target=album, after={"title": album.title})
    return album


def access_album(user, album_id: int, *, manage: bool = False) -> Album:
    album = Album.objects.select_related("node").filter(pk=album_id).first()
    if album is not None:
        if access.manages_path(user, album.node.path):
            return album
        if not manage:
            member = access.member_of(user)
            if member.path.startswith(album.node.path):
                return album
    raise NotFoundError(_("图集不存在或您无权查看。"), field="album")


def add_photo(actor, album_id: int, data_base64: str, caption: str = "") -> AlbumPhoto:
    """An officer of the album's node adds a photo (JPG, PNG or WebP up to 10MB)."""
    album = access_album(actor, album_id, manage=True)
    data, suffix = images.decode(data_base64)
    if photo_count(album) >= MAX_PHOTOS:
        from jianlian.core.errors import DomainError

        raise DomainError("INVALID", _("每个图集最多%(n)s张照片。") % {"n": MAX_PHOTOS}, "image")
    with transaction.atomic():
        photo = AlbumPhoto(album=album, caption=_text(caption, "caption", 100, False), uploaded_by=actor.pk)
        photo.image.save(f"album{album.pk}{suffix}", ContentFile(data), save=True)
    return photo


def _rows(album: Album) -> list[tuple[str, int, str]]:
    """(kind, id, caption) of the album's photos, oldest first."""
    rows = [("album", p.pk, p.caption, p.created_at) for p in album.photos.all()]
    if album.activity_id:
        rows += [("activity", p.pk, p.caption, p.created_at) for p in ActivityPhoto.objects.filter(activity_id=album.activity_id)]
    rows.sort(key=lambda r: r[3])
    return [r[:3] for r in rows]


def photos(album: Album, viewer) -> list[dict]:
    """The album's photos, oldest first: {url, caption}, each url a link signed for `viewer`."""
    return [{"url": images.link(viewer, kind, pk), "caption": caption} for kind, pk, caption in _rows(album)]


def cover(album: Album, viewer) -> tuple[int, str | None]:
    """How many photos the album has, and a link (for `viewer`) to its first one."""
    rows = _rows(album)
    return len(rows), images.link(viewer, *rows[0][:2]) if rows else None


def photo_count(album: Album) -> int:
    extra = ActivityPhoto.objects.filter(activity_id=album.activity_id).count() if album.activity_id else 0
    return album.photos.count() + extra


def visible(user):
    return Album.objects.filter(access.scope_q(user)).select_related("node").order_by("-created_at", "-pk")


def view(user, album_id: int) -> Album:
    """A member looks at an album: reading points the first time."""
    album = access_album(user, album_id)
    points.award_reading(user.pk, f"album:{album.pk}")
    return album
