"""Every write on posts: save a draft, publish now or later, pin, withdraw, read (the receipt),
remind the unread. Each runs in one transaction, audits itself and announces after commit.

Publishing sends one notification (kind NOTICE, `mandatory`) to the post's audience through the
notification centre: its sender whitelist decides who may post to the whole tenant or to more
than a few colleagues, and its recipient copies are the readers and the read receipts.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from jianlian import todos
from jianlian.audit import service as audit
from jianlian.core.errors import DomainError
from jianlian.notifications import services as notices
from jianlian.notifications.models import Delivery, Kind, Priority
from jianlian.realtime import events
from modules.announcements import access
from modules.announcements.models import Post, Status
from modules.announcements.sanitize import clean_html, clean_video_links, plain_text

READ_CHANGED = "announcements.read"
AUDIENCE_KEYS = ("user_ids", "unit_ids", "department_ids", "tag_ids", "group_ids")
EDITABLE = (Status.DRAFT, Status.SCHEDULED)


def todo_key(post_id: int) -> str:
    return f"announcements:post:{post_id}"


def link(post_id: int) -> str:
    return f"/announcements/posts/{post_id}"


def clean_audience(spec: dict | None) -> dict:
    spec = spec or {}
    out = {k: sorted({int(i) for i in spec.get(k) or []}) for k in AUDIENCE_KEYS}
    out["whole_tenant"] = bool(spec.get("whole_tenant"))
    if not out["whole_tenant"] and not any(out[k] for k in AUDIENCE_KEYS):
        raise DomainError("REQUIRED", _("请选择发布范围（全体人员，或单位、科室、标签、群组、人员）。"), "audience")
    return out


def as_notice_audience(spec: dict) -> notices.Audience:
    return notices.Audience(user_ids=list(spec.get("user_ids") or []), unit_ids=list(spec.get("unit_ids") or []),
                            department_ids=list(spec.get("department_ids") or []), tag_ids=list(spec.get("tag_ids") or []),
                            group_ids=list(spec.get("group_ids") or []), whole_tenant=bool(spec.get("whole_tenant")))


def _clean(title, body, video_links, required, read_deadline, expires_at, now) -> dict:
    problems = []
    title = (title or "").strip()
    if not title or len(title) > 120:
        problems.append(DomainError("REQUIRED" if not title else "TOO_LONG", _("请填写标题（不超过120个字）。"), "title"))
    if read_deadline and read_deadline <= now:
        problems.append(DomainError("INVALID_DATE", _("阅读截止时间应晚于现在。"), "readDeadline"))
    if expires_at and expires_at <= now:
        problems.append(DomainError("INVALID_DATE", _("过期时间应晚于现在。"), "expiresAt"))
    try:
        html = clean_html(body)
        videos = clean_video_links(video_links)
    except DomainError as e:
        problems.extend(e.problems)
    if problems:
        raise DomainError.many(problems)
    return {"title": title, "body": html, "text": plain_text(html), "video_links": videos, "required": bool(required),
            "read_deadline": read_deadline if required else None, "expires_at": expires_at}


def save_post(user, *, column_id: int, title: str, body: str = "", video_links=None, audience=None, required=False,
              read_deadline=None, pinned=False, expires_at=None, post_id: int | None = None, now=None) -> Post:
    """Create or change a draft (or a scheduled post) in a column the caller administers.
    Who: the column's administrators and `announcements.manage`. The body is sanitised here."""
    now = now or timezone.now()
    column = access.access_column(user, column_id, publish=True)
    fields = _clean(title, body, video_links, required, read_deadline, expires_at, now)
    fields.update(audience=clean_audience(audience), pinned=bool(pinned), column=column)
    with transaction.atomic():
        if post_id is None:
            post = Post.objects.create(author_id=user.pk, author_name=_name(user), **fields)
        else:
            post = access.access_post(user, post_id, edit=True, for_update=True)
            if post.status not in EDITABLE:
                raise DomainError("POST_NOT_EDITABLE", _("已发布的公告不能再修改，可撤回后重新发布。"))
            for k, v in fields.items():
                setattr(post, k, v)
            post.save()
        audit.record("announcements.save", actor=user, target=post, after={"title": post.title, "column": column.key})
    return post


