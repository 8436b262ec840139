"""Sitting an exam: start (or continue) an attempt, save one answer at a time, submit; the
server ends an attempt at its deadline whatever the client does (on the next read or write, and
by the periodic task `expire_attempts`); objective answers are marked at once, short answers
wait in the marking queue.

Locks: every write to an attempt holds its row (SELECT … FOR UPDATE), so a save racing the
deadline, a submit and the periodic task finish it once."""

from __future__ import annotations

import datetime as dt
import json
import random
import secrets
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianlian.audit import service as audit
from jianlian.core.errors import DomainError, NotFoundError
from modules.learning import access, assignments, marking, papers
from modules.learning.models import Attempt, AttemptItem, AttemptStatus, Kind


def _name(user) -> str:
    return (getattr(user, "real_name", "") or getattr(user, "username", "") or "")[:60]


def start_attempt(user, exam_id: int) -> Attempt:
    """The person's attempt in progress (continued as it was), or a new one with its own paper.
    Who: a person the exam is assigned to, or a learning manager (to try it). Refuses an exam
    that is not open (EXAM_NOT_OPEN) and a person out of attempts (ATTEMPTS_EXHAUSTED)."""
    exam = access.access_exam(user, exam_id)
    now = timezone.now()
    with transaction.atomic():
        with connection.cursor() as cursor:  # one start at a time per person and exam
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('learning.start'), hashtext(%s))", [f"{exam.pk}:{user.pk}"])
        mine = list(Attempt.objects.filter(exam=exam, user_id=user.pk))  # a few at most: max_attempts
        open_attempt = next((a for a in mine if a.status == AttemptStatus.IN_PROGRESS), None)
        if open_attempt is not None:
            open_attempt.exam = exam
            if not _expire_if_due(open_attempt):
                return open_attempt
        if access.is_closed(exam) or (exam.opens_at and exam.opens_at > now):
            raise DomainError("EXAM_NOT_OPEN", _("考试未开始或已结束。"), "exam")
        used = len(mine)
        if used >= exam.max_attempts:
            raise DomainError("ATTEMPTS_EXHAUSTED", _("您已用完本考试的%(n)s次机会。") % {"n": exam.max_attempts}, "exam")
        rng = random.Random(secrets.randbits(64))
        paper = papers.paper_for(exam, rng)
        deadline = now + dt.timedelta(minutes=exam.time_limit_minutes)
        if exam.closes_at and exam.closes_at < deadline:
            deadline = exam.closes_at
        attempt = Attempt.objects.create(exam=exam, user_id=user.pk, user_name=_name(user), number=used + 1,
                                         started_at=now, deadline=deadline, max_score=sum(p for _q, p, _o in paper))
        attempt.fresh_items = _insert_items(attempt, paper)
        # No audit record: the attempt row itself says who started when, and the audit chain's
        # per-schema lock would line up every start of a 2,000-person exam behind one another.
    return attempt


def _insert_items(attempt: Attempt, paper) -> list[AttemptItem]:
    """The paper's items in one INSERT … RETURNING, as saved rows with their questions at hand
    (the start's answer lists them without reading them back). Django's bulk_create spent
    milliseconds of CPU on a 50-question paper, at the moment everyone starts."""
    table = connection.ops.quote_name(AttemptItem._meta.db_table)
    rows = ", ".join(["(%s, %s, %s, %s, %s::jsonb, '')"] * len(paper))
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (attempt_id, question_id, position, points, option_order, comment) "
                       f"VALUES {rows} RETURNING id",
                       [v for i, (q, p, o) in enumerate(paper, start=1) for v in (attempt.pk, q.pk, i, p, json.dumps(o))])
        ids = [row[0] for row in cursor.fetchall()]
    items = []
    for pk, (i, (q, p, o)) in zip(ids, enumerate(paper, start=1)):
        item = AttemptItem(pk=pk, attempt=attempt, question=q, position=i, points=p, option_order=o)
        item._state.adding = False
        items.append(item)
    return items


def current(attempt: Attempt) -> Attempt:
    """The attempt as it stands now: one past its deadline is ended first (a read is enough)."""
    if attempt.status == AttemptStatus.IN_PROGRESS and attempt.deadline <= timezone.now():
        with transaction.atomic():
            locked = Attempt.objects.select_for_update(of=("self",)).select_related("exam").get(pk=attempt.pk)
            _expire_if_due(locked)
        attempt.refresh_from_db()
    return attempt


def _expire_if_due(attempt: Attempt) -> bool:
    """Call with the attempt's row locked. True when it was (or is now) ended."""
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return True
    if attempt.deadline > timezone.now():
        return False
    finish(attempt, timed_out=True)
    return True


def save_answer(user, item_id: int, answer) -> AttemptItem:
    """Keep one answer of the person's attempt in progress (None clears it). After the deadline
    the attempt is ended with the answers saved before it, and ATTEMPT_ENDED is returned.

    The benchmark's hot path, two statements: the item with its question and its attempt, the
    attempt's row locked (FOR UPDATE OF the attempt only: the exam's row stays free, so people
    sitting one exam never wait for each other), then the update. No savepoint: nothing is raised
    inside the transaction (a refusal is raised after it, so an ended attempt stays ended)."""
    refusal = None
    with transaction.atomic(savepoint=False):
        item = (AttemptItem.objects.select_for_update(of=("attempt",)).select_related("attempt__exam", "question")
                .filter(pk=item_id, attempt__user_id=user.pk).first())
        if item is None:  # someone else's item and a missing one answer alike
            refusal = NotFoundError(_("答卷不存在或您无权查看。"), field="item")
        elif _expire_if_due(item.attempt):
            refusal = DomainError("ATTEMPT_ENDED", _("本次考试已交卷或已到时间，答案不再保存。"), "item")
        else:
            try:
                item.answer = marking.check_answer(item.question, answer)
            except DomainError as e:
                refusal = e
            else:
                item.answered_at = timezone.now()
                item.save(update_fields=["answer", "answered_at"])
    if refusal is not None:
        raise refusal
    return item


