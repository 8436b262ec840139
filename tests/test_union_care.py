"""Issue 19 (second part): surveys on the approvals' form engine — named or anonymous (no link from
answers to anyone), once per member, statistics per question for officers of the node only;
condolence requests decided through an approval flow; clubs joined with the club officer's
approval; the staff-cinema lottery, reproducible and never over the tickets."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone
from graphql_relay import to_global_id

from jianlian.core.errors import DomainError
from modules.approvals import actions as approvals
from modules.approvals.models import Task
from modules.union import clubs, condolences, surveys
from modules.union.care_models import TicketEntry
from modules.union.survey_models import SurveyResponse
from tests.union_world import call, entered, module_world
from tests.utils import error_code

FORM = {"type": "object", "required": ["mood"], "properties": {
    "mood": {"title": "满意度", "enum": ["满意", "一般", "不满意"]},
    "score": {"title": "打分", "type": "integer", "minimum": 1, "maximum": 5},
    "advice": {"title": "建议", "type": "string", "maxLength": 200}}}


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    yield from module_world(django_db_blocker)


@pytest.fixture
def w(db, _world):
    yield from entered(_world)


def _code(excinfo) -> str:
    return excinfo.value.code


def _later():
    return timezone.now() + dt.timedelta(days=3)


def test_an_anonymous_survey_is_answered_once_and_its_answers_name_no_one(w):
    chair = w.user("王主席")
    with pytest.raises(DomainError) as e:
        surveys.create_survey(chair, w.nodes["内科"].pk, title="问卷", form_schema={"type": "string"}, closes_at=_later())
    assert _code(e) == "INVALID_FORM_SCHEMA"
    with pytest.raises(DomainError):  # not the chair's part of the tree
        surveys.create_survey(chair, w.nodes["外科"].pk, title="问卷", form_schema=FORM, closes_at=_later())
    s = surveys.create_survey(chair, w.nodes["内科"].pk, title="食堂满意度", form_schema=FORM, closes_at=_later(),
                              anonymous=True)
    surveys.answer(w.user("赵敏"), s.pk, {"mood": "满意", "score": 5, "advice": "多些蔬菜"})
    surveys.answer(w.user("钱进"), s.pk, {"mood": "一般", "score": 3})
    with pytest.raises(DomainError) as e:
        surveys.answer(w.user("赵敏"), s.pk, {"mood": "不满意"})
    assert _code(e) == "UNION_SURVEY_ANSWERED"
    with pytest.raises(DomainError) as e:
        surveys.answer(w.user("孙立"), s.pk, {"mood": "很好"})
    assert e.value.problems[0].field == "answers.mood"
    with pytest.raises(DomainError):  # 外科 is not in the survey's node
        surveys.answer(w.user("李想"), s.pk, {"mood": "满意"})
    assert set(SurveyResponse.objects.filter(survey=s).values_list("member_id", flat=True)) == {None}
    stats = {q["key"]: q for q in surveys.statistics(chair, s.pk)}
    assert stats["mood"]["counts"] == [{"value": "满意", "count": 1}, {"value": "一般", "count": 1},
                                       {"value": "不满意", "count": 0}]
    assert stats["score"]["average"] == 4
    assert stats["advice"]["texts"] == ["多些蔬菜"]
    with pytest.raises(DomainError):  # a member is not an officer
        surveys.statistics(w.user("赵敏"), s.pk)


def test_a_named_survey_keeps_the_member_and_closes(w):
    s = surveys.create_survey(w.user("admin"), w.nodes["工会"].pk, title="实名", form_schema=FORM, closes_at=_later())
    surveys.answer(w.user("李想"), s.pk, {"mood": "满意"})
    assert SurveyResponse.objects.get(survey=s).member.name == "李想"
    with pytest.raises(DomainError) as e:
        surveys.answer(w.user("周舟"), s.pk, {"mood": "满意"}, now=_later() + dt.timedelta(days=1))
    assert _code(e) == "UNION_SURVEY_CLOSED"


def test_a_condolence_request_is_decided_by_the_officer_through_the_approval_flow(w):
    row = condolences.submit(w.user("钱进"), "birth", "女儿出生")
    task = Task.objects.get(instance_id=row.approval_id, status="pending")
    assert task.assignee_id == w.user("王主席").pk
    approvals.approve(w.user("王主席"), task.pk, comment="祝贺")
    row.refresh_from_db()
    assert row.status == "approved" and row.decided_at is not None
    with pytest.raises(DomainError) as e:
        condolences.submit(w.user("钱进"), "wedding", "结婚")
    assert _code(e) == "INVALID"
    # 外科 has no officer of its own: the union's officers… none either, so the request is refused clearly
    with pytest.raises(DomainError) as e:
        condolences.submit(w.user("李想"), "illness", "住院")
    assert _code(e) == "UNION_NO_OFFICER"


def test_a_club_is_joined_with_its_officers_approval(w):
    club = clubs.create_club(w.user("王主席"), w.nodes["内科"].pk, name="羽毛球协会", officer_id=w.user("孙立").pk)
    row = clubs.join_club(w.user("赵敏"), club.pk)
    assert row.status == "pending"
    with pytest.raises(DomainError) as e:
        clubs.join_club(w.user("赵敏"), club.pk)
    assert _code(e) == "UNION_ALREADY_JOINED"
    with pytest.raises(DomainError):  # only the club's officer reviews
        clubs.review_club(w.user("钱进"), row.pk, True)
    assert clubs.review_club(w.user("孙立"), row.pk, True).status == "approved"


def test_the_cinema_lottery_is_reproducible_and_never_over_the_tickets(w):
    assert clubs.winners("seed", list(range(1, 50)), 7) == clubs.winners("seed", list(range(49, 0, -1)), 7)
    assert len(clubs.winners("seed", [1, 2, 3], 7)) == 3
    assert clubs.winners("a", list(range(100)), 5) != clubs.winners("b", list(range(100)), 5)
    show = clubs.create_screening(w.user("admin"), w.nodes["工会"].pk, title="流浪地球", show_at=_later(), tickets=3)
    for name in ("赵敏", "钱进", "孙立", "王主席", "李想", "周舟", "吴桐"):
        clubs.enter(w.user(name), show.pk)
    with pytest.raises(DomainError) as e:
        clubs.enter(w.user("赵敏"), show.pk)
    assert _code(e) == "UNION_ALREADY_JOINED"
    show = clubs.draw(w.user("admin"), show.pk, seed="2026-12-06")
    won = sorted(TicketEntry.objects.filter(screening=show, won=True).values_list("member_id", flat=True))
    entries = list(TicketEntry.objects.filter(screening=show).values_list("member_id", flat=True))
    assert len(won) == 3 and won == clubs.winners("2026-12-06", entries, 3)
    with pytest.raises(DomainError) as e:
        clubs.draw(w.user("admin"), show.pk)
    assert _code(e) == "UNION_LOTTERY_DRAWN"


SURVEYS = "{ unionSurveys { id title anonymous isOpen answered canManage responses formSchema } }"
ANSWER = """mutation($input: AnswerUnionSurveyInput!) { answerUnionSurvey(input: $input) {
  survey { answered } errors { field code message } } }"""
STATS = "query($id: ID!) { unionSurveyStats(id: $id) { key title answered counts { value count } average texts } }"
SCREENINGS = "{ unionScreenings { id title tickets entries entered won drawn seed canManage } }"


def test_over_graphql_a_member_answers_a_survey_and_the_officer_sees_the_figures(client, w):
    s = surveys.create_survey(w.user("王主席"), w.nodes["内科"].pk, title="工会之家", form_schema=FORM,
                              closes_at=_later(), anonymous=True)
    sid = to_global_id("UnionSurvey", s.pk)
    mine = {x["id"]: x for x in call(client, w, "孙立", SURVEYS)["data"]["unionSurveys"]}
    assert mine[sid]["answered"] is False and mine[sid]["canManage"] is False and mine[sid]["responses"] is None
    bad = call(client, w, "孙立", ANSWER, {"input": {"survey": sid, "answers": json.dumps({"score": 9})}})
    assert {e["field"] for e in bad["data"]["answerUnionSurvey"]["errors"]} == {"answers.mood", "answers.score"}
    ok = call(client, w, "孙立", ANSWER, {"input": {"survey": sid, "answers": json.dumps({"mood": "一般"})}})
    assert ok["data"]["answerUnionSurvey"] == {"survey": {"answered": True}, "errors": []}
    again = call(client, w, "孙立", ANSWER, {"input": {"survey": sid, "answers": json.dumps({"mood": "满意"})}})
    assert again["data"]["answerUnionSurvey"]["errors"][0]["code"] == "UNION_SURVEY_ANSWERED"
    assert sid not in {x["id"] for x in call(client, w, "李想", SURVEYS)["data"]["unionSurveys"]}
    stats = call(client, w, "王主席", STATS, {"id": sid})["data"]["unionSurveyStats"]
    assert stats[0]["counts"][1] == {"value": "一般", "count": 1}
    denied = call(client, w, "孙立", STATS, {"id": sid})
    assert error_code(denied) == "NOT_FOUND"
    show = clubs.create_screening(w.user("admin"), w.nodes["内科"].pk, title="你好李焕英", show_at=_later(), tickets=1)
    call(client, w, "孙立", "mutation($s: ID!) { enterUnionScreening(input: {screening: $s}) { errors { code } } }",
         {"s": to_global_id("UnionScreening", show.pk)})
    row = next(x for x in call(client, w, "孙立", SCREENINGS)["data"]["unionScreenings"]
               if x["id"] == to_global_id("UnionScreening", show.pk))
    assert row["entered"] is True and row["drawn"] is False and row["canManage"] is False
