"""Issue 15 item 1: `node(id:)` goes through one access check for every Node type.

The walk below takes every type that implements `Node` in the composed schema (so a new type
without an entry here fails the test), creates one object of it in 桐庐, and asks for it as an
anonymous caller (in an active and in a suspended tenant), as a member of another tenant, as a
member of 桐庐 without the type's permission and with an app token: every one of them gets the
same answer as for an ID that does not exist — `node: null` and no error. Someone who may see
the object gets it, so the walk is not vacuous.
"""

from __future__ import annotations

import json

import pytest
from django.utils import timezone
from graphql_relay import to_global_id

from jianlian.api.schema import schema
from tenants.context import tenant_context
from tests.factories import grant, make_department, make_staff, make_user, member
from tests.utils import token_for

NODE = "query($id: ID!) { node(id: $id) { id __typename } }"


def _ask(client, gid, *, user=None, token=None, path="/graphql/", **headers):
    if user is not None:
        token = token_for(user)
    if token is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    r = client.post(path, data=json.dumps({"query": NODE, "variables": {"id": gid}}), content_type="application/json",
                    **headers)
    return r.status_code, r.json()


NOT_FOUND = (200, None)


def _answer(client, gid, **kw):
    status, body = _ask(client, gid, **kw)
    if status != 200:
        return status, body.get("errors", [{}])[0].get("extensions", {}).get("code")
    assert "errors" not in body, body
    return status, body["data"]["node"]


def _node_types() -> set[str]:
    gs = schema.graphql_schema
    node = gs.get_type("Node")
    return {t.name for t in gs.type_map.values() if getattr(t, "interfaces", None) and node in t.interfaces}


# Types any signed-in member of the tenant may read (the province's organisation tree, the
# tenant's app catalog, the mandates that cover it and its own tenant record), as the lists of
# them allow: for them the "member without the permission" case is not a refusal. Everything
# else needs a permission or a relation to the object.
OPEN_TO_MEMBERS = {"OrgUnit", "App", "Tenant", "Mandate", "MeetingRoom",  # a room: every member books it
                   "RosterShiftType", "Roster",  # shift types and published duty rosters are posted for everyone
                   "LearningCourse", "LearningLesson", "LearningQuizCampaign"}  # the catalogue and quizzes are for everyone
# Province-wide and not tenant data (the tree; a built-in app is in every tenant's catalog): a
# member of another tenant may read them too.
OPEN_TO_EVERY_MEMBER = {"OrgUnit", "App"}


