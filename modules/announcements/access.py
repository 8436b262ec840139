"""Who may read, publish and manage — each helper fetches and checks in one call. NOT_FOUND alike
for a missing post and one the caller may not see.

Readers: the people the post was published to, i.e. those holding a copy of its notification
(`notifications.Delivery`), while it is published and not expired. Editors: the column's
administrators and holders of `announcements.manage`, who also see drafts and expired posts.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from jianlian.access.checks import has_perm
from jianlian.core.errors import NotFoundError, PermissionDeniedError
from jianlian.notifications.models import Delivery
from modules.announcements.models import Column, Post, Status

MANAGE = "announcements.manage"


def is_manager(user) -> bool:
    from jianlian.access.helpers import require_tenant

    return getattr(user, "pk", None) is not None and has_perm(user, MANAGE, require_tenant().org_unit)


def may_publish(user, column: Column) -> bool:
    return getattr(user, "pk", None) is not None and (user.pk in (column.admin_ids or []) or is_manager(user))


def editable_columns(user):
    if is_manager(user):
        return Column.objects.all()
    return Column.objects.filter(admin_ids__contains=[user.pk]) if getattr(user, "pk", None) else Column.objects.none()


def may_edit(user, post: Post) -> bool:
    return may_publish(user, post.column)


def live(now=None) -> Q:
    now = now or timezone.now()
    return Q(status=Status.PUBLISHED) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))


def received(user) -> Q:
    return Q(notification_id__in=Delivery.objects.filter(user_id=user.pk).values("notification_id"))


def readable_posts(user):
    """Published, unexpired posts the person is in the audience of."""
    if getattr(user, "pk", None) is None:
        return Post.objects.none()
    return Post.objects.filter(live() & received(user))


def visible_posts(user):
    """What the person may open: what they may read, and everything of the columns they edit."""
    if getattr(user, "pk", None) is None:
        return Post.objects.none()
    if is_manager(user):
        return Post.objects.all()
    mine = Q(column__in=editable_columns(user))
    return Post.objects.filter((live() & received(user)) | mine)


def is_recipient(user, post: Post) -> bool:
    return bool(post.notification_id) and Delivery.objects.filter(notification_id=post.notification_id, user_id=user.pk).exists()


def may_read(user, post: Post) -> bool:
    if getattr(user, "pk", None) is None:
        return False
    if may_edit(user, post):
        return True
    return post.status == Status.PUBLISHED and (post.expires_at is None or post.expires_at > timezone.now()) \
        and is_recipient(user, post)


def access_post(user, post_id: int, *, edit: bool = False, for_update: bool = False) -> Post:
    qs = Post.objects.select_related("column")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    post = qs.filter(pk=post_id).first()
    if post is None or not may_read(user, post):
        raise NotFoundError(field="id")
    if edit and not may_edit(user, post):
        raise PermissionDeniedError()
    return post


def access_column(user, column_id: int, *, publish: bool = False) -> Column:
    column = Column.objects.filter(pk=column_id).first()
    if column is None:
        raise NotFoundError(field="column")
    if publish and not may_publish(user, column):
        raise PermissionDeniedError()
    return column
