"""活动参与: activities with a quota, a sign-up form, a waiting list, optional approval, QR
check-in at the venue and photos afterwards.

Concurrency: every change to who holds a place (sign up, cancel, approve, reject) first locks the
activity row (SELECT … FOR UPDATE), then counts the places taken. Sign-ups of one activity are
therefore serialised, so the quota is never exceeded however many people press 报名 at once, and
a freed place goes to the first person on the waiting list (lowest id) — nobody can jump the queue.
"""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jianlian import todos
from jianlian.audit import service as audit
from jianlian.core.errors import DomainError, NotFoundError
from jianlian.notifications import services as notices
from modules.union import access, points
from modules.union.activity_models import SEATED, Activity, ActivityPhoto, ActivityStatus, Signup, SignupStatus
from modules.union.models import Rule

APP = "union"
MAX_FORM_FIELDS = 20


def link(activity: Activity) -> str:
    return f"/union/activities/{activity.pk}"


def review_key(signup: Signup) -> str:
    return f"union:signup:{signup.pk}"


def _clean_form(form) -> list[dict]:
    out = []
    for i, item in enumerate(form or []):
        if not isinstance(item, dict) or not str(item.get("label") or "").strip():
            raise DomainError("INVALID", _("报名表第%(n)s项缺少名称。") % {"n": i + 1}, "form")
        options = [str(o)[:50] for o in item.get("options") or []]
        out.append({"key": str(item.get("key") or f"q{i + 1}")[:30], "label": str(item["label"]).strip()[:50],
                    "required": bool(item.get("required")), "options": options})
    if len(out) > MAX_FORM_FIELDS:
        raise DomainError("INVALID", _("报名表最多%(n)s项。") % {"n": MAX_FORM_FIELDS}, "form")
    return out


def create_activity(actor, node_id: int, *, title: str, start_at, end_at, quota: int, description: str = "",
                    place: str = "", needs_approval: bool = False, form=None, points_award: int = 10) -> Activity:
    """A new activity of a node the officer manages, open to that node's members."""
    node = access.access_node(actor, node_id) if actor is not None else None
    title = (title or "").strip()
    if not title:
        raise DomainError("REQUIRED", _("请填写活动标题。"), "title")
    if len(title) > 100:
        raise DomainError("TOO_LONG", _("标题不能超过100个字。"), "title")
    if end_at <= start_at:
        raise DomainError("INVALID", _("结束时间须晚于开始时间。"), "endAt")
    if not 1 <= int(quota) <= 100000:
        raise DomainError("INVALID", _("名额须在1到100000之间。"), "quota")
    if not 0 <= int(points_award) <= 1000:
        raise DomainError("INVALID", _("签到积分须在0到1000之间。"), "points")
    with transaction.atomic():
        activity = Activity.objects.create(
            node_id=node.pk if node else node_id, title=title, description=(description or "")[:5000],
            place=(place or "")[:100], start_at=start_at, end_at=end_at, quota=quota, needs_approval=needs_approval,
            form=_clean_form(form), points=points_award, check_in_code=secrets.token_urlsafe(16),
            created_by=getattr(actor, "pk", 0) or 0)
        audit.record("union.create_activity", actor=actor, target=activity, after={"title": title, "quota": quota})
    return activity


def access_activity(user, activity_id: int, *, manage: bool = False, for_update: bool = False) -> Activity:
    """An activity the caller may see (a member of its node's subtree, or an officer of it)."""
    qs = Activity.objects.select_for_update(of=("self",)) if for_update else Activity.objects
    activity = qs.select_related("node").filter(pk=activity_id).first()
    if activity is not None:
        if access.manages_path(user, activity.node.path):
            return activity
        if not manage:
            member = access.member_of(user)
            if member.path.startswith(activity.node.path):
                return activity
    raise NotFoundError(_("活动不存在或您无权查看。"), field="activity")


def seats_taken(activity: Activity) -> int:
    return Signup.objects.filter(activity=activity, status__in=SEATED).count()


