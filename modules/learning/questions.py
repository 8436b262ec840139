"""The question bank: checking a question against its type, and writing it. Who: holders of
`learning.manage` in the tenant (checked by the callers: mutations and the import)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jianlian.audit import service as audit
from jianlian.core.errors import DomainError
from modules.learning.models import Difficulty, Kind, Question

MAX_OPTIONS = 8
CHOICE = (Kind.SINGLE, Kind.MULTIPLE)


def _bad(message, field="answer"):
    return DomainError("INVALID_QUESTION", message, field)


def normalize(kind: str, options: list, answer):
    """(options, answer) cleaned for `kind`, or INVALID_QUESTION naming the field at fault."""
    if kind not in Kind.values:
        raise _bad(_("题型须为单选、多选、判断、填空或简答。"), "kind")
    options = [str(o).strip() for o in options or []]
    if kind in CHOICE:
        if not 2 <= len(options) <= MAX_OPTIONS or not all(options):
            raise _bad(_("选择题须有2到8个非空选项。"), "options")
        if len(set(options)) != len(options):
            raise _bad(_("选项不能重复。"), "options")
        picks = answer if isinstance(answer, list) else [answer]
        if not picks or not all(isinstance(i, int) and not isinstance(i, bool) and 0 <= i < len(options) for i in picks):
            raise _bad(_("答案须为选项的序号（从0开始）。"))
        picks = sorted(set(picks))
        if kind == Kind.SINGLE:
            if len(picks) != 1:
                raise _bad(_("单选题只能有一个正确答案。"))
            return options, picks[0]
        if len(picks) < 2:
            raise _bad(_("多选题至少有两个正确答案。"))
        return options, picks
    if options:
        raise _bad(_("只有选择题有选项。"), "options")
    if kind == Kind.TRUE_FALSE:
        if not isinstance(answer, bool):
            raise _bad(_("判断题的答案须为 对 或 错。"))
        return [], answer
    if kind == Kind.FILL:
        blanks = answer if isinstance(answer, list) else None
        if not blanks or not all(isinstance(b, list) and b and all(isinstance(t, str) and t.strip() for t in b) for b in blanks):
            raise _bad(_("填空题的答案须为每空一组可接受的答案。"))
        return [], [[t.strip() for t in b] for b in blanks]
    if not isinstance(answer, str):
        raise _bad(_("简答题的参考答案须为文字。"))
    return [], answer.strip()


def check_fields(stem: str, topic: str, difficulty: str) -> None:
    if not stem or len(stem) > 2000:
        raise DomainError("INVALID_QUESTION", _("题干不能为空，且不超过2000字。"), "stem")
    if not topic or len(topic) > 40:
        raise DomainError("INVALID_QUESTION", _("知识点不能为空，且不超过40字。"), "topic")
    if difficulty not in Difficulty.values:
        raise DomainError("INVALID_QUESTION", _("难度须为 易、中 或 难。"), "difficulty")


def build(*, kind, stem, options=None, answer, topic, difficulty=Difficulty.MEDIUM, explanation="", actor_id=None) -> Question:
    """An unsaved, checked Question."""
    stem, topic = (stem or "").strip(), (topic or "").strip()
    check_fields(stem, topic, difficulty)
    options, answer = normalize(kind, options, answer)
    return Question(kind=kind, stem=stem, options=options, answer=answer, topic=topic, difficulty=difficulty,
                    explanation=(explanation or "").strip()[:2000], created_by_id=actor_id)


def create_question(actor, **fields) -> Question:
    """Add one question to the bank. Audited."""
    q = build(actor_id=getattr(actor, "pk", None), **fields)
    q.save()
    audit.record("learning.create_question", actor=actor, target=q, after={"kind": q.kind, "topic": q.topic})
    return q


def bank_stats():
    """[(topic, difficulty, count)] of active questions, for building rules."""
    from django.db.models import Count

    return list(Question.objects.filter(is_active=True).values_list("topic", "difficulty")
                .annotate(n=Count("id")).order_by("topic", "difficulty"))
