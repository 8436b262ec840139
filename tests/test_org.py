"""Organisation online (issue 5): lifecycle at the effective time, hand-over of pending work,
pinyin search with polyphonic surnames, field visibility, dynamic groups and audiences."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from jianlian.access.models import Membership, RoleGrant
from jianlian.core.errors import DomainError
from jianlian.identity.models import User
from jianlian.identity.services import issue_token, user_for_token
from jianlian.notifications import services as notifications
from jianlian.org import handover, services, tasks
from jianlian.org.audience import Targets, resolve_audience
from jianlian.org.models import LifecycleEvent, StaffProfile, VisibilityRule
from tenants.context import tenant_context
from tests.factories import grant, make_department, make_id_number, make_staff, make_user, member


@pytest.fixture
def province(db, shared_province):
    """The tests here write only inside their own transaction: they share one province (each
    test starts from the users' grants as stored, without what an earlier test cached)."""
    for user in shared_province.users.values():
        user.__dict__.pop("_jl_grants", None)
        user.__dict__.pop("_jl_contact_units", None)
    return shared_province


@pytest.fixture
def org(province):
    """桐庐 with the six top groups of seed 003 (two used here), departments and people."""
    p = province
    with tenant_context(p.tenant_a):
        clinical = make_department("G-LC", "临床科室", unit=p.lead_a, kind="group", category="clinical")
        functional = make_department("G-ZN", "职能科室", unit=p.lead_a, kind="group", category="functional")
        internal = make_department("NK", "内科", unit=p.lead_a, parent=clinical)
        ward = make_department("NK-1", "内科一病区", unit=p.lead_a, parent=internal, kind="ward")
        surgery = make_department("WK", "外科", unit=p.lead_a, parent=clinical)
        office = make_department("YB", "院办", unit=p.lead_a, parent=functional)
        head = make_staff("曾国强", unit=p.lead_a, department=internal, staff_no="TL1001", post="主任")
        services.set_department_head(None, internal.pk, head.pk)
        nurse = make_staff("单晓明", unit=p.lead_a, department=ward, staff_no="TL1002", mobile="13900001234")
    return {"clinical": clinical, "functional": functional, "internal": internal, "ward": ward, "surgery": surgery,
            "office": office, "head": head, "nurse": nurse}


def _search(viewer, q):
    return sorted(services.search_contacts(viewer, q).values_list("name", flat=True))


# --- lifecycle -------------------------------------------------------------------------------------

def test_onboarding_takes_effect_at_its_time_not_before(province, org):
    p, admin = province, province.users["tenant_admin"]
    start = timezone.now() + timedelta(days=3)
    with tenant_context(p.tenant_a):
        staff = services.onboard(admin, staff_no="TL2001", name="解晓东", mobile="13911112222",
                                 id_number=make_id_number(), unit_id=p.lead_a.pk,
                                 department_id=org["surgery"].pk, effective_at=start)
        assert staff.status == "pending"
        assert not Membership.objects.filter(user_id=staff.user_id, tenant=p.tenant_a).exists()
        assert "解晓东" not in _search(admin, "xie")
        assert services.apply_due_events(now=start - timedelta(minutes=1)) == []
        assert services.apply_due_events(now=start + timedelta(seconds=1)) != []
        staff.refresh_from_db()
        assert staff.status == "active"
        assert Membership.objects.get(user_id=staff.user_id, tenant=p.tenant_a).unit_id == p.lead_a.pk
        assert _search(admin, "xie") == ["解晓东"]


def test_leaving_revokes_sign_in_memberships_and_grants_at_the_effective_time(province, org):
    p, admin = province, province.users["tenant_admin"]
    nurse = org["nurse"]
    user = User.objects.get(pk=nurse.user_id)
    User.objects.filter(pk=user.pk).update(status="active")
    grant(user, "doctor", p.lead_a, p.tenant_a)
    _token, key = issue_token(User.objects.get(pk=user.pk))
    leave_at = timezone.now() + timedelta(days=1)
    with tenant_context(p.tenant_a):
        event = services.schedule_leave(admin, nurse.pk, effective_at=leave_at, reason="辞职")
        # the day before: nothing has changed
        services.apply_due_events(now=leave_at - timedelta(hours=1))
        assert user_for_token(key) is not None
        assert Membership.objects.get(user_id=user.pk, tenant=p.tenant_a).is_active
        services.apply_due_events(now=leave_at)
        event.refresh_from_db()
        assert event.status == "applied"
        assert _search(admin, "shan") == []
    assert user_for_token(key) is None  # sign-in revoked
    assert not User.objects.get(pk=user.pk).is_active
    assert not Membership.objects.filter(user_id=user.pk, is_active=True).exists()
    assert not RoleGrant.objects.filter(user_id=user.pk).exists()
    with tenant_context(p.tenant_a), pytest.raises(DomainError) as e:
        services.schedule_post_change(admin, nurse.pk, effective_at=timezone.now(), post="护士")
    assert e.value.code == "STAFF_HAS_LEFT"


def test_the_periodic_task_applies_due_events_inside_each_tenant(province, org):
    p, admin = province, province.users["tenant_admin"]
    with tenant_context(p.tenant_a):
        event = services.schedule_post_change(admin, org["nurse"].pk, effective_at=timezone.now() + timedelta(seconds=1),
                                              post="护士长", title="主管护师")
        assert StaffProfile.objects.get(pk=org["nurse"].pk).post == ""
    LifecycleEvent.objects  # noqa: B018  (the event lives in tonglu's schema)
    import time

    time.sleep(1.1)
    tasks.apply_due_events.apply(kwargs={"_schema_name": p.tenant_a.schema_name})
    with tenant_context(p.tenant_a):
        nurse = StaffProfile.objects.get(pk=org["nurse"].pk)
        assert (nurse.post, nurse.title) == ("护士长", "主管护师")
        assert LifecycleEvent.objects.get(pk=event.pk).status == "applied"


def test_transfers_move_department_and_second_to_a_member_unit_or_another_tenant(province, org):
    p, admin = province, province.users["tenant_admin"]
    grant(admin, "tenant_admin", p.lead_b, p.tenant_b)  # manages both tenants: no consent to wait for
    nurse = org["nurse"]
    now = timezone.now()
    with tenant_context(p.tenant_a):
        services.schedule_transfer(admin, nurse.pk, effective_at=now, department_id=org["surgery"].pk)
        assert list(nurse.department_links.filter(is_primary=True).values_list("department__code", flat=True)) == ["WK"]
        services.schedule_transfer(admin, nurse.pk, effective_at=now, unit_id=p.member_a1.pk, secondment=True)
        assert StaffProfile.objects.get(pk=nurse.pk).status == "seconded"
        services.schedule_transfer(admin, nurse.pk, effective_at=now, tenant_slug=p.tenant_b.slug,
                                   unit_id=p.member_b1.pk)
        with pytest.raises(DomainError) as e:
            services.schedule_transfer(admin, nurse.pk, effective_at=now, tenant_slug=p.tenant_b.slug,
                                       unit_id=p.member_a2.pk)
        assert e.value.code == "UNKNOWN_UNIT"
    units = set(Membership.objects.filter(user_id=nurse.user_id, is_active=True).values_list("tenant__slug", "unit_id"))
    assert units == {("tonglu", p.lead_a.pk), ("tonglu", p.member_a1.pk), ("xiangshan", p.member_b1.pk)}
    with tenant_context(p.tenant_a):  # back from being sent down: both secondments end, the job stays
        services.schedule_transfer(admin, nurse.pk, effective_at=now, end_secondment=True)
        assert StaffProfile.objects.get(pk=nurse.pk).status == "active"
    units = set(Membership.objects.filter(user_id=nurse.user_id, is_active=True).values_list("tenant__slug", "unit_id"))
    assert units == {("tonglu", p.lead_a.pk)}


def test_leaving_also_ends_a_secondment_to_another_tenant(province, org):
    p, admin, nurse = province, province.users["tenant_admin"], org["nurse"]
    grant(admin, "tenant_admin", p.lead_b, p.tenant_b)  # manages both tenants: no consent to wait for
    now = timezone.now()
    with tenant_context(p.tenant_a):
        services.schedule_transfer(admin, nurse.pk, effective_at=now, tenant_slug=p.tenant_b.slug, unit_id=p.member_b1.pk)
        services.schedule_leave(admin, nurse.pk, effective_at=now)
    assert not Membership.objects.filter(user_id=nurse.user_id, is_active=True).exists()
    assert not User.objects.get(pk=nurse.user_id).is_active


def test_only_organisation_managers_schedule_lifecycle_events(province, org):
    with tenant_context(province.tenant_a), pytest.raises(DomainError) as e:
        services.schedule_leave(province.users["doctor"], org["nurse"].pk, effective_at=timezone.now())
    assert e.value.code == "PERMISSION_DENIED"


# --- hand-over of pending work ---------------------------------------------------------------------

PENDING_APPROVALS: dict[str, int] = {}


def _reassign_approvals(from_user_id, to_user_id, *, reason, event_id):
    moved = [k for k, v in PENDING_APPROVALS.items() if v == from_user_id]
    for k in moved:
        PENDING_APPROVALS[k] = to_user_id
    return len(moved)


@pytest.fixture
def approvals():
    PENDING_APPROVALS.clear()
    handover.register("tests.approvals", _reassign_approvals)
    yield PENDING_APPROVALS
    handover.unregister("tests.approvals")


def test_pending_work_of_a_leaver_goes_to_the_department_head(province, org, approvals):
    p, admin, nurse, head = province, province.users["tenant_admin"], org["nurse"], org["head"]
    approvals.update({"请假-1": nurse.user_id, "转诊-7": nurse.user_id, "采购-3": head.user_id})
    with tenant_context(p.tenant_a):
        event = services.schedule_leave(admin, nurse.pk, effective_at=timezone.now())
        event.refresh_from_db()
    # the ward has no head: the nearest head above it (内科's) takes over
    assert approvals == {"请假-1": head.user_id, "转诊-7": head.user_id, "采购-3": head.user_id}
    assert event.outcome["handed_over_to"] == head.user_id
    assert event.outcome["handed_over"]["tests.approvals"] == 2


def test_a_moving_head_hands_work_and_headship_to_the_named_successor(province, org, approvals):
    p, admin, head = province, province.users["tenant_admin"], org["head"]
    with tenant_context(p.tenant_a):
        successor = make_staff("沈佳怡", unit=p.lead_a, department=org["internal"])
        approvals["会诊-2"] = head.user_id
        services.schedule_transfer(admin, head.pk, effective_at=timezone.now(), department_id=org["office"].pk,
                                   successor_user_id=successor.user_id)
        org["internal"].refresh_from_db()
        assert org["internal"].head_id == successor.pk
    assert approvals == {"会诊-2": successor.user_id}


# --- contacts: pinyin, initials, numbers -----------------------------------------------------------

def test_search_by_pinyin_initials_staff_number_and_phone_digits_reads_surnames_right(province, org):
    p, admin = province, province.users["tenant_admin"]
    with tenant_context(p.tenant_a):
        for name in ("解晓东", "张三", "张珊珊", "曾经"):
            make_staff(name, unit=p.member_a1, department=org["surgery"])
        assert _search(admin, "shan") == ["单晓明"]      # 单 as a surname is shàn, not dān
        assert _search(admin, "dan") == []
        assert _search(admin, "sxm") == ["单晓明"]
        assert _search(admin, "zeng") == ["曾国强", "曾经"]  # 曾 zēng, and 曾经 is not read céng jīng
        assert _search(admin, "ceng") == []
        assert _search(admin, "xiexiao") == ["解晓东"]    # 解 xiè
        assert _search(admin, "jie") == []
        assert _search(admin, "zhangsan") == ["张三"]
        assert _search(admin, "zs") == ["张三", "张珊珊"]
        assert _search(admin, "ZS") == ["张三", "张珊珊"]
        assert _search(admin, "TL100") == ["单晓明", "曾国强"]
        assert _search(admin, "1234") == ["单晓明"]       # the last digits of a mobile
        assert _search(admin, "晓") == ["单晓明", "解晓东"]


def test_internal_contacts_are_limited_to_the_units_a_viewer_may_see(province, org):
    p = province
    township = make_user("分水职工")
    member(township, p.tenant_a, p.member_a1)
    grant(township, "staff", p.member_a1, p.tenant_a)
    with tenant_context(p.tenant_a):
        make_staff("张三", unit=p.member_a1, department=org["surgery"])
        # a lead-unit grant covers the whole medical community; a member unit's only itself
        assert _search(p.users["tenant_admin"], "") == ["单晓明", "张三", "曾国强"]
        assert _search(township, "") == ["张三"]
        assert _search(make_user("外人"), "") == []


def test_hidden_mobiles_by_tag_depend_on_the_viewer_and_office_phones_always_show(province, org):
    p, admin = province, province.users["tenant_admin"]
    with tenant_context(p.tenant_a):
        director = services.create_tag(admin, code="director", name="院长")
        services.set_tags(admin, org["head"].pk, [director.pk])
        services.update_contact_details(admin, org["head"].pk, office_phone="0571-6461 2345")
        services.add_visibility_rule(admin, field=VisibilityRule.Field.MOBILE, tag_id=director.pk)
        head = StaffProfile.objects.get(pk=org["head"].pk)
        colleague = User.objects.get(pk=org["nurse"].user_id)
        grant(colleague, "staff", p.lead_a, p.tenant_a)
        self_user = User.objects.get(pk=head.user_id)
        as_colleague = services.ContactPolicy(colleague).card(head)
        as_admin = services.ContactPolicy(admin).card(head)
        as_self = services.ContactPolicy(self_user).card(head)
        nurse_card = services.ContactPolicy(colleague).card(StaffProfile.objects.get(pk=org["nurse"].pk))
    assert as_colleague["mobile"] is None and as_colleague["office_phone"] == "0571-6461 2345"
    assert as_admin["mobile"] == head.mobile and as_self["mobile"] == head.mobile
    assert nurse_card["mobile"] == "13900001234"  # no rule covers the nurse


# --- tags, groups and audiences --------------------------------------------------------------------

def test_a_dynamic_group_follows_its_rule_as_people_change(province, org):
    p, admin = province, province.users["tenant_admin"]
    with tenant_context(p.tenant_a):
        head_nurse = services.create_tag(admin, code="head_nurse", name="护士长")
        office_nurse = make_staff("钱佳", unit=p.lead_a, department=org["office"])
        services.set_tags(admin, org["nurse"].pk, [head_nurse.pk])
        services.set_tags(admin, office_nurse.pk, [head_nurse.pk])  # a functional department: not in the rule
        group = services.create_group(admin, name="临床护士长", rule={"tags": ["head_nurse"], "categories": ["clinical"]})
        assert set(services.group_members(group).values_list("name", flat=True)) == {"单晓明"}
        surgeon = make_staff("孙伟", unit=p.lead_a, department=org["surgery"])
        services.set_tags(admin, surgeon.pk, [head_nurse.pk])
        assert set(services.group_members(group).values_list("name", flat=True)) == {"单晓明", "孙伟"}
        assert resolve_audience(Targets(group_ids=[group.pk])) == {org["nurse"].user_id, surgeon.user_id}
        with pytest.raises(DomainError) as e:
            services.create_group(admin, name="坏规则", rule={"tags": ["nope"]})
        assert e.value.code == "UNKNOWN_TAG"


def test_departments_and_tags_are_notification_targets(province, org):
    p, admin = province, province.users["tenant_admin"]
    with tenant_context(p.tenant_a):
        notifications.grant_sender(admin, admin.pk, None)
        tag = services.create_tag(admin, code="deputy", name="副主任")
        services.set_tags(admin, org["head"].pk, [tag.pk])
        # a department includes its wards
        note = notifications.send(admin, title="内科例会", audience=notifications.Audience(department_ids=[org["internal"].pk]))
        assert set(note.deliveries.values_list("user_id", flat=True)) == {org["head"].user_id, org["nurse"].user_id}
        note = notifications.send(admin, title="中层会议", audience=notifications.Audience(tag_ids=[tag.pk]))
        assert set(note.deliveries.values_list("user_id", flat=True)) == {org["head"].user_id}
        assert resolve_audience(Targets(unit_ids=[p.lead_a.pk], role_codes=["tenant_admin"])) >= {admin.pk}
        # a doctor without the whitelist may not push to a department
        with pytest.raises(DomainError) as e:
            notifications.send(p.users["doctor"], title="越权", audience=notifications.Audience(department_ids=[org["ward"].pk]))
        assert e.value.code == "SENDER_NOT_WHITELISTED"


# --- over GraphQL ----------------------------------------------------------------------------------

CONTACTS = """query($q: String) { contacts(search: $q, first: 50) { totalCount edges { node {
  name staffNo mobile officePhone post departments { code } tags { name } } } } }"""


def test_contacts_over_graphql_hide_fields_per_viewer_without_n_plus_one(client, province, org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.utils import gql

    p, admin = province, province.users["tenant_admin"]
    colleague = User.objects.get(pk=org["nurse"].user_id)
    User.objects.filter(pk=colleague.pk).update(status="active")
    grant(colleague, "staff", p.lead_a, p.tenant_a)
    with tenant_context(p.tenant_a):
        director = services.create_tag(admin, code="director", name="院长")
        services.set_tags(admin, org["head"].pk, [director.pk])
        services.update_contact_details(admin, org["head"].pk, office_phone="0571-64612345")
        services.add_visibility_rule(admin, tag_id=director.pk)

    def contacts(viewer, q="zgq"):
        _, body = gql(client, CONTACTS, {"q": q}, user=viewer, HTTP_X_TENANT="tonglu")
        return body["data"]["contacts"]

    [seen_by_colleague] = [e["node"] for e in contacts(User.objects.get(pk=colleague.pk))["edges"]]
    [seen_by_admin] = [e["node"] for e in contacts(admin)["edges"]]
    assert seen_by_colleague["mobile"] is None and seen_by_colleague["officePhone"] == "0571-64612345"
    assert seen_by_admin["mobile"] == org["head"].mobile
    assert seen_by_admin["departments"] == [{"code": "NK"}] and seen_by_admin["tags"] == [{"name": "院长"}]

    with CaptureQueriesContext(connection) as few:
        assert contacts(User.objects.get(pk=colleague.pk), "")["totalCount"] == 2
    with tenant_context(p.tenant_a):
        for name in ("张三", "李四", "王五", "赵六"):
            s = make_staff(name, unit=p.lead_a, department=org["surgery"])
            services.set_tags(admin, s.pk, [director.pk])
    with CaptureQueriesContext(connection) as many:
        assert contacts(User.objects.get(pk=colleague.pk), "")["totalCount"] == 6
    assert len(many.captured_queries) == len(few.captured_queries)


ONBOARD = """mutation($input: OnboardStaffInput!) { onboardStaff(input: $input) {
  contact { name staffNo status departments { code } } errors { field code } } }"""
LEAVE = """mutation($input: ScheduleLeaveInput!) { scheduleLeave(input: $input) {
  event { kind status effectiveAt staff { name } } errors { field code } } }"""
TREE = """query($parent: ID) { departments(parent: $parent) { edges { node { id code name kind category
  head { name } children { totalCount edges { node { code } } } } } } }"""


def test_managers_run_the_lifecycle_over_graphql_with_field_errors(client, province, org):
    from graphql_relay import to_global_id

    from tests.utils import gql

    admin = province.users["tenant_admin"]
    base = {"staffNo": "TL3001", "name": "单丽", "mobile": "12345", "idNumber": "330122198503120014",
            "unit": to_global_id("OrgUnit", province.lead_a.pk), "department": to_global_id("Department", org["ward"].pk),
            "effectiveAt": (timezone.now() + timedelta(days=7)).isoformat()}
    _, body = gql(client, ONBOARD, {"input": base}, user=admin, HTTP_X_TENANT="tonglu")
    assert body["data"]["onboardStaff"]["errors"] == [{"field": "mobile", "code": "INVALID_MOBILE"},
                                                      {"field": "idNumber", "code": "INVALID_ID_NUMBER"}]
    _, body = gql(client, ONBOARD, {"input": {**base, "mobile": "13655550001", "idNumber": make_id_number()}}, user=admin,
                  HTTP_X_TENANT="tonglu")
    assert body["data"]["onboardStaff"] == {"contact": {"name": "单丽", "staffNo": "TL3001", "status": "PENDING",
                                                        "departments": []}, "errors": []}
    _, body = gql(client, ONBOARD, {"input": {**base, "mobile": "13655550002", "idNumber": make_id_number()}},
                  user=province.users["doctor"], HTTP_X_TENANT="tonglu")
    assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"

    leave = {"contact": to_global_id("Contact", org["nurse"].pk), "effectiveAt": (timezone.now() + timedelta(days=30)).isoformat(),
             "successor": to_global_id("User", org["head"].user_id), "reason": "调往外院"}
    _, body = gql(client, LEAVE, {"input": leave}, user=admin, HTTP_X_TENANT="tonglu")
    event = body["data"]["scheduleLeave"]["event"]
    assert (event["kind"], event["status"], event["staff"]["name"]) == ("LEAVE", "PENDING", "单晓明")

    _, body = gql(client, TREE, {}, user=admin, HTTP_X_TENANT="tonglu")
    tops = {e["node"]["code"]: e["node"] for e in body["data"]["departments"]["edges"]}
    assert set(tops) == {"G-LC", "G-ZN"} and tops["G-LC"]["category"] == "CLINICAL"
    assert [e["node"]["code"] for e in tops["G-LC"]["children"]["edges"]] == ["NK", "WK"]
    _, body = gql(client, TREE, {"parent": to_global_id("Department", org["internal"].pk)}, user=admin, HTTP_X_TENANT="tonglu")
    assert [e["node"]["code"] for e in body["data"]["departments"]["edges"]] == ["NK-1"]
    # the organisation lives in tenants: the province console has none
    _, body = gql(client, TREE, {}, user=admin)
    assert body["errors"][0]["extensions"]["code"] == "TENANT_NOT_FOUND"


def test_mobiles_of_a_role_can_be_hidden(province, org):
    p, admin = province, province.users["tenant_admin"]
    grant(User.objects.get(pk=org["head"].user_id), "unit_admin", p.lead_a, p.tenant_a)
    viewer = User.objects.get(pk=org["nurse"].user_id)
    grant(viewer, "staff", p.lead_a, p.tenant_a)
    with tenant_context(p.tenant_a):
        services.add_visibility_rule(admin, role_code="unit_admin")
        policy = services.ContactPolicy(viewer)
        assert policy.card(StaffProfile.objects.get(pk=org["head"].pk))["mobile"] is None
        with pytest.raises(DomainError) as e:
            services.add_visibility_rule(admin, role_code="no_such_role")
        assert e.value.code == "INVALID"


def test_a_failing_hand_over_keeps_its_event_pending_and_does_not_stall_the_next(province, org):
    p, admin = province, province.users["tenant_admin"]

    def broken(from_user_id, to_user_id, *, reason, event_id):
        raise RuntimeError("审批系统暂不可用")

    when = timezone.now() + timedelta(hours=1)
    with tenant_context(p.tenant_a):
        leave = services.schedule_leave(admin, org["nurse"].pk, effective_at=when)
        post = services.schedule_post_change(admin, org["head"].pk, effective_at=when + timedelta(minutes=1), post="院长")
        handover.register("tests.broken", broken)
        try:
            assert services.apply_due_events(now=when + timedelta(minutes=5)) == [post.pk]
        finally:
            handover.unregister("tests.broken")
        leave.refresh_from_db()
        assert leave.status == "pending" and "审批系统暂不可用" in leave.outcome["error"]
        assert StaffProfile.objects.get(pk=org["nurse"].pk).status == "active"  # nothing half-done
        assert services.apply_due_events(now=when + timedelta(minutes=6)) == [leave.pk]  # retried later


def test_someone_who_left_can_be_onboarded_again(province, org):
    p, admin = province, province.users["tenant_admin"]
    nurse = org["nurse"]
    account = User.objects.get(pk=nurse.user_id)
    with tenant_context(p.tenant_a):
        services.schedule_leave(admin, nurse.pk, effective_at=timezone.now())
        assert not User.objects.get(pk=account.pk).is_active
        again = services.onboard(admin, staff_no="TL9002", name="单晓明", mobile=account.mobile, id_number=account.id_number,
                                 unit_id=p.member_a1.pk, department_id=org["surgery"].pk, effective_at=timezone.now())
        assert again.pk == nurse.pk and again.status == "active" and again.staff_no == "TL9002"
        assert _search(admin, "sxm") == ["单晓明"]
    assert User.objects.get(pk=account.pk).is_active
    assert Membership.objects.get(user_id=account.pk, tenant=p.tenant_a, is_active=True).unit_id == p.member_a1.pk


def test_existing_tenants_roles_gain_the_organisation_permissions_on_migrate(province):
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    from jianlian.access.checks import has_perm
    from jianlian.access.models import Role

    migration = importlib.import_module("jianlian.org.migrations.0002_role_permissions")
    role = Role.objects.get(tenant=province.tenant_a, code="staff")
    Role.objects.filter(pk=role.pk).update(permissions=[c for c in role.permissions if not c.startswith("org.")])
    someone = make_user("老职工")
    grant(someone, "staff", province.lead_a, province.tenant_a)
    assert not has_perm(someone, "org.view_contacts", province.lead_a)  # a tenant provisioned before this app
    with tenant_context(province.tenant_a):
        migration.add_permissions(apps, SimpleNamespace(connection=connection))
    someone = User.objects.get(pk=someone.pk)
    assert has_perm(someone, "org.view_contacts", province.lead_a)
    assert "org.view_contacts" in Role.objects.get(tenant=province.tenant_b, code="staff").permissions


def test_browsing_a_department_includes_its_wards_and_public_and_personal_contacts_are_scoped(client, province, org):
    from graphql_relay import to_global_id

    from tests.utils import gql

    p, admin = province, province.users["tenant_admin"]
    colleague = User.objects.get(pk=org["nurse"].user_id)
    User.objects.filter(pk=colleague.pk).update(status="active")
    grant(colleague, "staff", p.lead_a, p.tenant_a)
    with tenant_context(p.tenant_a):
        in_internal = services.search_contacts(admin, "", department_id=org["internal"].pk)
        assert sorted(in_internal.values_list("name", flat=True)) == ["单晓明", "曾国强"]  # 内科 and its ward
        assert list(services.search_contacts(admin, "", department_id=org["ward"].pk).values_list("name", flat=True)) == ["单晓明"]
        services.add_public_contact(admin, name="总值班室", phone="0571-64620000", department_id=org["office"].pk)
        services.add_personal_contact(admin, name="供应商小王", phone="13512345678")
        with pytest.raises(DomainError) as e:
            services.add_public_contact(p.users["doctor"], name="越权", phone="110")
        assert e.value.code == "PERMISSION_DENIED"
    q = """query($d: ID) { publicContacts { name phone } myPersonalContacts { name }
      contacts(department: $d) { edges { node { name } } } }"""
    _, body = gql(client, q, {"d": to_global_id("Department", org["ward"].pk)}, user=User.objects.get(pk=colleague.pk),
                  HTTP_X_TENANT="tonglu")
    assert body["data"] == {"publicContacts": [{"name": "总值班室", "phone": "0571-64620000"}], "myPersonalContacts": [],
                            "contacts": {"edges": [{"node": {"name": "单晓明"}}]}}
    _, body = gql(client, q, {}, user=admin, HTTP_X_TENANT="tonglu")
    assert body["data"]["myPersonalContacts"] == [{"name": "供应商小王"}]