def submit(user, attempt_id: int) -> Attempt:
    """Hand in the person's attempt. An attempt that already ended is returned as it is."""
    with transaction.atomic():
        attempt = access.access_attempt(user, attempt_id, own=True, for_update=True)
        if not _expire_if_due(attempt):
            finish(attempt, timed_out=False, actor=user)
    return attempt


def finish(attempt: Attempt, *, timed_out: bool, actor=None) -> None:
    """End an attempt (row locked by the caller): mark the objective answers, total the score
    when nothing waits for a marker, and count the person as done in the exam's assignments.
    The audit record comes last: its per-schema lock is then held only until the commit."""
    items = list(attempt.items.select_related("question"))
    for item in items:
        item.score = marking.auto_score(item.question, item.answer, item.points)
    _store_scores(items)
    attempt.ended_at = min(timezone.now(), attempt.deadline) if timed_out else timezone.now()
    attempt.timed_out = timed_out
    attempt.status = AttemptStatus.MARKING if any(i.question.kind == Kind.SHORT for i in items) else AttemptStatus.MARKED
    _total(attempt, [i.score for i in items])
    attempt.save(update_fields=["ended_at", "timed_out", "status", "score", "passed"])
    assignments.person_finished(attempt)
    audit.record("learning.finish_attempt", actor=actor, actor_label="" if actor else "系统", target=attempt,
                 after={"timed_out": timed_out, "status": attempt.status})


def _store_scores(items: list[AttemptItem]) -> None:
    """Every item's score in one UPDATE … FROM (VALUES …): Django's bulk_update builds a CASE
    expression per row, milliseconds of CPU for a 50-question paper at the moment everyone
    hands in."""
    if not items:
        return
    table = connection.ops.quote_name(AttemptItem._meta.db_table)
    rows = ", ".join(["(%s::bigint, %s::numeric)"] * len(items))
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} AS i SET score = v.score FROM (VALUES {rows}) AS v(id, score) WHERE i.id = v.id",
                       [x for item in items for x in (item.pk, item.score)])


def _total(attempt: Attempt, scores: list | None = None) -> None:
    """The attempt's score and pass once marked: from the item scores at hand, else summed in
    the database."""
    if attempt.status != AttemptStatus.MARKED:
        attempt.score, attempt.passed = None, None
        return
    if scores is None:
        scores = [attempt.items.aggregate(s=Sum("score"))["s"]]
    score = sum((s for s in scores if s is not None), Decimal("0"))
    attempt.score = score
    attempt.passed = attempt.max_score > 0 and score * 100 >= Decimal(attempt.exam.pass_percent * attempt.max_score)


def mark_item(marker, item_id: int, score, comment: str = "") -> AttemptItem:
    """A marker scores one short answer of a submitted attempt; the attempt is totalled when its
    last short answer is marked. Who: `learning.mark` or `learning.manage`."""
    access.require_marker(marker)
    with transaction.atomic():
        item = AttemptItem.objects.select_related("question", "attempt__exam").filter(pk=item_id).first()
        if item is None:
            raise NotFoundError(_("题目不存在。"), field="item")
        attempt = Attempt.objects.select_for_update(of=("self",)).select_related("exam").get(pk=item.attempt_id)
        if item.question.kind != Kind.SHORT or attempt.status == AttemptStatus.IN_PROGRESS:
            raise DomainError("NOT_MARKABLE", _("只能批阅已交卷的简答题。"), "item")
        item.score = marking.check_manual(item.points, score)
        item.comment, item.marked_by_id, item.marked_at = (comment or "")[:200], marker.pk, timezone.now()
        item.save(update_fields=["score", "comment", "marked_by_id", "marked_at"])
        if not attempt.items.filter(question__kind=Kind.SHORT, marked_at__isnull=True).exists():
            attempt.status = AttemptStatus.MARKED
            _total(attempt)
            attempt.save(update_fields=["status", "score", "passed"])
            assignments.person_marked(attempt)
        audit.record("learning.mark_item", actor=marker, target=attempt, after={"item": item.pk, "score": str(item.score)})
    return item


def marking_queue():
    """Short answers of ended attempts still waiting for a marker, oldest first."""
    return (AttemptItem.objects.filter(question__kind=Kind.SHORT, marked_at__isnull=True, attempt__status=AttemptStatus.MARKING)
            .select_related("question", "attempt__exam"))


def expire_due() -> int:
    """End every attempt past its deadline (the periodic task). Returns how many it ended."""
    n = 0
    for pk in Attempt.objects.filter(status=AttemptStatus.IN_PROGRESS, deadline__lte=timezone.now()).values_list("pk", flat=True):
        with transaction.atomic():
            attempt = (Attempt.objects.select_for_update(skip_locked=True, of=("self",)).select_related("exam")
                       .filter(pk=pk).first())
            if attempt is not None and attempt.status == AttemptStatus.IN_PROGRESS:
                n += _expire_if_due(attempt)
    return n