def _name(user) -> str:
    return getattr(user, "real_name", "") or user.get_username()


def publish_post(user, post_id: int, *, publish_at=None, now=None) -> Post:
    """Publish a draft now, or schedule it (`publish_at` in the future; beat publishes it then).
    Who: the column's editors. The sender whitelist is checked now and again when it goes out."""
    now = now or timezone.now()
    with transaction.atomic():
        post = access.access_post(user, post_id, edit=True, for_update=True)
        if post.status not in EDITABLE:
            raise DomainError("POST_NOT_EDITABLE", _("该公告已发布或已撤回。"))
        if publish_at and publish_at > now:
            audience = as_notice_audience(post.audience)
            from tenants.context import current_tenant

            if audience.is_broadcast() and not notices.may_broadcast(user, current_tenant(), audience.range_unit_ids()):
                raise DomainError("SENDER_NOT_WHITELISTED", _("您不在推送白名单中，不能向该范围发布。请联系管理员开通。"))
            notices.resolve_recipients(current_tenant(), audience)  # unknown departments etc. now, not at night
            post.status, post.publish_at = Status.SCHEDULED, publish_at
            post.save(update_fields=["status", "publish_at", "updated_at"])
            audit.record("announcements.schedule", actor=user, target=post, after={"publish_at": publish_at.isoformat()})
            return post
        return _publish(post, user, now)


def _publish(post: Post, sender, now) -> Post:
    note = notices.send(sender, title=post.title, body=post.text[:300], kind=Kind.NOTICE, link=link(post.pk),
                        audience=as_notice_audience(post.audience), mandatory=True)
    post.status, post.published_at, post.notification_id = Status.PUBLISHED, now, note.pk
    post.recipient_count, post.read_count = note.recipient_count, 0
    post.save(update_fields=["status", "published_at", "notification_id", "recipient_count", "read_count", "updated_at"])
    if post.required:
        recipients = Delivery.objects.filter(notification_id=note.pk).values_list("user_id", flat=True)
        todos.create_todo(recipients, source="announcements", kind="read", key=todo_key(post.pk),
                          title=_("必读：%(t)s") % {"t": post.title}, link=link(post.pk), summary=post.text[:120],
                          due_at=post.read_deadline, started_by=post.author_name)
    audit.record("announcements.publish", actor=sender, target=post,
                 after={"title": post.title, "recipients": post.recipient_count, "required": post.required})
    return post


def publish_due(now=None) -> int:
    """Beat, every minute: publish the scheduled posts whose time has come, as their author.
    A post that can no longer go out (the author lost the whitelist, the audience is gone)
    returns to draft and its author is told why."""
    from jianlian.identity.models import User

    now = now or timezone.now()
    done = 0
    for pk in Post.objects.filter(status=Status.SCHEDULED, publish_at__lte=now).values_list("pk", flat=True):
        with transaction.atomic():
            post = Post.objects.select_for_update().select_related("column").filter(pk=pk, status=Status.SCHEDULED).first()
            if post is None:
                continue
            author = User.objects.filter(pk=post.author_id).first()
            try:
                with transaction.atomic():
                    _publish(post, author, now)
                done += 1
            except (DomainError, AttributeError) as e:
                post.status = Status.DRAFT
                post.save(update_fields=["status", "updated_at"])
                notices.notify([post.author_id], sender_name=lambda: _("公告与新闻"),
                               title=lambda: _("定时发布未成功：%(t)s") % {"t": post.title},
                               body=lambda: str(getattr(e, "message", e)), link=link(post.pk))
    return done