@pytest.fixture
def objects(province):
    """{type name: (global id, a user who may see it)} for one object of every Node type, in 桐庐."""
    from jianlian.marketplace import services as market
    from jianlian.marketplace.models import App, Mandate
    from jianlian.notifications.services import notify
    from jianlian.org import services as org
    from jianlian.org.models import ImportJob, LifecycleEvent
    from modules.referrals import services as referrals

    p = province
    admin, doctor = p.users["tenant_admin"], p.users["doctor"]
    market.install(None, p.tenant_a, "referrals")
    grant(admin, "referral_office", p.lead_a, p.tenant_a)
    out = {
        "OrgUnit": (p.member_a1, doctor),
        "Tenant": (p.tenant_a, admin),
        "User": (doctor, doctor),
        "App": (App.objects.get(key="referrals"), admin),
        "Mandate": (Mandate.objects.create(app=App.objects.get(key="referrals"), node=p.county_a), p.users["province_admin"]),
    }
    with tenant_context(p.tenant_a):
        dept = make_department("XNK", "心内科", unit=p.lead_a)
        staff = make_staff("周护士", unit=p.lead_a, department=dept)
        out["Department"] = (dept, admin)
        out["Contact"] = (staff, admin)
        out["Tag"] = (org.create_tag(admin, code="head_nurse_x", name="护士长"), admin)
        out["Group"] = (org.create_group(admin, name="质控小组"), admin)
        out["LifecycleEvent"] = (LifecycleEvent.objects.order_by("-pk").first(), admin)
        out["ImportJob"] = (ImportJob.objects.create(file=b"", mode="valid_only", created_by_id=admin.pk), admin)
        out["Notification"] = (notify([doctor.pk], sender_name="系统", title="交班提醒"), doctor)
        from tests.worlds import FORM

        referral = referrals.create_draft(doctor, from_unit_id=p.member_a1.pk, to_unit_id=p.lead_a.pk, **FORM)
        out["Referral"] = (referral, doctor)
        # approvals: a template only the doctor may start, her request, the admin's task and to-do
        from jianlian.todos.models import TodoItem
        from modules.approvals import actions as approvals, templates
        from modules.approvals.models import Task

        market.install(None, p.tenant_a, "approvals")
        template = templates.create_template(
            None, key="node-walk", name="走查", audience={"user_ids": [doctor.pk]},
            form_schema={"type": "object", "required": ["reason"], "properties": {"reason": {"type": "string", "title": "事由"}}},
            flow_tree={"id": "start", "type": "start", "child": {"id": "a", "type": "approver", "name": "审批", "mode": "seq",
                                                                 "assignee": {"kind": "users", "userIds": [admin.pk]}, "child": None}})
        instance = approvals.submit(doctor, template.pk, {"reason": "外出进修"})
        out["ApprovalTemplate"] = (template, doctor)
        out["ApprovalInstance"] = (instance, doctor)
        out["ApprovalTask"] = (Task.objects.get(instance=instance, assignee_id=admin.pk), admin)
        out["TodoItem"] = (TodoItem.objects.filter(user_id=admin.pk).order_by("-pk").first(), admin)
        # announcements: a post to 心内科 by the announcements administrator (whitelisted)
        from jianlian.notifications.models import SenderGrant
        from modules.announcements import actions as announcements
        from modules.announcements.models import Column

        market.install(None, p.tenant_a, "announcements")
        grant(admin, "announcements_admin", p.lead_a, p.tenant_a)
        admin.__dict__.pop("_jl_grants", None)  # the grants read earlier in this test are cached on the user
        SenderGrant.objects.create(user_id=admin.pk, unit_id=None)
        column = Column.objects.get(key="notices")
        post = announcements.save_post(admin, column_id=column.pk, title="通知", audience={"department_ids": [dept.pk]})
        out["Announcement"] = (announcements.publish_post(admin, post.pk), admin)
        out["AnnouncementColumn"] = (column, admin)
        # meetings: a room every member sees, a private meeting only the doctor (organiser) sees
        import datetime as dt

        from django.utils import timezone

        from modules.meetings import booking as meetings, rooms as meeting_rooms

        market.install(None, p.tenant_a, "meetings")
        room = meeting_rooms.create_room(None, p.lead_a.pk, name="走查会议室", capacity=10)
        start = timezone.now() + dt.timedelta(days=1)
        out["MeetingRoom"] = (room, doctor)
        out["MeetingBooking"] = (meetings.book(doctor, room.pk, title="走查", start=start, end=start + dt.timedelta(hours=1),
                                               is_private=True)[0], doctor)
        # learning: a question (managers only), an exam assigned to the doctor, her attempt, the assignment
        from modules.learning import assignments as learning_assignments, attempts as learning_attempts
        from modules.learning import exams as learning_exams, questions as learning_questions

        market.install(None, p.tenant_a, "learning")
        grant(admin, "learning_admin", p.lead_a, p.tenant_a)
        admin.__dict__.pop("_jl_grants", None)  # the grants read before are cached on the user
        question = learning_questions.create_question(None, kind="true_false", stem="手套可代替洗手。", answer=False, topic="院感")
        exam = learning_exams.create_exam(admin, title="院感", mode="fixed", questions=[{"question": question.pk}])
        assignment = learning_assignments.assign(admin, exam.pk, {"user_ids": [doctor.pk]}, timezone.now() + timezone.timedelta(days=1))
        out["LearningQuestion"] = (question, admin)
        out["LearningExam"] = (exam, doctor)
        out["LearningAssignment"] = (assignment, doctor)
        out["LearningAttempt"] = (learning_attempts.start_attempt(doctor, exam.pk), doctor)
        # drive: a restricted folder only the doctor is named in, and a file in it
        from modules.drive import actions as drive

        market.install(None, p.tenant_a, "drive")
        folder = drive.create_folder(None, unit_id=p.lead_a.pk, name="走查", category="走查", restricted=True,
                                     audience={"user_ids": [doctor.pk]})
        out["DriveFolder"] = (folder, doctor)
        out["DriveFile"] = (drive.DriveFile.objects.create(folder=folder, name="走查.pdf"), doctor)
        # documents: a series (drafters), a draft only its drafter (and the office) sees, a 收文 the office registered
        from modules.documents import incoming as documents_in, outgoing as documents_out
        from modules.documents.models import Series

        market.install(None, p.tenant_a, "documents")
        grant(admin, "documents_clerk", p.lead_a, p.tenant_a)
        admin.__dict__.pop("_jl_grants", None)
        series = Series.objects.create(code="走查发", name="走查", issuer="桐庐县第一人民医院")
        out["DocumentSeries"] = (series, admin)
        out["OutgoingDocument"] = (documents_out.save_draft(admin, title="走查发文", series_id=series.pk, body="正文",
                                                            main_to=[{"kind": "user", "id": doctor.pk}]), admin)
        out["IncomingDocument"] = (documents_in.register(admin, issuer="某局", number="", title="走查收文"), admin)
        # mailbox: a named letter its writer (the doctor) sees
        from modules.mailbox import actions as mailbox

        market.install(None, p.tenant_a, "mailbox")
        out["MailboxLetter"] = (mailbox.submit(doctor, subject="走查来信", body="内容")[0], doctor)
        # payslips: the doctor's own payslip of a published batch; the batch (payroll office only)
        from django.db import connection

        from modules.payslips import crypto as payslip_crypto
        from modules.payslips.models import Batch as PayslipBatch, Payslip

        market.install(None, p.tenant_a, "payslips")
        grant(admin, "payroll_office", p.lead_a, p.tenant_a)
        admin.__dict__.pop("_jl_grants", None)
        batch = PayslipBatch.objects.create(month="2026-11", title="11月工资条", status="published")
        out["PayslipBatch"] = (batch, admin)
        out["Payslip"] = (Payslip.objects.create(batch=batch, user_id=doctor.pk, staff_no="TL0001", name="赵医生", sealed=payslip_crypto.seal(
            connection.schema_name, batch.pk, doctor.pk, b"[]")), doctor)
        # rosters: a shift type (members), a published roster of 心内科 with the doctor on it
        import datetime as dt

        from modules.rosters import services as rosters
        from modules.rosters.models import Entry as RosterEntry, Roster

        market.install(None, p.tenant_a, "rosters")
        grant(admin, "roster_scheduler", p.lead_a, p.tenant_a)
        admin.__dict__.pop("_jl_grants", None)
        shift = rosters.create_shift_type(admin, code="白", name="白班", start=dt.time(8), end=dt.time(16))
        roster = Roster.objects.create(department_id=dept.pk, department_name=dept.name, month="2030-03", status="published")
        RosterEntry.objects.create(roster=roster, user_id=doctor.pk, name="赵医生", day=dt.date(2030, 3, 1), shift=shift)
        out["RosterShiftType"] = (shift, doctor)
        out["Roster"] = (roster, doctor)
        from modules.learning import courses as learning_courses, quiz as learning_quiz

        course = learning_courses.create_course(admin, title="手卫生", credits=1, chapters=[
            {"title": "第一章", "lessons": [{"title": "规范", "kind": "article", "body": "接触患者前后洗手。"}]}])
        campaign = learning_quiz.create_campaign(admin, title="每日一答", kind="daily", per_day=1)
        out["LearningCourse"] = (course, doctor)
        out["LearningLesson"] = (course.lessons.first(), doctor)
        out["LearningQuizCampaign"] = (campaign, doctor)
        out["LearningQuizSession"] = (learning_quiz.todays_session(doctor, campaign.pk), doctor)
    ids = {}
    for name, (obj, viewer) in out.items():
        assert obj is not None, name
        ids[name] = (to_global_id(name, obj.pk), viewer)
    return ids


