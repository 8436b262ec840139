"""Item analysis of an exam, for managers once it has closed: per question, its difficulty (the
share of answers that earned full marks) and its discrimination (that share among the top 27% of
attempts by score minus that share among the bottom 27%). Random papers: each question counts
over the attempts that drew it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from jianlian.core.errors import DomainError
from modules.learning import access
from modules.learning.models import Attempt, AttemptItem, AttemptStatus

GROUP_SHARE = 0.27


@dataclass
class ItemStat:
    question_id: int
    stem: str
    kind: str
    topic: str
    answered: int
    correct: int
    difficulty: float | None
    discrimination: float | None


def _share(rows) -> float | None:
    return round(sum(rows) / len(rows), 3) if rows else None


def item_analysis(actor, exam_id: int) -> list[ItemStat]:
    """Who: `learning.manage`, after the exam closed (EXAM_NOT_CLOSED before). Marked attempts only."""
    access.require_manager(actor)
    exam = access.access_exam(actor, exam_id, manage=True)
    if not access.is_closed(exam):
        raise DomainError("EXAM_NOT_CLOSED", _("考试结束后才能查看试题分析。"), "exam")
    ranked = list(Attempt.objects.filter(exam=exam, status=AttemptStatus.MARKED).order_by("-score", "pk")
                  .values_list("pk", flat=True))
    k = max(1, round(len(ranked) * GROUP_SHARE)) if ranked else 0
    top, bottom = set(ranked[:k]), set(ranked[-k:]) if k else set()
    per_question: dict[int, list] = defaultdict(list)
    info = {}
    for item in AttemptItem.objects.filter(attempt_id__in=ranked).select_related("question").only(
            "attempt_id", "points", "score", "question__stem", "question__kind", "question__topic"):
        per_question[item.question_id].append((item.attempt_id, item.score is not None and item.score >= item.points))
        info[item.question_id] = item.question
    out = []
    for qid, rows in per_question.items():
        q = info[qid]
        right = [ok for _a, ok in rows]
        up, down = _share([ok for a, ok in rows if a in top]), _share([ok for a, ok in rows if a in bottom])
        out.append(ItemStat(qid, q.stem, q.kind, q.topic, len(rows), sum(right), _share(right),
                            None if up is None or down is None else round(up - down, 3)))
    return sorted(out, key=lambda s: (s.difficulty if s.difficulty is not None else 2, s.question_id))