def _check_answers(activity: Activity, answers: dict) -> dict:
    answers = answers if isinstance(answers, dict) else {}
    out = {}
    for item in activity.form:
        value = str(answers.get(item["key"]) or "").strip()[:200]
        if item["required"] and not value:
            raise DomainError("REQUIRED", _("请填写“%(label)s”。") % {"label": item["label"]}, "answers")
        if value and item["options"] and value not in item["options"]:
            raise DomainError("INVALID", _("“%(label)s”请从选项中选择。") % {"label": item["label"]}, "answers")
        out[item["key"]] = value
    return out


def sign_up(user, activity_id: int, answers: dict | None = None, *, now=None) -> Signup:
    """The caller signs up. With a place left they get it (confirmed, or pending an officer's
    approval); otherwise they join the end of the waiting list. Locks the activity (see above)."""
    now = now or timezone.now()
    with transaction.atomic():
        activity = access_activity(user, activity_id, for_update=True)
        member = access.member_of(user)
        if activity.status != ActivityStatus.OPEN or activity.start_at <= now:
            raise DomainError("UNION_ACTIVITY_CLOSED", _("活动已截止报名。"), "activity")
        clean = _check_answers(activity, answers or {})
        if Signup.objects.filter(activity=activity, member=member, status__in=(*SEATED, SignupStatus.WAITING)).exists():
            raise DomainError("UNION_ALREADY_SIGNED_UP", _("您已经报名了（或在候补名单中）。"), "activity")
        if seats_taken(activity) < activity.quota:
            status = SignupStatus.PENDING if activity.needs_approval else SignupStatus.CONFIRMED
        else:
            status = SignupStatus.WAITING
        signup = Signup.objects.create(activity=activity, member=member, status=status, answers=clean)
        if status == SignupStatus.PENDING:
            _ask_review(activity, signup)
        audit.record("union.sign_up", actor=user, target=signup, after={"activity": activity.pk, "status": status})
    return signup


def _officers_of(activity: Activity) -> list[int]:
    from modules.union.models import Officer

    ancestors = [int(x) for x in activity.node.path.strip("/").split("/") if x]
    return sorted(set(Officer.objects.filter(node_id__in=ancestors).values_list("user_id", flat=True)))


def _ask_review(activity: Activity, signup: Signup) -> None:
    todos.create_todo(_officers_of(activity), source=APP, kind="signup_review", key=review_key(signup),
                      title=_("活动报名待审核：%(t)s · %(n)s") % {"t": activity.title, "n": signup.member.name},
                      link=link(activity), started_by=signup.member.name)


def _promote(activity: Activity, now) -> Signup | None:
    """Give a freed place to the first person on the waiting list (call with the activity locked)."""
    if seats_taken(activity) >= activity.quota:
        return None
    first = (Signup.objects.select_for_update().select_related("member")
             .filter(activity=activity, status=SignupStatus.WAITING).order_by("id").first())
    if first is None:
        return None
    first.status = SignupStatus.PENDING if activity.needs_approval else SignupStatus.CONFIRMED
    first.promoted_at = now
    first.save(update_fields=["status", "promoted_at"])
    if first.status == SignupStatus.PENDING:
        _ask_review(activity, first)
    notices.notify([first.member.user_id], sender_name=lambda: _("工会"), title=lambda: _("候补成功：%(t)s") % {"t": activity.title},
                   body=lambda: _("有人取消了报名，您已从候补转为正式名单。"), link=link(activity))
    audit.record("union.promote", target=first, after={"activity": activity.pk, "status": first.status})
    return first