def set_pinned(user, post_id: int, pinned: bool) -> Post:
    """Pin a post to the top of its column, or unpin it. Who: the column's editors."""
    with transaction.atomic():
        post = access.access_post(user, post_id, edit=True, for_update=True)
        post.pinned = bool(pinned)
        post.save(update_fields=["pinned", "updated_at"])
        audit.record("announcements.pin", actor=user, target=post, after={"pinned": post.pinned})
    return post


def withdraw_post(user, post_id: int) -> Post:
    """Take a published or scheduled post back: readers no longer see it; open 必读 to-dos go."""
    with transaction.atomic():
        post = access.access_post(user, post_id, edit=True, for_update=True)
        if post.status not in (Status.PUBLISHED, Status.SCHEDULED):
            raise DomainError("POST_NOT_PUBLISHED", _("只有已发布或定时发布的公告可以撤回。"))
        post.status = Status.WITHDRAWN
        post.save(update_fields=["status", "updated_at"])
        todos.remove_todo(todo_key(post.pk))
        audit.record("announcements.withdraw", actor=user, target=post)
    return post


def read_post(user, post_id: int, now=None) -> Post:
    """The reader read (or, for 必读, acknowledged) the post: their receipt is stamped once, their
    to-do is done, and the editors' read-rate pages hear of it live. Who: anyone in the audience."""
    now = now or timezone.now()
    with transaction.atomic():
        post = access.access_post(user, post_id)
        if post.status != Status.PUBLISHED or not access.is_recipient(user, post):
            raise DomainError("POST_NOT_PUBLISHED", _("您不在该公告的发布范围内，或公告尚未发布。"))
        stamped = Delivery.objects.filter(notification_id=post.notification_id, user_id=user.pk,
                                          read_at__isnull=True).update(read_at=now)
        if stamped:
            Post.objects.filter(pk=post.pk).update(read_count=F("read_count") + 1)
            post.refresh_from_db(fields=["read_count"])
            if post.required:
                todos.complete_todo(todo_key(post.pk), user_ids=[user.pk], outcome="read")
            tell_editors(post)
    return post


def tell_editors(post: Post) -> None:
    """After commit, the post's author and column administrators hear that its figures (read rate,
    poll results) changed; their pages re-read them."""
    editors = {post.author_id, *(post.column.admin_ids or [])}
    events.publish(READ_CHANGED, {"id": post.pk, "read": post.read_count, "total": post.recipient_count},
                   groups=[events.user_group(uid) for uid in sorted(editors)])


def unread_user_ids(post: Post) -> list[int]:
    return list(Delivery.objects.filter(notification_id=post.notification_id, read_at__isnull=True)
                .order_by("user_id").values_list("user_id", flat=True))


def remind_unread(user, post_id: int, *, urgent: bool = False) -> int:
    """Remind everyone who has not read the post yet — and nobody else — with a notification;
    `urgent` makes it a DING (always delivered in the app, and by SMS). Returns how many were
    reminded. Who: the column's editors."""
    with transaction.atomic():
        post = access.access_post(user, post_id, edit=True)
        if post.status != Status.PUBLISHED:
            raise DomainError("POST_NOT_PUBLISHED", _("公告尚未发布。"))
        unread = unread_user_ids(post)
        if not unread:
            return 0
        deadline = post.read_deadline.astimezone(timezone.get_current_timezone()) if post.read_deadline else None
        body = (lambda: _("请于%(d)s前阅读。") % {"d": deadline.strftime("%Y-%m-%d %H:%M")}) if deadline else (lambda: _("请及时阅读。"))
        notices.notify(unread, sender_name=_name(user), title=lambda: (_("请阅读：%(t)s") % {"t": post.title})[:120], body=body,
                       kind=Kind.NOTICE, priority=Priority.URGENT if urgent else Priority.NORMAL, link=link(post.pk))
        audit.record("announcements.remind", actor=user, target=post, after={"unread": len(unread), "urgent": urgent})
    return len(unread)