def test_every_node_type_has_an_object_in_the_walk(objects):
    assert set(objects) == _node_types()


def test_every_node_type_resolves_through_the_one_access_check():
    from jianlian.api.types import ModelType

    for name in _node_types():
        graphene_type = schema.graphql_schema.get_type(name).graphene_type
        assert graphene_type.get_node.__func__ is ModelType.get_node.__func__, f"{name} overrides get_node"
        assert callable(getattr(graphene_type, "access_node", None)), f"{name} has no access_node"


def test_node_answers_not_found_alike_to_everyone_who_may_not_see_the_object(client, province, objects):
    from jianlian.marketplace import external
    from tests.test_marketplace_external import _doc

    p = province
    outsider = p.users["doctor_b"]  # 象山
    bare = make_user("孙干事")  # a member of 桐庐 without any role
    member(bare, p.tenant_a, p.member_a1)
    external.register_external_app(None, p.root, _doc())
    _inst, app_token = external.install_external(p.users["tenant_admin"], p.tenant_a, "bed_board", [])
    # an ID that exists nowhere: the answer every refusal must look like
    for name, (gid, _viewer) in objects.items():
        missing = to_global_id(name, 987654321)
        assert _answer(client, missing, user=_viewer, HTTP_X_TENANT="tonglu") == NOT_FOUND, name

    for name, (gid, viewer) in objects.items():
        # someone who may see it does
        at = {} if name == "Mandate" else {"HTTP_X_TENANT": "tonglu"}
        status, data = _answer(client, gid, user=viewer, **at)
        assert status == 200 and data == {"id": gid, "__typename": name}, (name, data)
        # anonymous, in the tenant and on the console
        assert _answer(client, gid, HTTP_X_TENANT="tonglu") == NOT_FOUND, name
        assert _answer(client, gid, path="/t/tonglu/graphql/") == NOT_FOUND, name
        assert _answer(client, gid) == NOT_FOUND, name
        # a member of another tenant, in their tenant and on the console
        if name not in OPEN_TO_EVERY_MEMBER:
            assert _answer(client, gid, user=outsider, HTTP_X_TENANT="xiangshan") == NOT_FOUND, name
            assert _answer(client, gid, user=outsider) == NOT_FOUND, name
        # and naming 桐庐 is refused before anything is looked up
        assert _answer(client, gid, user=outsider, HTTP_X_TENANT="tonglu") == (403, "TENANT_ACCESS_DENIED"), name
        if name not in OPEN_TO_MEMBERS:
            # a member of 桐庐 without the permission, and an app token without grants
            assert _answer(client, gid, user=bare, HTTP_X_TENANT="tonglu") == NOT_FOUND, name
            assert _answer(client, gid, token=app_token, HTTP_X_TENANT="tonglu") == NOT_FOUND, name


