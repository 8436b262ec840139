"""Creating and closing exams. Who: `learning.manage`."""

from __future__ import annotations

import random

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianlian.audit import service as audit
from jianlian.core.errors import DomainError
from modules.learning import access, papers
from modules.learning.models import Attempt, AttemptStatus, Exam, ExamMode, ExamQuestion, Question

LIMITS = {"time_limit_minutes": (1, 600), "max_attempts": (1, 20), "pass_percent": (0, 100)}


def create_exam(actor, *, title: str, mode: str, questions=None, rules=None, time_limit_minutes: int = 30,
                max_attempts: int = 1, pass_percent: int = 60, shuffle_questions: bool = True, shuffle_options: bool = True,
                opens_at=None, closes_at=None, description: str = "") -> Exam:
    """A fixed paper (`questions`: [{question id, points}]) or a random one (`rules`). A random
    exam is checked by drawing one paper, so a bank too small for its rules is refused now
    (NOT_ENOUGH_QUESTIONS) rather than when someone starts. Audited."""
    access.require_manager(actor)
    title = (title or "").strip()
    if not title or len(title) > 100:
        raise DomainError("INVALID", _("考试名称不能为空，且不超过100字。"), "title")
    values = {"time_limit_minutes": time_limit_minutes, "max_attempts": max_attempts, "pass_percent": pass_percent}
    for key, (lo, hi) in LIMITS.items():
        if not lo <= values[key] <= hi:
            raise DomainError("INVALID", _("取值须在%(lo)s到%(hi)s之间。") % {"lo": lo, "hi": hi}, key)
    if opens_at and closes_at and closes_at <= opens_at or (closes_at and closes_at <= timezone.now()):
        raise DomainError("INVALID", _("结束时间须晚于开始时间和现在。"), "closes_at")
    exam = Exam(title=title, description=(description or "")[:2000], mode=mode, created_by_id=actor.pk,
                shuffle_questions=shuffle_questions, shuffle_options=shuffle_options, opens_at=opens_at, closes_at=closes_at,
                **values)
    fixed = []
    if mode == ExamMode.RANDOM:
        exam.rules = papers.clean_rules(rules)
        papers.draw(exam.rules, random.Random())
    elif mode == ExamMode.FIXED:
        fixed = _fixed(questions)
    else:
        raise DomainError("INVALID", _("组卷方式须为固定试卷或随机组卷。"), "mode")
    with transaction.atomic():
        exam.save()
        ExamQuestion.objects.bulk_create([ExamQuestion(exam=exam, question_id=q, points=p, position=i)
                                          for i, (q, p) in enumerate(fixed, start=1)])
        audit.record("learning.create_exam", actor=actor, target=exam, after={"title": title, "mode": mode})
    return exam


def _fixed(questions) -> list[tuple[int, int]]:
    items = [(int(q["question"]), int(q.get("points") or 1)) for q in questions or []]
    if not items or len(items) > 500:
        raise DomainError("INVALID", _("固定试卷须有1到500道题。"), "questions")
    ids = [q for q, _p in items]
    if len(set(ids)) != len(ids):
        raise DomainError("INVALID", _("同一道题不能在试卷中出现两次。"), "questions")
    if any(not 1 <= p <= 100 for _q, p in items):
        raise DomainError("INVALID", _("每题分值须为1到100。"), "questions")
    if Question.objects.filter(pk__in=ids, is_active=True).count() != len(ids):
        raise DomainError("NOT_FOUND", _("试卷中有题目不存在或已停用。"), "questions")
    return items


def close_exam(actor, exam_id: int) -> Exam:
    """End the exam now: attempts in progress are handed in, and takers may see the key. Audited."""
    from modules.learning.attempts import finish

    exam = access.access_exam(actor, exam_id, manage=True)
    with transaction.atomic():
        exam = Exam.objects.select_for_update().get(pk=exam.pk)
        exam.closed = True
        exam.save(update_fields=["closed"])
        for attempt in Attempt.objects.select_for_update().filter(exam=exam, status=AttemptStatus.IN_PROGRESS):
            attempt.exam = exam
            finish(attempt, timed_out=True)
        audit.record("learning.close_exam", actor=actor, target=exam)
    return exam