def cancel(user, activity_id: int, *, now=None) -> Signup:
    """The caller cancels their sign-up (or leaves the waiting list); a freed place goes to the
    first person waiting."""
    now = now or timezone.now()
    with transaction.atomic():
        activity = access_activity(user, activity_id, for_update=True)
        member = access.member_of(user)
        signup = Signup.objects.filter(activity=activity, member=member,
                                       status__in=(*SEATED, SignupStatus.WAITING)).first()
        if signup is None:
            raise NotFoundError(_("您没有报名这个活动。"), field="activity")
        signup.status = SignupStatus.CANCELLED
        signup.save(update_fields=["status"])
        todos.remove_todo(review_key(signup))
        audit.record("union.cancel_signup", actor=user, target=signup, after={"activity": activity.pk})
        _promote(activity, now)
    return signup


def review(actor, signup_id: int, approve: bool, *, now=None) -> Signup:
    """An officer of the activity's node approves or rejects a pending sign-up; a rejection frees
    the place for the waiting list."""
    now = now or timezone.now()
    with transaction.atomic():
        signup = Signup.objects.select_related("activity__node", "member").filter(pk=signup_id).first()
        if signup is None:
            raise NotFoundError(_("报名不存在。"), field="signup")
        activity = access_activity(actor, signup.activity_id, manage=True, for_update=True)
        signup.refresh_from_db()
        if signup.status != SignupStatus.PENDING:
            raise DomainError("INVALID", _("这条报名已经处理过了。"), "signup")
        signup.status = SignupStatus.CONFIRMED if approve else SignupStatus.REJECTED
        signup.save(update_fields=["status"])
        todos.complete_todo(review_key(signup), outcome="approved" if approve else "rejected")
        notices.notify([signup.member.user_id], sender_name=lambda: _("工会"), link=link(activity),
                       title=lambda: (_("报名已通过：%(t)s") if approve else _("报名未通过：%(t)s")) % {"t": activity.title})
        audit.record("union.review_signup", actor=actor, target=signup, after={"approve": approve})
        if not approve:
            _promote(activity, now)
    return signup


def check_in(user, activity_id: int, code: str, *, now=None) -> Signup:
    """QR check-in at the venue: the code from the venue's QR code, from 1 hour before the start to
    the end. Awards the activity's points once."""
    now = now or timezone.now()
    with transaction.atomic():
        activity = access_activity(user, activity_id)
        member = access.member_of(user)
        from datetime import timedelta

        if not secrets.compare_digest(str(code or ""), activity.check_in_code) or not (
                activity.start_at - timedelta(hours=1) <= now <= activity.end_at):
            raise DomainError("UNION_BAD_CHECK_IN_CODE", _("签到码无效或不在签到时间内（开始前1小时至结束）。"), "code")
        signup = Signup.objects.select_for_update().filter(activity=activity, member=member,
                                                           status=SignupStatus.CONFIRMED).first()
        if signup is None:
            raise NotFoundError(_("您没有这个活动的正式报名。"), field="activity")
        if signup.attended_at is None:
            signup.attended_at = now
            signup.save(update_fields=["attended_at"])
            points.award(member, Rule.ACTIVITY, activity.points, f"activity:{activity.pk}:{member.pk}", activity.title[:120])
    return signup


def add_photo(actor, activity_id: int, content, name: str, caption: str = "") -> ActivityPhoto:
    """An officer adds a photo taken at the activity (工会图集)."""
    from django.core.files.base import ContentFile

    activity = access_activity(actor, activity_id, manage=True)
    if not name.lower().endswith((".jpg", ".jpeg", ".png", ".webp")):
        raise DomainError("INVALID", _("照片须为 jpg、png 或 webp 格式。"), "name")
    if len(content) > 10 * 1024 * 1024:
        raise DomainError("INVALID", _("照片不能超过10MB。"), "content")
    with transaction.atomic():
        photo = ActivityPhoto(activity=activity, caption=(caption or "")[:100], uploaded_by=actor.pk)
        photo.image.save(name[-80:], ContentFile(content), save=True)
    return photo


def waiting_position(signup: Signup) -> int | None:
    if signup.status != SignupStatus.WAITING:
        return None
    return Signup.objects.filter(activity_id=signup.activity_id, status=SignupStatus.WAITING, id__lte=signup.pk).count()
