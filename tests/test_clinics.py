"""Outpatient schedules (issue 21 item 5): sessions per department; a 停诊 or 替诊 goes through the
approvals engine and reaches the public lobby screen, the website feed and the HIS only once
approved (a rejected one never); the HIS file simulator feeds sessions in; who may ask."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from graphql_relay import to_global_id

from jianlian.identity.models import User
from jianlian.marketplace import services as market
from modules.approvals import actions
from modules.approvals.models import Task
from modules.clinics import his, services
from tenants.context import tenant_context
from tests.factories import build_province, grant, make_department, make_staff
from tests.utils import gql

DAY = dt.date(2030, 3, 4)
LOBBY = f"/t/tonglu/apps/clinics/lobby/?day={DAY.isoformat()}"
FEED = f"/t/tonglu/apps/clinics/feed.json?day={DAY.isoformat()}"
CHANGE = """mutation($input: RequestClinicChangeInput!) { requestClinicChange(input: $input) { status errors { field code } } }"""
WEEK = """query($s: Date!) { clinicSessions(start: $s) { doctorName half status pendingChange } }"""


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    from tests.conftest import _built_for_the_module

    def make():
        p = build_province()
        with tenant_context(p.tenant_a):
            market.install(None, p.tenant_a, "approvals")
            market.install(None, p.tenant_a, "clinics")
            cardio = make_department("XNK", "心内科", unit=p.lead_a)
            staff = {n: make_staff(n, unit=p.lead_a, department=cardio, staff_no=no)
                     for n, no in (("王医生", "D001"), ("李医生", "D002"), ("赵主任", "D003"), ("门诊办", "D004"))}
            User.objects.filter(pk__in=[s.user_id for s in staff.values()]).update(status="active")
            people = {n: User.objects.get(pk=s.user_id) for n, s in staff.items()}
            admin = p.users["tenant_admin"]
            grant(admin, "clinic_scheduler", p.lead_a, p.tenant_a)
            people["admin"] = admin
            session = services.create_session(admin, department_id=cardio.pk, day=DAY, half="am",
                                              doctor_id=people["王医生"].pk, room="201诊室", quota=30, doctor_title="主任医师")
            return {"p": p, "people": people, "cardio": cardio, "session": session}

    yield from _built_for_the_module(django_db_blocker, make)


@pytest.fixture
def w(db, _world, settings, tmp_path):
    _held, world = _world
    for u in world["people"].values():
        u.__dict__.pop("_jl_grants", None)
    settings.CLINICS_HIS_ADAPTER = "modules.clinics.his.FileHis"
    settings.CLINICS_HIS_OPTIONS = {"root": str(tmp_path)}
    world["his"] = tmp_path / "tonglu"
    with tenant_context(world["p"].tenant_a):
        yield world


def call(client, user, query, variables=None):
    status, body = gql(client, query, variables, user=user, HTTP_X_TENANT="tonglu")
    assert status == 200, body
    return body


def lobby(client) -> str:
    client.logout()
    response = client.get(LOBBY)
    assert response.status_code == 200
    return response.content.decode()


def ask(client, w, who="王医生", **extra):
    data = {"session": to_global_id("ClinicSession", w["session"].pk), "kind": "STOP", "reason": "外出会诊",
            "heads": [to_global_id("User", w["people"]["赵主任"].pk)], "offices": [to_global_id("User", w["people"]["门诊办"].pk)],
            **extra}
    return call(client, w["people"][who], CHANGE, {"input": data})


def decide(w, who, approve=True):
    task = Task.objects.get(instance__owner__startswith="clinics:", assignee_id=w["people"][who].pk, status="pending")
    if approve:
        actions.approve(w["people"][who], task.pk, comment="同意")
    else:
        actions.reject(w["people"][who], task.pk, comment="不同意")


def test_the_lobby_screen_shows_a_stop_only_once_approved_and_the_his_hears_of_it(client, w, django_capture_on_commit_callbacks):
    assert "王医生" in lobby(client) and "停诊" not in lobby(client)
    # someone who is neither the doctor nor a scheduler cannot ask
    assert ask(client, w, who="李医生")["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    out = ask(client, w)["data"]["requestClinicChange"]
    assert out == {"status": "pending", "errors": []}
    week = call(client, w["people"]["李医生"], WEEK, {"s": DAY.isoformat()})["data"]["clinicSessions"]
    assert week == [{"doctorName": "王医生", "half": "AM", "status": "OPEN", "pendingChange": "STOP"}]
    decide(w, "赵主任")
    assert "停诊" not in lobby(client)  # the head agreed; the outpatient office has not yet
    with django_capture_on_commit_callbacks(execute=True):
        decide(w, "门诊办")
    page = lobby(client)
    assert "停诊" in page and "201诊室" in page
    feed = client.get(FEED).json()
    assert feed["sessions"][0]["status"] == "stopped" and feed["sessions"][0]["doctor"] == "王医生"
    assert "doctor_id" not in json.dumps(feed)
    pushed = [json.loads(line) for line in (w["his"] / "changes.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(c["kind"], c["day"], c["doctor"]) for c in pushed] == [("stop", DAY.isoformat(), "王医生")]
    # a stopped session cannot be changed again
    assert ask(client, w)["data"]["requestClinicChange"]["errors"][0]["code"] == "CLINICS_NOT_CHANGEABLE"


def test_a_rejected_substitution_changes_nothing_and_an_approved_one_shows_who_stands_in(client, w):
    li = to_global_id("User", w["people"]["李医生"].pk)
    assert ask(client, w, kind="SUBSTITUTE")["data"]["requestClinicChange"]["errors"][0]["code"] == "CLINICS_SUBSTITUTE_REQUIRED"
    assert ask(client, w, kind="SUBSTITUTE", substitute=li)["data"]["requestClinicChange"]["errors"] == []
    decide(w, "赵主任", approve=False)
    assert "替诊" not in lobby(client) and "李医生" not in lobby(client)
    assert ask(client, w, who="admin", kind="SUBSTITUTE", substitute=li)["data"]["requestClinicChange"]["errors"] == []
    decide(w, "赵主任")
    decide(w, "门诊办")
    page = lobby(client)
    assert "李医生" in page and "替诊（原王医生）" in page


def test_sessions_come_in_from_the_his_file_and_a_missing_his_is_a_clear_error(client, w, settings):
    w["his"].mkdir(parents=True)
    rows = [{"his_id": "H1", "department_code": "XNK", "day": "2030-03-05", "half": "pm", "doctor_no": "D002",
             "doctor_name": "李医生", "doctor_title": "主治医师", "room": "203诊室", "quota": 20},
            {"his_id": "H2", "department_code": "NOPE", "day": "2030-03-05", "half": "am", "doctor_name": "某医生"},
            {"his_id": "H3", "department_code": "XNK", "day": "2030-04-01", "half": "am", "doctor_name": "范围外"}]
    (w["his"] / "sessions.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    pull = """mutation($input: PullClinicSessionsInput!) { pullClinicSessions(input: $input) { created updated skipped errors { code } } }"""
    period = {"input": {"start": "2030-03-04", "end": "2030-03-11"}}
    assert call(client, w["people"]["李医生"], pull, period)["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    out = call(client, w["people"]["admin"], pull, period)["data"]["pullClinicSessions"]
    assert out == {"created": 1, "updated": 0, "skipped": 1, "errors": []}
    rows[0]["quota"] = 25
    (w["his"] / "sessions.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    assert his.pull(w["people"]["admin"], DAY, DAY + dt.timedelta(days=7))["updated"] == 1
    feed = client.get(f"/t/tonglu/apps/clinics/feed.json?day=2030-03-05").json()["sessions"]
    assert [(s["doctor"], s["halfLabel"], s["quota"]) for s in feed] == [("李医生", "下午", 25)]
    settings.CLINICS_HIS_ADAPTER = ""
    none = call(client, w["people"]["admin"], pull, period)["data"]["pullClinicSessions"]
    assert none["errors"][0]["code"] == "CLINICS_HIS_UNAVAILABLE"
    assert client.get("/t/tonglu/apps/clinics/feed.json?day=bad").status_code == 400
