"""Learning centre extras (issue 20): item analysis after an exam closes, PDF certificates for
passed attempts (the taker and managers only, signed in or by signed link), 每日一答 once a day
with department leaderboards, and `learning.quiz_completed` on the bus for other apps."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jianlian import bus
from jianlian.bus.models import OutboxMessage
from jianlian.core.errors import DomainError
from jianlian.identity.signed_links import create_link
from modules.learning import analysis, assignments, attempts, certificates, exams, quiz
from modules.learning.models import AttemptItem, QuizSession
from tenants.context import tenant_context
from tests.conftest import _built_for_the_module
from tests.factories import build_province
from tests.learning_world import build


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    def make():
        p = build_province()
        with tenant_context(p.tenant_a):
            return build(p)

    yield from _built_for_the_module(django_db_blocker, make)


@pytest.fixture
def w(db, _world):
    held, world = _world
    for u in world.people.values():
        u.__dict__.pop("_jl_grants", None)
    with tenant_context(world.p.tenant_a):
        yield world


def sit(w, exam, name, right: set[int]):
    """`name` answers the questions at bank indexes in `right` correctly, the others wrongly."""
    a = attempts.start_attempt(w.user(name), exam.pk)
    for item in AttemptItem.objects.filter(attempt=a).select_related("question"):
        q = item.question
        idx = next(i for i, b in enumerate(w.bank) if b.pk == q.pk)
        good = q.answer
        bad = (q.answer + 1) % len(q.options) if q.kind == "single" else not q.answer
        attempts.save_answer(w.user(name), item.pk, good if idx in right else bad)
    return attempts.submit(w.user(name), a.pk)


def test_item_analysis_after_close_and_certificates_for_passes(w, client):
    exam = exams.create_exam(w.user("admin"), title="急救考核", mode="fixed", pass_percent=60,
                             questions=[{"question": w.bank[i].pk, "points": 10} for i in (0, 6, 7, 8)])
    assignments.assign(w.user("admin"), exam.pk, {"user_ids": [w.user(n).pk for n in ("赵敏", "钱进", "孙立", "阅卷老师")]},
                       timezone.now() + dt.timedelta(days=1))
    top = sit(w, exam, "赵敏", {0, 6, 7, 8})
    sit(w, exam, "钱进", {0, 6, 7})
    sit(w, exam, "孙立", {0, 7})
    low = sit(w, exam, "阅卷老师", {0})
    with pytest.raises(DomainError) as e:
        analysis.item_analysis(w.user("admin"), exam.pk)
    assert e.value.code == "EXAM_NOT_CLOSED"
    exams.close_exam(w.user("admin"), exam.pk)
    stats = {s.question_id: s for s in analysis.item_analysis(w.user("admin"), exam.pk)}
    assert (stats[w.bank[0].pk].difficulty, stats[w.bank[0].pk].discrimination) == (1.0, 0.0)  # everyone right
    assert (stats[w.bank[8].pk].difficulty, stats[w.bank[8].pk].discrimination) == (0.25, 1.0)  # only the top one
    assert stats[w.bank[6].pk].difficulty == 0.5 and stats[w.bank[6].pk].discrimination == 1.0
    with pytest.raises(DomainError):
        analysis.item_analysis(w.user("赵敏"), exam.pk)

    # certificates: the taker (signed link) and a manager; not another nurse; not a failed attempt
    url = certificates.path(top.pk)
    link = create_link(w.user("赵敏"), w.p.tenant_a, url)
    r = client.get(link)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    from pypdf import PdfReader
    import io

    text = PdfReader(io.BytesIO(r.content)).pages[0].extract_text()
    assert "合格证书" in text and "急救考核" in text
    assert client.get(create_link(w.user("钱进"), w.p.tenant_a, url)).status_code == 404
    client.force_login(w.user("admin"))
    assert client.get(url, HTTP_X_TENANT=w.p.tenant_a.slug).status_code == 200
    r = client.get(certificates.path(low.pk), HTTP_X_TENANT=w.p.tenant_a.slug)
    assert r.status_code == 404 and r.json()["errors"][0]["extensions"]["code"] == "NO_CERTIFICATE"


def right(q):
    """The right answer in the shape a taker sends (a fill-in: one text per blank)."""
    return [accepted[0] for accepted in q.answer] if q.kind == "fill" else q.answer


def test_daily_quiz_once_a_day_leaderboards_and_the_bus_event(w, monkeypatch):
    c = quiz.create_campaign(w.user("admin"), title="每日一答", kind="daily", per_day=3, topic="院感")
    zhao, sun = w.user("赵敏"), w.user("孙立")
    s = quiz.todays_session(zhao, c.pk)
    assert quiz.todays_session(zhao, c.pk).pk == s.pk and len(s.question_ids) == 3  # the same three all day
    qs = quiz.questions_of(s)
    assert all(q.kind != "short" and q.topic == "院感" for q in qs)
    # a handler is registered (the union's points): the result goes on the bus in the same transaction
    monkeypatch.setitem(bus.services._handlers, quiz.QUIZ_COMPLETED, lambda message: None)
    done = quiz.answer(zhao, s.pk, [right(q) for q in qs])
    assert (done.correct, done.score) == (3, 30)
    msg = OutboxMessage.objects.filter(type=quiz.QUIZ_COMPLETED).latest("id")
    assert msg.payload["user_id"] == zhao.pk and msg.payload["score"] == 30
    assert msg.payload["idempotency_key"] == f"learning.quiz:{c.pk}:{zhao.pk}:{timezone.localdate().isoformat()}"
    with pytest.raises(DomainError) as e:
        quiz.answer(zhao, s.pk, [right(q) for q in qs])
    assert e.value.code == "QUIZ_DONE"
    # someone else's session is not found; a wrong number of answers is refused
    with pytest.raises(DomainError) as e:
        quiz.answer(sun, s.pk, [])
    assert e.value.code == "NOT_FOUND"
    s2 = quiz.todays_session(sun, c.pk)
    with pytest.raises(DomainError) as e:
        quiz.answer(sun, s2.pk, [None])
    assert e.value.code == "INVALID_ANSWER"
    quiz.answer(sun, s2.pk, [None, None, None])
    # yesterday's 赵敏 too, to rank people by total
    QuizSession.objects.create(campaign=c, user_id=zhao.pk, user_name="赵敏", department_name="内科",
                               day=timezone.localdate() - dt.timedelta(days=1), question_ids=s.question_ids,
                               correct=1, score=10, completed_at=timezone.now())
    depts, people = quiz.leaderboard(c)
    assert [d["department_name"] for d in depts] == ["内科", "外科"] and depts[0]["average"] == 40
    assert [(p["user_name"], p["total"], p["days"]) for p in people] == [("赵敏", 40, 2), ("孙立", 0, 1)]
    with pytest.raises(DomainError) as e:
        quiz.create_campaign(w.user("admin"), title="太多", kind="campaign", per_day=9, topic="急救")
    assert e.value.code == "NOT_ENOUGH_QUESTIONS"
