"""每日一答 and topic campaigns. A person opens today's questions of a campaign (drawn once per
person and day from the bank's active objective questions, of the campaign's topic if it has
one), answers them all at once, once a day; the score is 10 points per correct answer. The
leaderboards rank departments (average score per participant, then participants) and people.

When a session is answered, `learning.quiz_completed` is published on the bus to the same tenant
(see the README: person, campaign, day, score, idempotency key) in the answering transaction, for
other apps (the union's points) to consume; nothing else of theirs is read or written here."""

from __future__ import annotations

import datetime as dt
import random

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianlian.audit import service as audit
from jianlian.core.errors import DomainError, NotFoundError
from modules.learning import access, marking
from modules.learning.models import Kind, Question, QuizCampaign, QuizKind, QuizSession

POINTS_PER_CORRECT = 10
QUIZ_COMPLETED = "learning.quiz_completed"
QUIZ_KINDS = (Kind.SINGLE, Kind.MULTIPLE, Kind.TRUE_FALSE, Kind.FILL)


def today() -> dt.date:
    return timezone.localdate()


def create_campaign(actor, *, title: str, kind: str, per_day: int = 1, topic: str = "", starts_on=None, ends_on=None) -> QuizCampaign:
    """Who: `learning.manage`. The bank must hold enough objective questions for a day."""
    access.require_manager(actor)
    title = (title or "").strip()
    if not title:
        raise DomainError("INVALID", _("请填写名称。"), "title")
    if kind not in QuizKind.values:
        raise DomainError("INVALID", _("类型须为每日一答或专题竞赛。"), "kind")
    if not 1 <= int(per_day or 0) <= 20:
        raise DomainError("INVALID", _("每日题数须在1到20之间。"), "per_day")
    starts_on = starts_on or today()
    if ends_on is not None and ends_on < starts_on:
        raise DomainError("INVALID", _("结束日期不能早于开始日期。"), "ends_on")
    topic = (topic or "").strip()[:40]
    if _pool(topic).count() < per_day:
        raise DomainError("NOT_ENOUGH_QUESTIONS", _("题库中可用的客观题少于每日题数。"), "per_day")
    with transaction.atomic():
        c = QuizCampaign.objects.create(title=title[:100], kind=kind, topic=topic, per_day=per_day, starts_on=starts_on,
                                        ends_on=ends_on, created_by_id=actor.pk)
        audit.record("learning.create_quiz", actor=actor, target=c, after={"title": c.title, "kind": kind})
    return c


def _pool(topic: str):
    qs = Question.objects.filter(is_active=True, kind__in=QUIZ_KINDS)
    return qs.filter(topic=topic) if topic else qs


def running(day=None):
    day = day or today()
    return QuizCampaign.objects.filter(starts_on__lte=day).exclude(ends_on__lt=day).order_by("kind", "-id")


def access_campaign(campaign_id: int) -> QuizCampaign:
    c = QuizCampaign.objects.filter(pk=campaign_id).first()
    if c is None:
        raise NotFoundError(_("活动不存在。"), field="campaign")
    return c


def todays_session(user, campaign_id: int) -> QuizSession:
    """The person's questions of today in the campaign, drawn on first opening (EXAM_NOT_OPEN
    outside the campaign's dates)."""
    from modules.learning.assignments import _departments

    c = access_campaign(campaign_id)
    day = today()
    if c.starts_on > day or (c.ends_on and c.ends_on < day):
        raise DomainError("EXAM_NOT_OPEN", _("活动未开始或已结束。"), "campaign")
    s = QuizSession.objects.filter(campaign=c, user_id=user.pk, day=day).first()
    if s is not None:
        return s
    ids = list(_pool(c.topic).values_list("pk", flat=True))
    if len(ids) < c.per_day:
        raise DomainError("NOT_ENOUGH_QUESTIONS", _("题库中可用的题目不足。"), "campaign")
    picked = random.Random(f"{c.pk}:{user.pk}:{day}").sample(sorted(ids), c.per_day)
    dept_id, dept_name = _departments([user.pk]).get(user.pk, (None, ""))
    try:
        with transaction.atomic():
            return QuizSession.objects.create(campaign=c, user_id=user.pk, day=day, question_ids=picked,
                                              user_name=(getattr(user, "real_name", "") or "")[:60],
                                              department_id=dept_id, department_name=dept_name)
    except IntegrityError:  # opened twice at once: the other request drew them
        return QuizSession.objects.get(campaign=c, user_id=user.pk, day=day)


