"""Marking: objective questions by the key, short answers by a person (the marking queue).
Scores are in points with one decimal; a fill-in question earns its share per correct blank."""

from __future__ import annotations

import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from jianlian.core.errors import DomainError
from modules.learning.models import Kind, Question

MAX_TEXT = 5000


def _text(s: str) -> str:
    """Full-width and half-width alike, case and surrounding blanks ignored."""
    return unicodedata.normalize("NFKC", s).strip().casefold()


def _points(points: int, share: float) -> Decimal:
    return (Decimal(points) * Decimal(str(share))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def check_answer(q: Question, answer):
    """The answer cleaned for the question's type (None clears it), or INVALID_ANSWER."""
    if answer is None:
        return None
    bad = DomainError("INVALID_ANSWER", _("答案格式与题型不符。"), "answer")
    n = len(q.options)
    if q.kind == Kind.SINGLE:
        if not isinstance(answer, int) or isinstance(answer, bool) or not 0 <= answer < n:
            raise bad
        return answer
    if q.kind == Kind.MULTIPLE:
        if not isinstance(answer, list) or not all(isinstance(i, int) and not isinstance(i, bool) and 0 <= i < n for i in answer):
            raise bad
        return sorted(set(answer))
    if q.kind == Kind.TRUE_FALSE:
        if not isinstance(answer, bool):
            raise bad
        return answer
    if q.kind == Kind.FILL:
        if not isinstance(answer, list) or len(answer) != len(q.answer) or not all(isinstance(t, str) for t in answer):
            raise bad
        if sum(len(t) for t in answer) > MAX_TEXT:
            raise DomainError("TOO_LONG", _("答案太长。"), "answer")
        return [t.strip() for t in answer]
    if not isinstance(answer, str):
        raise bad
    if len(answer) > MAX_TEXT:
        raise DomainError("TOO_LONG", _("答案不能超过5000字。"), "answer")
    return answer


def auto_score(q: Question, answer, points: int) -> Decimal | None:
    """The score of an objective answer (0 when unanswered); None for a short answer."""
    if q.kind == Kind.SHORT:
        return None
    if answer is None:
        return Decimal("0.0")
    if q.kind == Kind.FILL:
        right = sum(1 for given, accepted in zip(answer, q.answer) if _text(given) in {_text(a) for a in accepted})
        return _points(points, right / len(q.answer))
    key = sorted(q.answer) if q.kind == Kind.MULTIPLE else q.answer
    return _points(points, 1 if answer == key else 0)


def check_manual(points: int, score) -> Decimal:
    value = Decimal(str(score)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if not Decimal(0) <= value <= Decimal(points):
        raise DomainError("INVALID", _("得分须在0到本题分值%(n)s之间。") % {"n": points}, "score")
    return value
