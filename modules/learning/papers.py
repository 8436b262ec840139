"""Papers: the rules of a random paper, and drawing one attempt's questions by them (never the
same question twice in one paper), or copying a fixed paper; then the per-attempt shuffle."""

from __future__ import annotations

import random

from django.utils.translation import gettext_lazy as _

from jianlian.core.errors import DomainError
from modules.learning.models import Difficulty, Exam, ExamMode, Kind, Question

MAX_RULE_COUNT = 200


def clean_rules(rules) -> list[dict]:
    """[{topic, difficulty?, kind?, count, points}] checked; INVALID_RULES names what is wrong."""
    if not isinstance(rules, list) or not rules or len(rules) > 50:
        raise DomainError("INVALID_RULES", _("随机组卷须有1到50条规则。"), "rules")
    out = []
    for i, r in enumerate(rules, start=1):
        if not isinstance(r, dict):
            raise DomainError("INVALID_RULES", _("第%(i)s条规则格式不对。") % {"i": i}, "rules")
        topic = str(r.get("topic") or "").strip()
        difficulty = r.get("difficulty") or ""
        kind = r.get("kind") or ""
        count, points = r.get("count"), r.get("points", 1)
        if not topic or (difficulty and difficulty not in Difficulty.values) or (kind and kind not in Kind.values):
            raise DomainError("INVALID_RULES", _("第%(i)s条规则的知识点、难度或题型不对。") % {"i": i}, "rules")
        if not isinstance(count, int) or not 1 <= count <= MAX_RULE_COUNT or not isinstance(points, int) or not 1 <= points <= 100:
            raise DomainError("INVALID_RULES", _("第%(i)s条规则的题数须为1到200、分值须为1到100。") % {"i": i}, "rules")
        out.append({"topic": topic, "difficulty": difficulty, "kind": kind, "count": count, "points": points})
    return out


def _pool(rule: dict):
    qs = Question.objects.filter(is_active=True, topic=rule["topic"])
    if rule["difficulty"]:
        qs = qs.filter(difficulty=rule["difficulty"])
    if rule["kind"]:
        qs = qs.filter(kind=rule["kind"])
    return qs


def draw(rules: list[dict], rng: random.Random) -> list[tuple[int, int]]:
    """[(question id, points)] drawn by `rules`: the most specific rules first, so that a broad
    rule does not take the questions a narrow one needs; a question once drawn is out of every
    later pool. NOT_ENOUGH_QUESTIONS when a pool runs short."""
    chosen: dict[int, int] = {}
    for rule in sorted(rules, key=lambda r: (not r["difficulty"], not r["kind"])):
        ids = [pk for pk in _pool(rule).values_list("pk", flat=True) if pk not in chosen]
        if len(ids) < rule["count"]:
            raise DomainError("NOT_ENOUGH_QUESTIONS", _("题库中「%(topic)s」%(level)s的题目不足%(n)s道（可用%(have)s道）。") % {
                "topic": rule["topic"], "level": Difficulty(rule["difficulty"]).label if rule["difficulty"] else "",
                "n": rule["count"], "have": len(ids)}, "rules")
        for pk in rng.sample(ids, rule["count"]):
            chosen[pk] = rule["points"]
    return list(chosen.items())


def paper_for(exam: Exam, rng: random.Random) -> list[tuple[Question, int, list[int]]]:
    """An attempt's paper in display order: (question, points, option order). A fixed paper is
    read with its questions in one query (everyone starts at once: a round trip saved counts)."""
    if exam.mode == ExamMode.RANDOM:
        picked = draw(clean_rules(exam.rules), rng)
        questions = Question.objects.in_bulk([pk for pk, _p in picked])
        paper = [(questions[pk], points) for pk, points in picked]
    else:
        paper = [(row.question, row.points) for row in exam.paper.select_related("question").order_by("position")]
    if exam.shuffle_questions:
        rng.shuffle(paper)
    out = []
    for q, points in paper:
        order = list(range(len(q.options)))
        if exam.shuffle_options:
            rng.shuffle(order)
        out.append((q, points, order))
    return out