def questions_of(session: QuizSession) -> list[Question]:
    by_id = Question.objects.in_bulk(session.question_ids)
    return [by_id[i] for i in session.question_ids if i in by_id]


def answer(user, session_id: int, answers: list) -> QuizSession:
    """Answer today's questions, all at once and once (QUIZ_DONE after). `answers` follow the
    questions' order, each in the exam answer shape (choice: option index)."""
    with transaction.atomic():
        s = QuizSession.objects.select_for_update(of=("self",)).select_related("campaign").filter(pk=session_id, user_id=user.pk).first()
        if s is None:
            raise NotFoundError(_("答题记录不存在。"), field="session")
        if s.completed_at is not None:
            raise DomainError("QUIZ_DONE", _("今天已经答过了，明天再来。"), "session")
        if s.day != today():
            raise DomainError("EXAM_NOT_OPEN", _("只能回答当天的题目。"), "session")
        qs = questions_of(s)
        if not isinstance(answers, list) or len(answers) != len(qs):
            raise DomainError("INVALID_ANSWER", _("请回答全部%(n)s道题。") % {"n": len(qs)}, "answers")
        try:
            kept = [marking.check_answer(q, a) for q, a in zip(qs, answers, strict=True)]
        except DomainError as e:
            raise DomainError(e.code, e.message, "answers") from None
        s.correct = sum(1 for q, a in zip(qs, kept, strict=True) if marking.auto_score(q, a, 1) == 1)
        s.answers, s.score, s.completed_at = kept, s.correct * POINTS_PER_CORRECT, timezone.now()
        s.save(update_fields=["answers", "correct", "score", "completed_at"])
        publish_completed(s)
    return s


def idempotency_key(s: QuizSession) -> str:
    return f"learning.quiz:{s.campaign_id}:{s.user_id}:{s.day.isoformat()}"


def publish_completed(s: QuizSession) -> bool:
    """Put `learning.quiz_completed` on the bus to this tenant, in the caller's transaction, when an
    app has registered a handler for it (otherwise nobody would apply it). True when sent."""
    from django.db import connection

    from jianlian import bus

    if bus.handler_for(QUIZ_COMPLETED) is None:
        return False
    bus.send(connection.schema_name, QUIZ_COMPLETED, {
        "user_id": s.user_id, "campaign_id": s.campaign_id, "campaign_title": s.campaign.title,
        "campaign_kind": s.campaign.kind, "day": s.day.isoformat(), "correct": s.correct,
        "total": len(s.question_ids), "score": s.score, "idempotency_key": idempotency_key(s)})
    return True


def leaderboard(campaign: QuizCampaign, limit: int = 20) -> tuple[list[dict], list[dict]]:
    """(departments, people): departments by average score per participant, then participants;
    people by total score, then fewer days taken to earn it."""
    done = QuizSession.objects.filter(campaign=campaign, completed_at__isnull=False)
    people = list(done.values("user_id", "user_name", "department_name").annotate(
        total=Sum("score"), days=Count("id")).order_by("-total", "days", "user_name")[:limit])
    per_person = done.values("user_id", "department_name").annotate(total=Sum("score"))
    depts: dict[str, list[int]] = {}
    for row in per_person:
        depts.setdefault(row["department_name"] or str(_("未分科室")), []).append(row["total"])
    dept_rows = sorted(({"department_name": d, "participants": len(v), "total": sum(v),
                         "average": round(sum(v) / len(v), 1)} for d, v in depts.items()),
                       key=lambda r: (-r["average"], -r["participants"], r["department_name"]))
    return dept_rows, people


def my_stats(user, campaign: QuizCampaign) -> dict:
    agg = QuizSession.objects.filter(campaign=campaign, user_id=user.pk, completed_at__isnull=False).aggregate(
        total=Sum("score"), days=Count("id"), avg=Avg("correct"))
    return {"total": agg["total"] or 0, "days": agg["days"] or 0}
