"""The demo province (`manage.py seed_demo`): what someone starting the platform for the first time
sees — a five-level 浙江 with tenants, staff, and a working sign-in for every built-in role."""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django_tenants.utils import schema_exists

from jianlian.access.checks import has_perm
from jianlian.access.models import Membership, Role, RoleGrant
from jianlian.audit.models import AuditRecord
from jianlian.core.errors import DomainError
from jianlian.core.validators import validate_id_number, validate_mobile, validate_slug
from jianlian.demo.seed import (
    COUNTIES, DEMO_ACCOUNTS, SCALES, STAFF_WEIGHTS, _apportion, build_plan, seed_province,
)
from jianlian.hierarchy.models import OrgUnit, UnitPlacement
from jianlian.identity.models import User
from jianlian.identity.services import sign_in
from tenants.models import Tenant, TenantStatus
from tests import dbstate

MEMBER_TYPES = {"township_centre", "community_centre", "village_clinic"}


def _run(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """One demo seed for the module, rolled back at its end; each test's `db` transaction nests
    inside as a savepoint. The seed starts from a database without the tests' own province
    (put back as it was before that, inside the same rolled-back transaction)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            dbstate.restore(dbstate.BASE)
            yield _run()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def province(db, seeded) -> dict:
    """Named places of the seeded province."""
    unit = lambda name: OrgUnit.objects.get(name=name)  # noqa: E731
    lead = unit("桐庐县第一人民医院")
    fenshui = unit("桐庐县分水镇中心卫生院")
    return {
        "root": unit("浙江省卫生健康委员会"),
        "tonglu_lead": lead,
        "fenshui": fenshui,
        "tonglu_other": lead.get_children().exclude(pk=fenshui.pk).first(),
        "chunan_lead": unit("淳安县第一人民医院"),  # same city (杭州), another county
        "xiangshan_lead": unit("象山县第一人民医院"),  # another city (宁波)
        "zheyi": unit("浙江大学医学院附属第一医院"),  # a provincial hospital
        "zjsrmyy": unit("浙江省人民医院"),  # the provincial hospital that receives the demo's referrals
    }


def _row_counts() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_namespace")
        schemas = cursor.fetchone()[0]
    models = (OrgUnit, UnitPlacement, Tenant, Role, RoleGrant, User, Membership, AuditRecord)
    return {"schemas": schemas, **{m.__name__: m.objects.count() for m in models}}


# --- the organisation -----------------------------------------------------------------------------

def test_the_demo_seed_builds_five_levels_with_real_codes(province, seeded):
    # given a freshly seeded demo province
    assert "演示数据已生成" in seeded
    # then the commission heads one tree of cities, counties, communities and their members
    root = province["root"]
    assert (root.level, root.division_code, root.parent) == ("province", "330000", None)
    cities = OrgUnit.objects.filter(level="city")
    assert {c.division_code for c in cities} == {"330100", "330200"}
    assert all(c.parent_id == root.pk for c in cities)
    counties = OrgUnit.objects.filter(level="county").select_related("parent")
    assert {c.division_code for c in counties} == SCALES["demo"].counties
    for county in counties:
        assert county.parent.level == "city" and county.division_code[:4] == county.parent.division_code[:4]
        [lead] = county.get_children()
        assert (lead.level, lead.unit_type) == ("lead", "county_hospital")
        members = list(lead.get_children())
        assert 5 <= len(members) <= 15
        assert all(m.level == "member" and m.unit_type in MEMBER_TYPES and m.is_leaf_node() for m in members)
        assert any(m.unit_type == "township_centre" for m in members)
    # and every member sits under a lead, every lead under a county
    assert not OrgUnit.objects.filter(level="member").exclude(parent__level="lead").exists()
    assert not OrgUnit.objects.filter(level="lead").exclude(parent__level="county").exists()
    # and standalone hospitals hang under the province and under cities
    assert {h.parent.level for h in OrgUnit.objects.filter(level="hospital").select_related("parent")} == {"province", "city"}
    assert province["fenshui"].parent == province["tonglu_lead"]


def test_every_unit_was_created_through_the_hierarchy_service(province):
    # then each unit has its placement history and an audit record, as create_unit writes them
    units = OrgUnit.objects.count()
    assert UnitPlacement.objects.filter(valid_to__isnull=True).count() == units
    assert AuditRecord.objects.filter(action="hierarchy.create_unit").count() == units


def test_every_community_and_hospital_has_an_active_tenant(province):
    owners = OrgUnit.objects.filter(level__in=["lead", "hospital"])
    assert owners.count() == Tenant.objects.count() == 9
    for unit in owners:
        tenant = unit.tenant
        assert tenant.status == TenantStatus.ACTIVE
        assert tenant.kind == ("community" if unit.level == "lead" else "hospital")
        assert validate_slug(tenant.slug) == tenant.slug and schema_exists(tenant.schema_name)
    assert province["tonglu_lead"].tenant.slug == "tonglu"
    assert province["tonglu_lead"].tenant.name == "桐庐县医共体"


# --- people ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("username", [a[0] for a in DEMO_ACCOUNTS] + ["chunan_admin", "zheyi_admin"])
def test_demo_accounts_sign_in_with_the_demo_password(province, username):
    user = sign_in(username, settings.DEMO_PASSWORD)
    assert user.username == username and user.real_name


PERMISSIONS = [
    # (who, permission, where, expected)
    ("province_admin", "platform.manage_tenants", "xiangshan_lead", True),
    ("province_admin", "platform.manage_hierarchy", "zheyi", True),
    ("province_admin", "patients.view", "tonglu_lead", False),  # aggregates only
    ("city_supervisor", "supervision.view_aggregates", "chunan_lead", True),  # own city
    ("city_supervisor", "supervision.view_aggregates", "xiangshan_lead", False),  # another city
    ("city_supervisor", "patients.view", "fenshui", False),
    ("county_supervisor", "supervision.view_aggregates", "fenshui", True),  # own county, down to members
    ("county_supervisor", "supervision.view_aggregates", "chunan_lead", False),  # another county
    ("tonglu_admin", "platform.manage_users", "fenshui", True),  # the whole community
    ("tonglu_admin", "platform.manage_users", "chunan_lead", False),
    ("tonglu_admin", "platform.manage_tenants", "tonglu_lead", False),
    ("tonglu_unit_admin", "platform.manage_users", "fenshui", True),  # own unit only
    ("tonglu_unit_admin", "platform.manage_users", "tonglu_other", False),
    ("tonglu_unit_admin", "platform.manage_users", "tonglu_lead", False),
    ("tonglu_doctor", "referrals.create", "tonglu_lead", True),
    ("tonglu_doctor", "patients.view", "fenshui", True),  # the lead's doctors serve its members
    ("tonglu_doctor", "patients.view", "chunan_lead", False),
    ("tonglu_doctor", "platform.manage_users", "tonglu_lead", False),
    ("fenshui_doctor", "referrals.accept", "fenshui", True),
    ("fenshui_doctor", "referrals.accept", "tonglu_lead", False),  # not up at the lead
    ("fenshui_doctor", "referrals.accept", "tonglu_other", False),
    ("tonglu_staff", "platform.use", "tonglu_lead", True),
    ("tonglu_staff", "patients.view", "tonglu_lead", False),
    ("xiaxiang_doctor", "referrals.create", "fenshui", True),
    # supervision online, mandated for every tenant, brings its data officer role
    ("tonglu_admin", "supervision.approve", "tonglu_lead", True),  # approves its members' reports
    ("tonglu_unit_admin", "supervision.report", "fenshui", True),
    ("tonglu_unit_admin", "supervision.report", "tonglu_other", False),
    ("tonglu_doctor", "supervision.report", "tonglu_lead", False),
    ("chunan_admin", "platform.manage_users", "chunan_lead", True),
    # a referral up from 桐庐 to 浙江省人民医院 has receivers there; its admin can grant more
    ("zjsrmyy_doctor", "referrals.accept", "zjsrmyy", True),
    ("zjsrmyy_doctor", "referrals.accept", "tonglu_lead", False),
    ("zjsrmyy_admin", "platform.manage_roles", "zjsrmyy", True),
    ("chunan_admin", "platform.manage_users", "tonglu_lead", False),
]


@pytest.mark.parametrize("who,code,where,expected", PERMISSIONS)
def test_demo_accounts_hold_the_permissions_of_their_roles(province, who, code, where, expected):
    assert has_perm(User.objects.get(username=who), code, province[where]) is expected


def test_roles_come_from_the_right_place(province):
    # province-wide roles have no tenant; per-tenant roles are the tenant's own copies
    grants = {g.user.username: g for g in RoleGrant.objects.select_related("user", "role__tenant", "node")}
    assert grants["province_admin"].role.tenant is None and grants["province_admin"].node == province["root"]
    assert grants["county_supervisor"].node.division_code == "330122"
    assert grants["tonglu_doctor"].role.tenant.slug == "tonglu"
    assert grants["tonglu_unit_admin"].node == province["fenshui"]


def test_the_sent_down_doctor_works_in_two_units(province):
    memberships = Membership.objects.filter(user__username="xiaxiang_doctor").order_by("-is_primary")
    assert [(m.unit, m.is_primary) for m in memberships] == [(province["tonglu_lead"], True), (province["fenshui"], False)]
    assert {m.tenant.slug for m in memberships} == {"tonglu"}


def test_a_staff_run_spreads_valid_unique_people_over_every_unit(province):
    # when the demo is topped up to 2,000 staff
    _run("--staff", "2000")
    # then every medical unit has staff, and the total is exactly what was asked
    primary = Membership.objects.filter(is_primary=True)
    assert primary.count() == 2000
    medical = OrgUnit.objects.filter(level__in=["lead", "member", "hospital"])
    assert set(medical.values_list("pk", flat=True)) == set(primary.values_list("unit_id", flat=True))
    assert primary.filter(unit__level="hospital").count() > primary.filter(unit__unit_type="village_clinic").count()
    # and each has a staff number, a valid unique mobile and a valid unique ID number born in the county
    assert not primary.filter(staff_no="").exists()
    staff = list(User.objects.filter(memberships__is_primary=True))
    assert len({u.mobile for u in staff}) == len({u.id_number for u in staff}) == len(staff) == 2000
    for user in staff:
        assert validate_mobile(user.mobile) == user.mobile
        assert validate_id_number(user.id_number) == user.id_number
        assert user.status == "active" and user.real_name
    fenshui_staff = User.objects.filter(memberships__unit=province["fenshui"])
    assert all(u.id_number.startswith("330122") for u in fenshui_staff)
    # and bulk staff cannot sign in with the demo password (only the demo accounts can)
    bulk = User.objects.filter(username__startswith="tonglu.").first()
    assert not bulk.has_usable_password()
    with pytest.raises(DomainError):
        sign_in(bulk.username, settings.DEMO_PASSWORD)


# --- running it again -----------------------------------------------------------------------------

def test_a_second_run_writes_nothing_and_says_so(province):
    before = _row_counts()
    out = _run()
    assert _row_counts() == before
    assert "未做任何更改" in out


def test_if_empty_leaves_a_seeded_database_alone(province):
    before = _row_counts()
    out = _run("--if-empty", "--scale", "full")
    assert _row_counts() == before
    assert "跳过" in out


def test_print_accounts_lists_the_sign_ins_and_tenant_addresses_without_writing(province):
    before = _row_counts()
    out = _run("--print-accounts")
    assert _row_counts() == before
    for username, _name, _role, _where, _works in DEMO_ACCOUNTS:
        assert username in out
    assert settings.DEMO_PASSWORD in out
    assert "/t/tonglu/graphql/" in out and "/t/zheyi/graphql/" in out and "chunan_admin" in out


def test_refuses_in_production(province, settings):
    # given a production deployment
    settings.PRODUCTION = True
    before = _row_counts()
    # then neither seeding nor printing the demo passwords is allowed, and nothing is written
    for args in ((), ("--if-empty",), ("--print-accounts",)):
        with pytest.raises(CommandError, match="生产环境"):
            _run(*args)
    with pytest.raises(DomainError):
        seed_province("demo")
    assert _row_counts() == before


# --- the full scale, without running it -----------------------------------------------------------

def test_the_full_plan_reaches_the_figures_of_the_seed_document():
    plan = build_plan(SCALES["full"])
    levels = {}
    for spec in plan.root.walk():
        levels.setdefault(spec.level, []).append(spec)
    assert len(levels["city"]) == 11 and len(levels["county"]) == len(COUNTIES) == 90
    assert len([h for h in levels["hospital"] if h.parent is plan.root]) == 18
    for county in levels["county"]:
        assert county.division_code[:4] == county.parent.division_code[:4]
    slugs = [s.slug for s in plan.root.walk() if s.slug]
    assert len(slugs) == len(set(slugs)) == len(levels["lead"]) + len(levels["hospital"])
    assert all(validate_slug(s) == s for s in slugs)
    staff = _apportion(300_000, [s.weight for s in plan.units("lead", "member", "hospital")])
    assert sum(staff) == 300_000 and min(staff) >= 1
    assert set(STAFF_WEIGHTS) >= {s.unit_type for s in levels["member"]}


def test_learning_demo_assigns_an_exam_that_tonglu_staff_can_take(province):
    """A fresh `make run`: 赵敏 finds a random exam and a course in her to-do list and can start the
    exam; the bank is there for tonglu_admin to look at; she has credits this year and a video to
    resume; 每日一答 and a campaign with a leaderboard are running."""
    from jianlian.todos.models import TodoItem
    from modules.learning import attempts
    from django.utils import timezone

    from modules.learning import credits, quiz
    from modules.learning.models import Assignment, LessonProgress, Question
    from tenants.context import tenant_context

    staff = User.objects.get(username="tonglu_staff")
    with tenant_context(Tenant.objects.get(slug="tonglu")):
        assert Question.objects.count() >= 15
        course = Assignment.objects.get(course__isnull=False)
        assert TodoItem.objects.filter(user_id=staff.pk, key=f"learning:assignment:{course.pk}", state="pending").exists()
        assert credits.my_record(staff, timezone.localdate().year)[0] > 0
        assert LessonProgress.objects.filter(user_id=staff.pk, position__gt=0, completed_at__isnull=True).exists()
        running = list(quiz.running())
        assert {c.kind for c in running} == {"daily", "campaign"}
        assert any(quiz.leaderboard(c)[0] for c in running)
        assignment = Assignment.objects.get(exam__isnull=False)
        assert TodoItem.objects.filter(user_id=staff.pk, key=f"learning:assignment:{assignment.pk}", state="pending").exists()
        attempt = attempts.start_attempt(staff, assignment.exam_id)
        assert attempt.items.count() == 11


def test_approvals_demo_shows_a_submitted_leave_and_a_waiting_task(province):
    """A fresh `make run`: tonglu_staff sees her leave request waiting, tonglu_doctor the task;
    every state of an approval is there to look at."""
    from jianlian.todos.models import TodoItem
    from modules.approvals.models import Instance
    from tenants.context import tenant_context

    staff, doctor = User.objects.get(username="tonglu_staff"), User.objects.get(username="tonglu_doctor")
    with tenant_context(Tenant.objects.get(slug="tonglu")):
        leave = Instance.objects.get(submitter_id=staff.pk, template__key="leave")
        assert leave.status == "running"
        assert TodoItem.objects.filter(user_id=doctor.pk, role="assignee", state="pending", key__startswith="approvals:").exists()
        assert TodoItem.objects.filter(user_id=staff.pk, role="submitter", state="pending").exists()
        assert set(Instance.objects.values_list("status", flat=True)) == {"running", "approved", "rejected", "withdrawn", "returned"}


def test_announcements_demo_has_a_post_per_column_and_a_must_read_for_the_staff(province):
    """A fresh `make run`: 桐庐's four columns each hold a post; tonglu_staff has the 必读 among
    her to-dos, can read it and vote in its poll; tonglu_admin administers every column."""
    from jianlian.todos.models import TodoItem
    from modules.announcements import access, polls
    from modules.announcements.models import Column, Post
    from tenants.context import tenant_context

    staff, admin = User.objects.get(username="tonglu_staff"), User.objects.get(username="tonglu_admin")
    with tenant_context(Tenant.objects.get(slug="tonglu")):
        assert sorted(Post.objects.values_list("column__key", flat=True)) == ["affairs", "news", "notices", "topics"]
        must = Post.objects.get(required=True)
        assert must.status == "published" and must.read_deadline is not None
        assert access.may_read(staff, must)
        assert TodoItem.objects.filter(user_id=staff.pk, key=f"announcements:post:{must.pk}", state="pending").exists()
        assert polls.may_answer(staff, must) and not polls.may_see_results(staff, must)
        assert all(admin.pk in c.admin_ids for c in Column.objects.all())


def test_mailbox_demo_has_an_anonymous_appeal_and_a_letter_waiting_for_the_handler(province):
    """A fresh `make run`: 桐庐's mailbox holds an answered anonymous appeal (nobody named), a named
    letter waiting on tonglu_admin (信箱管理员, a to-do) and a rated one for the statistics."""
    from jianlian.todos.models import TodoItem
    from modules.mailbox.models import Letter
    from tenants.context import tenant_context

    admin = User.objects.get(username="tonglu_admin")
    with tenant_context(Tenant.objects.get(slug="tonglu")):
        anonymous = Letter.objects.get(anonymous=True)
        assert anonymous.sender_id is None and anonymous.sender_name == "" and anonymous.status == "replied"
        waiting = Letter.objects.get(status="submitted")
        assert TodoItem.objects.filter(user_id=admin.pk, key=f"mailbox:letter:{waiting.pk}", state="pending").exists()
        assert Letter.objects.filter(status="closed", satisfaction=5).count() == 1


def test_meetings_demo_fills_todays_board_in_tonglu(province):
    """A fresh `make run`: 桐庐's rooms in 行政楼 and 门诊楼, tonglu_staff's bookings (one weekly,
    one private), tonglu_doctor invited with a to-do, tonglu_admin managing the rooms."""
    from jianlian.access.checks import has_perm
    from jianlian.todos.models import TodoItem
    from modules.meetings.models import Booking, Room
    from tenants.context import tenant_context

    staff, doctor = User.objects.get(username="tonglu_staff"), User.objects.get(username="tonglu_doctor")
    assert has_perm(User.objects.get(username="tonglu_admin"), "meetings.manage", province["tonglu_lead"])
    with tenant_context(Tenant.objects.get(slug="tonglu")):
        assert set(Room.objects.values_list("building", flat=True)) == {"行政楼", "门诊楼"}
        mine = Booking.objects.filter(organiser_id=staff.pk, status="booked")
        assert mine.count() >= 6 and mine.filter(is_private=True).exists() and mine.filter(series__isnull=False).count() == 4
        assert TodoItem.objects.filter(user_id=doctor.pk, source="meetings", state="pending").exists()


def test_drive_demo_has_a_restricted_folder_in_tonglu(province):
    """A fresh `make run`: 桐庐's drive with an open folder, a folder for the lead hospital and a
    restricted one that tonglu_doctor reads and tonglu_staff does not even see."""
    from modules.drive import access, actions
    from modules.drive.models import Folder
    from tenants.context import tenant_context

    staff, doctor = User.objects.get(username="tonglu_staff"), User.objects.get(username="tonglu_doctor")
    with tenant_context(Tenant.objects.get(slug="tonglu")):
        restricted = Folder.objects.get(restricted=True)
        assert [f.name for f in access.readable_folders(doctor)].count("医疗纠纷材料") == 1
        assert restricted not in access.readable_folders(staff) and len(access.readable_folders(staff)) == 2
        record = restricted.files.get()
        assert record.versions.count() == 2
        _v, stream = actions.open_version(doctor, record.versions.first().pk, kind="download")
        assert "调解完成" in b"".join(stream).decode()


def test_union_demo_shows_a_lively_union_in_tonglu(province):
    """A fresh `make run`: 桐庐's union with sub-unions and groups, tonglu_staff a member with
    points, tonglu_doctor chairing a sub-union, a full activity with a waiting list and a welfare
    campaign with choices; tonglu_admin administers the union."""
    from jianlian.access.checks import has_perm
    from modules.union import points
    from modules.union.activity_models import Activity, Signup
    from modules.union.models import Member, Officer, UnionNode
    from modules.union.welfare_models import WelfareChoice
    from tenants.context import tenant_context

    assert has_perm(User.objects.get(username="tonglu_admin"), "union.manage", province["tonglu_lead"])
    with tenant_context(Tenant.objects.get(slug="tonglu")):
        assert UnionNode.objects.filter(kind="sub_union").count() >= 3 and UnionNode.objects.filter(kind="group").exists()
        staff = Member.objects.get(user_id=User.objects.get(username="tonglu_staff").pk)
        assert points.balance(staff) > 0
        assert Officer.objects.filter(user_id=User.objects.get(username="tonglu_doctor").pk).exists()
        activity = Activity.objects.get()
        assert Signup.objects.filter(activity=activity, status="confirmed").count() == activity.quota
        assert Signup.objects.filter(activity=activity, status="waiting").exists()
        assert WelfareChoice.objects.count() > 0
        from modules.union.care_models import ClubMember, TicketEntry
        from modules.union.survey_models import SurveyResponse

        assert SurveyResponse.objects.filter(member__isnull=True).exists() and TicketEntry.objects.exists()
        assert ClubMember.objects.filter(status="pending").exists()
        # 职工书屋 with clicks, albums with photos, current offers (the expired one hidden)
        from modules.union import gallery, offers
        from modules.union.extras_models import Album, Book

        assert Book.objects.filter(clicks__gt=0).exists()
        assert all(gallery.photo_count(a) > 0 for a in Album.objects.all()) and Album.objects.count() == 2
        assert len(offers.current(User.objects.get(username="tonglu_staff"))) == 2
        # 育龄期女职工健康: tonglu_staff (赵敏) is eligible, reads the two articles, and has a coordinator
        from modules.union import womens_health
        from modules.union.confidential_models import Counsellor

        assert len(womens_health.articles(User.objects.get(username="tonglu_staff"))) == 2
        assert Counsellor.objects.filter(kind="maternity").exists()
        # 法律帮扶: tonglu_staff reads the lawyer's reply; the lawyer (tonglu_admin) has one to answer
        from modules.union import confidential

        staff, lawyer = User.objects.get(username="tonglu_staff"), User.objects.get(username="tonglu_admin")
        assert [(r.kind, r.status) for r in confidential.mine(staff)] == [("legal", "answered")]
        assert confidential.is_counsellor(lawyer)
        assert sorted(r.status for r in confidential.mine(lawyer)) == ["answered", "open"]


def test_payslips_demo_publishes_last_month_to_tonglu_staff(province):
    """A fresh `make run`: tonglu_admin is 桐庐's payroll office and last month's batch is out, so
    tonglu_staff finds a payslip (sealed) to open."""
    from jianlian.access.checks import has_perm
    from modules.payslips import services
    from modules.payslips.models import Payslip
    from tenants.context import tenant_context

    staff = User.objects.get(username="tonglu_staff")
    assert has_perm(User.objects.get(username="tonglu_admin"), "payslips.manage", province["tonglu_lead"])
    with tenant_context(Tenant.objects.get(slug="tonglu")):
        slip = Payslip.objects.select_related("batch").get(user_id=staff.pk)
        assert slip.batch.status == "published" and ("实发合计", services.lines_of(slip)[-1][1]) == services.lines_of(slip)[-1]
        assert Payslip.objects.count() > 10


def test_rosters_demo_publishes_this_months_roster_in_tonglu(province):
    """A fresh `make run`: tonglu_admin schedules; 桐庐 has three shift types and this month's
    published roster of a department, whose people see their shifts."""
    from django.utils import timezone

    from modules.rosters.models import Entry, Roster, ShiftType
    from tenants.context import tenant_context

    assert has_perm(User.objects.get(username="tonglu_admin"), "rosters.manage", province["tonglu_lead"])
    with tenant_context(Tenant.objects.get(slug="tonglu")):
        assert set(ShiftType.objects.values_list("name", flat=True)) == {"白班", "夜班", "行政班"}
        roster = Roster.objects.get(month=timezone.localdate().strftime("%Y-%m"))
        assert roster.status == "published" and Entry.objects.filter(roster=roster).count() > 20


def _workbench_pages() -> list[str]:
    """The workbench's page paths, as its modules declare them (`route('/path/:id', …)`)."""
    import re
    from pathlib import Path

    root = Path(settings.REPO_ROOT)
    files = [*root.glob("frontend/src/features/*/module.tsx"), *root.glob("modules/*/frontend/module.tsx")]
    assert len(files) > 10, root
    return [m for f in files for m in re.findall(r"route\('([^']+)'", f.read_text(encoding="utf-8"))]


def _opens(link: str, pages: list[str]) -> str | None:
    """The page a link opens: its own, or the nearest page above it (as the workbench does)."""
    import re

    path = link.split("?")[0].split("#")[0]
    patterns = [re.compile("^" + re.sub(r":[^/]+", "[^/]+", p) + "$") for p in pages]
    while path:
        if any(p.match(path) for p in patterns):
            return path
        path = path.rsplit("/", 1)[0]
    return None


def test_every_demo_notice_and_to_do_opens_its_own_page(province):
    """A notice or to-do that links to a page the workbench does not have would open the home page
    (the inbox and the to-do centre follow links): each link of the demo opens its page, or a list
    above it (/referrals/12 opens 转诊), never nothing."""
    from jianlian.notifications.models import Notification
    from jianlian.todos.models import TodoItem
    from tenants.context import tenant_context

    pages = _workbench_pages()
    links = set()
    for tenant in Tenant.objects.filter(status=TenantStatus.ACTIVE):
        with tenant_context(tenant):
            links |= set(Notification.objects.exclude(link="").values_list("link", flat=True))
            links |= set(TodoItem.objects.exclude(link="").values_list("link", flat=True))
    assert len(links) > 5, links
    # and every link the code writes, seeded or not ({…} stands for an id)
    import re
    from pathlib import Path

    for source in [*Path(settings.REPO_ROOT, "modules").rglob("*.py"), *Path(settings.REPO_ROOT, "platform").rglob("*.py")]:
        for link in re.findall(r'(?:link=|"link": )f?"(/[^"]*)"', source.read_text(encoding="utf-8")):
            links.add(re.sub(r"\{[^}]*\}", "1", link))
    lost = sorted(link for link in links if _opens(link, pages) in (None, "") or (_opens(link, pages) == "/" and link != "/"))
    assert not lost, lost
