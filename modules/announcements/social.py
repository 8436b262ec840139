"""Comments and likes on posts, each switchable per column; column editors hide comments."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jianlian.audit import service as audit
from jianlian.core.errors import DomainError, NotFoundError
from modules.announcements import access
from modules.announcements.models import Comment, Like, Post, Status

MAX_COMMENT = 500


def _readable(user, post_id: int) -> Post:
    post = access.access_post(user, post_id)
    if post.status != Status.PUBLISHED:
        raise DomainError("POST_NOT_PUBLISHED", _("公告尚未发布。"))
    return post


def comment(user, post_id: int, text: str) -> Comment:
    """Comment on a post one may read, where its column takes comments."""
    text = (text or "").strip()
    if not text:
        raise DomainError("REQUIRED", _("请填写评论内容。"), "text")
    if len(text) > MAX_COMMENT:
        raise DomainError("TOO_LONG", _("评论不能超过%(n)s个字。") % {"n": MAX_COMMENT}, "text")
    with transaction.atomic():
        post = _readable(user, post_id)
        if not post.column.comments_enabled:
            raise DomainError("COMMENTS_DISABLED", _("该栏目未开放评论。"))
        c = Comment.objects.create(post=post, user_id=user.pk, user_name=getattr(user, "real_name", "") or user.get_username(),
                                   text=text)
        audit.record("announcements.comment", actor=user, target=c, after={"post": post.pk})
    return c


def hide_comment(user, comment_id: int, hidden: bool = True) -> Comment:
    """Hide (or show again) a comment. Who: the editors of the post's column."""
    with transaction.atomic():
        c = Comment.objects.select_related("post__column").filter(pk=comment_id).first()
        if c is None or not access.may_edit(user, c.post):
            raise NotFoundError(field="comment")
        c.hidden, c.hidden_by_id = bool(hidden), user.pk if hidden else None
        c.save(update_fields=["hidden", "hidden_by_id"])
        audit.record("announcements.hide_comment", actor=user, target=c, after={"hidden": c.hidden})
    return c


def like(user, post_id: int, liked: bool = True) -> Post:
    """Like a post one may read (or take the like back), where its column takes likes."""
    post = _readable(user, post_id)
    if not post.column.likes_enabled:
        raise DomainError("LIKES_DISABLED", _("该栏目未开放点赞。"))
    if liked:
        try:
            with transaction.atomic():
                Like.objects.create(post=post, user_id=user.pk)
        except IntegrityError:
            pass  # liked already: once per person
    else:
        Like.objects.filter(post=post, user_id=user.pk).delete()
    return post


def visible_comments(user, post: Post):
    qs = post.comments.all()
    return qs if access.may_edit(user, post) else qs.filter(hidden=False)