def test_node_answers_not_found_in_a_suspended_tenant(client, province, objects):
    from tenants.provisioning import set_status

    set_status(None, province.tenant_a, "suspended", "停业整顿")
    for name, (gid, _viewer) in objects.items():
        assert _answer(client, gid, HTTP_X_TENANT="tonglu") == NOT_FOUND, name
        assert _answer(client, gid, path="/t/tonglu/graphql/") == NOT_FOUND, name


@pytest.mark.parametrize("gid", ["", "x", "Tm90aWZpY2F0aW9uOg==", to_global_id("NoSuchType", 1), to_global_id("Notification", "abc"),
                                 to_global_id("MutationError", 1)])
def test_malformed_ids_are_not_found(client, province, gid):
    assert _answer(client, gid, user=province.users["tenant_admin"], HTTP_X_TENANT="tonglu") == NOT_FOUND


def test_referral_notifications_carry_no_patient_details(province):
    """The notice a referral sends names the referral, never the patient: the notification centre
    shows it to admins (read receipts) and texts it out, and neither may read the referral."""
    from jianlian.marketplace import services as market
    from jianlian.notifications.models import Notification
    from modules.referrals import services as referrals
    from tests.worlds import FORM

    p = province
    market.install(None, p.tenant_a, "referrals")
    receiver = make_user("钱医生甲")
    member(receiver, p.tenant_a, p.lead_a)
    grant(receiver, "doctor", p.lead_a, p.tenant_a)
    with tenant_context(p.tenant_a):
        r = referrals.create_draft(p.users["doctor"], from_unit_id=p.member_a1.pk, to_unit_id=p.lead_a.pk, **FORM)
        referrals.transition(p.users["doctor"], r.pk, "submit")
        referrals.check_sla(now=timezone.now() + timezone.timedelta(days=2))
        notes = list(Notification.objects.values_list("title", "body"))
    assert notes, "the referral sent no notice"
    for title, body in notes:
        for detail in (FORM["patient_name"], FORM["diagnosis_text"], FORM["diagnosis_code"], FORM["patient_phone"]):
            assert detail not in title + body, (title, body)


def test_an_app_token_sees_no_platform_notices_as_its_own(client, province, objects):
    from jianlian.marketplace import external
    from tests.test_marketplace_external import _doc

    external.register_external_app(None, province.root, _doc())
    _inst, app_token = external.install_external(province.users["tenant_admin"], province.tenant_a, "bed_board", [])
    r = client.post("/graphql/", data=json.dumps({"query": "{ sentNotifications(first: 10) { totalCount } }"}),
                    content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {app_token}", HTTP_X_TENANT="tonglu")
    assert r.json()["data"] == {"sentNotifications": {"totalCount": 0}}
