"""Learning centre exams (issue 20): random papers follow their rules without repeats, the
server ends an attempt at its time limit, answers survive a new session, marking of every
type, the attempts limit, and the marking queue."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from jianlian.core.errors import DomainError
from jianlian.todos.models import TodoItem
from modules.learning import assignments, attempts, exams
from modules.learning.models import Attempt, AttemptItem, Question
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


def random_exam(w, rules, **kw):
    return exams.create_exam(w.user("admin"), title="院感随机卷", mode="random", rules=rules, **kw)


def fixed_exam(w, **kw):
    return exams.create_exam(w.user("admin"), title="全题型固定卷", mode="fixed",
                             questions=[{"question": w.bank[i].pk, "points": 10} for i in (0, 2, 3, 4, 5)], **kw)  # one of each type


def assign(w, exam, *names):
    return assignments.assign(w.user("admin"), exam.pk, {"user_ids": [w.user(n).pk for n in names]},
                              timezone.now() + dt.timedelta(days=3))


def items(attempt):
    return list(AttemptItem.objects.filter(attempt=attempt).select_related("question").order_by("position"))


def code(excinfo) -> str:
    return excinfo.value.code


# --- random papers -----------------------------------------------------------------------------------

def test_random_papers_follow_their_rules_and_never_repeat_a_question(w):
    rules = [{"topic": "院感", "difficulty": "easy", "count": 2, "points": 5},
             {"topic": "院感", "count": 3, "points": 2},  # any difficulty: must not take the easy ones again
             {"topic": "急救", "difficulty": "", "count": 2, "points": 4}]
    exam = random_exam(w, rules, max_attempts=20)
    people = [w.user(n) for n in ("赵敏", "钱进", "孙立")]
    assign(w, exam, "赵敏", "钱进", "孙立")
    papers = set()
    for round_ in range(4):
        for person in people:
            a = attempts.start_attempt(person, exam.pk)
            paper = items(a)
            ids = [i.question_id for i in paper]
            assert len(ids) == len(set(ids)) == 7
            topics = [i.question.topic for i in paper]
            assert topics.count("院感") == 5 and topics.count("急救") == 2
            easy = [i for i in paper if i.question.topic == "院感" and i.points == 5]
            assert len(easy) == 2 and all(i.question.difficulty == "easy" for i in easy)
            assert a.max_score == 2 * 5 + 3 * 2 + 2 * 4
            papers.add(tuple(sorted(ids)) + tuple(ids))
            attempts.submit(person, a.pk)
    assert len(papers) > 1  # drawn at random, in a shuffled order


def test_a_rule_the_bank_cannot_fill_is_refused_when_the_exam_is_made(w):
    with pytest.raises(DomainError) as e:
        random_exam(w, [{"topic": "急救", "difficulty": "hard", "count": 2}])
    assert code(e) == "NOT_ENOUGH_QUESTIONS" and "可用1道" in str(e.value.message)
    with pytest.raises(DomainError) as e:
        random_exam(w, [{"topic": "急救", "count": 0}])
    assert code(e) == "INVALID_RULES"


# --- time limit, reloads, attempts ------------------------------------------------------------------

def test_answers_survive_a_new_session_and_the_paper_keeps_its_order(w):
    exam = fixed_exam(w)
    assign(w, exam, "赵敏")
    first = attempts.start_attempt(w.user("赵敏"), exam.pk)
    paper = items(first)
    single = next(i for i in paper if i.question.kind == "single")
    attempts.save_answer(w.user("赵敏"), single.pk, 2)
    # the phone drops; later a new session asks to start again and gets the same attempt back
    again = attempts.start_attempt(w.user("赵敏"), exam.pk)
    assert again.pk == first.pk
    assert [(i.pk, i.option_order) for i in items(again)] == [(i.pk, i.option_order) for i in paper]
    assert AttemptItem.objects.get(pk=single.pk).answer == 2


def test_the_server_ends_an_attempt_at_its_time_limit(w):
    exam = fixed_exam(w, time_limit_minutes=10)
    assign(w, exam, "赵敏", "钱进")
    a = attempts.start_attempt(w.user("赵敏"), exam.pk)
    assert a.deadline - a.started_at == dt.timedelta(minutes=10)
    tf = next(i for i in items(a) if i.question.kind == "true_false")
    attempts.save_answer(w.user("赵敏"), tf.pk, False)  # right, saved in time
    Attempt.objects.filter(pk=a.pk).update(deadline=timezone.now() - dt.timedelta(seconds=1))  # ten minutes pass
    single = next(i for i in items(a) if i.question.kind == "single")
    with pytest.raises(DomainError) as e:
        attempts.save_answer(w.user("赵敏"), single.pk, 2)
    assert code(e) == "ATTEMPT_ENDED"
    a.refresh_from_db()
    assert a.status == "marking" and a.timed_out and a.ended_at is not None
    assert AttemptItem.objects.get(pk=single.pk).answer is None
    assert AttemptItem.objects.get(pk=tf.pk).score == Decimal("10.0")

    # nobody touches the other attempt: the periodic task hands it in
    b = attempts.start_attempt(w.user("钱进"), exam.pk)
    Attempt.objects.filter(pk=b.pk).update(deadline=timezone.now() - dt.timedelta(seconds=1))
    from modules.learning.tasks import expire_attempts

    assert expire_attempts.run() == 1
    assert Attempt.objects.get(pk=b.pk).timed_out


def test_attempts_limit(w):
    exam = fixed_exam(w, max_attempts=2)
    assign(w, exam, "赵敏")
    for _ in range(2):
        attempts.submit(w.user("赵敏"), attempts.start_attempt(w.user("赵敏"), exam.pk).pk)
    with pytest.raises(DomainError) as e:
        attempts.start_attempt(w.user("赵敏"), exam.pk)
    assert code(e) == "ATTEMPTS_EXHAUSTED"
    assert Attempt.objects.filter(exam=exam).count() == 2


def test_someone_not_assigned_cannot_start(w):
    exam = fixed_exam(w)
    assign(w, exam, "赵敏")
    with pytest.raises(DomainError) as e:
        attempts.start_attempt(w.user("孙立"), exam.pk)
    assert code(e) == "NOT_FOUND"


# --- marking -----------------------------------------------------------------------------------------

RIGHT = {"single": 2, "multiple": [1, 0], "true_false": False, "fill": ["４８ ", "四分之三"], "short": "挤出血液，冲洗，消毒，上报"}
WRONG = {"single": 0, "multiple": [0], "true_false": True, "fill": ["24", "3/4"], "short": "不知道"}


def test_marking_of_every_type_then_the_short_answer_by_a_marker(w):
    exam = fixed_exam(w, pass_percent=80)
    assign(w, exam, "赵敏", "钱进")
    good = attempts.start_attempt(w.user("赵敏"), exam.pk)
    bad = attempts.start_attempt(w.user("钱进"), exam.pk)
    for attempt, answers, who in ((good, RIGHT, "赵敏"), (bad, WRONG, "钱进")):
        for i in items(attempt):
            attempts.save_answer(w.user(who), i.pk, answers[i.question.kind])
        attempts.submit(w.user(who), attempt.pk)
    scores = {i.question.kind: i.score for i in items(good)}
    assert scores == {"single": 10, "multiple": 10, "true_false": 10, "fill": 10, "short": None}
    scores = {i.question.kind: i.score for i in items(bad)}
    assert scores == {"single": 0, "multiple": 0, "true_false": 0, "fill": 5, "short": None}  # one blank of two
    good.refresh_from_db()
    assert good.status == "marking" and good.score is None

    queue = list(attempts.marking_queue())
    assert {i.attempt_id for i in queue} == {good.pk, bad.pk}
    with pytest.raises(DomainError) as e:
        attempts.mark_item(w.user("孙立"), queue[0].pk, 5)
    assert code(e) == "PERMISSION_DENIED"
    with pytest.raises(DomainError) as e:
        attempts.mark_item(w.user("阅卷老师"), queue[0].pk, 11)
    assert code(e) == "INVALID"
    short_of = {i.attempt_id: i for i in queue}
    attempts.mark_item(w.user("阅卷老师"), short_of[good.pk].pk, 9, "要点齐全")
    attempts.mark_item(w.user("阅卷老师"), short_of[bad.pk].pk, 0)
    good.refresh_from_db(), bad.refresh_from_db()
    assert (good.status, good.score, good.max_score, good.passed) == ("marked", Decimal("49.0"), 50, True)
    assert (bad.status, bad.score, bad.passed) == ("marked", Decimal("5.0"), False)
    assert list(attempts.marking_queue()) == []


def test_a_wrong_shaped_answer_is_refused_with_a_clear_code(w):
    exam = fixed_exam(w)
    assign(w, exam, "赵敏")
    a = attempts.start_attempt(w.user("赵敏"), exam.pk)
    by_kind = {i.question.kind: i for i in items(a)}
    for kind, answer in (("single", 7), ("multiple", "A"), ("true_false", "对"), ("fill", ["48"]), ("short", 3)):
        with pytest.raises(DomainError) as e:
            attempts.save_answer(w.user("赵敏"), by_kind[kind].pk, answer)
        assert code(e) == "INVALID_ANSWER", kind
    with pytest.raises(DomainError) as e:  # someone else's attempt
        attempts.save_answer(w.user("钱进"), by_kind["single"].pk, 0)
    assert code(e) == "NOT_FOUND"


# --- assignments -------------------------------------------------------------------------------------

def test_an_assignment_gives_a_todo_and_counts_completion_by_department(w):
    exam = fixed_exam(w)
    a = assignments.assign(w.user("admin"), exam.pk, {"department_ids": [w.depts["内科"].pk, w.depts["外科"].pk]},
                           timezone.now() + dt.timedelta(days=3))
    todo = TodoItem.objects.get(user_id=w.user("赵敏").pk, key=assignments.todo_key(a.pk))
    assert todo.state == "pending" and todo.title == "全题型固定卷" and todo.source == "learning"
    before = {r["department_name"]: (r["total"], r["done"]) for r in assignments.completion(a)}
    assert before == {"内科": (2, 0), "外科": (2, 0)}
    attempts.submit(w.user("赵敏"), attempts.start_attempt(w.user("赵敏"), exam.pk).pk)
    after = {r["department_name"]: (r["total"], r["done"]) for r in assignments.completion(a)}
    assert after == {"内科": (2, 1), "外科": (2, 0)}
    assert TodoItem.objects.get(pk=todo.pk).state == "done"
    with pytest.raises(DomainError) as e:
        assignments.assign(w.user("赵敏"), exam.pk, {"user_ids": [w.user("钱进").pk]}, timezone.now() + dt.timedelta(days=1))
    assert code(e) == "PERMISSION_DENIED"


def test_todo_source_rebuilds_open_assignments(w):
    from jianlian.todos import services as todos

    exam = fixed_exam(w)
    a = assign(w, exam, "钱进")
    TodoItem.objects.filter(key=assignments.todo_key(a.pk)).delete()
    todos.rebuild(w.user("钱进"))
    assert TodoItem.objects.filter(user_id=w.user("钱进").pk, key=assignments.todo_key(a.pk), state="pending").exists()
    assert Question.objects.count() == 9
