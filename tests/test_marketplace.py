"""The marketplace: installing built-in apps into tenants' schemas, upgrade, uninstall and purge,
dependencies, failure roll-back, migration-state consistency, mandates, visibility, the
workbench and its badges, gating, and module tasks. The sample modules `notes` (1.1.0, two
migrations) and `notes_tags` (depends on notes) live in tests/sample_modules."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from graphql_relay import to_global_id

from jianlian.core.errors import DomainError
from jianlian.marketplace import installer, services
from jianlian.marketplace.models import InstallJob, InstallStatus, Installation
from tenants.context import tenant_context
from tests.factories import build_province, grant, make_user, member
from tests.utils import error_code, gql


def _tables(tenant, label="notes"):
    return installer.tables_in(tenant.schema_name, label)


def _recorded(tenant, label="notes"):
    with connection.cursor() as c:
        c.execute(f'SELECT name FROM "{tenant.schema_name}".django_migrations WHERE app = %s ORDER BY name', [label])
        return [r[0] for r in c.fetchall()]


def _errors(fn, *args, **kwargs):
    with pytest.raises(DomainError) as e:
        fn(*args, **kwargs)
    return [p.code for p in e.value.problems]


@pytest.fixture
def p(db, unique):
    return build_province(unique(""))


# --- install into a tenant created long before -----------------------------------------------------

def test_an_app_installed_after_the_tenant_was_created_gets_its_tables_there_only(p):
    a, b = p.tenant_a, p.tenant_b
    assert _tables(a) == [] and _recorded(a) == []  # the tenant was created without it

    assert services.install(p.users["tenant_admin"], a, "notes") == ["notes"]

    assert _tables(a) == ["notes_note", "notes_tickmark"]
    assert _recorded(a) == ["0001_initial", "0002_note_pinned"]
    assert _tables(b) == [] and _recorded(b) == []
    inst = services.installation(a, "notes")
    assert (inst.status, inst.version) == (InstallStatus.INSTALLED, "1.1.0")
    from jianlian.access.models import Role

    assert Role.objects.get(tenant=a, code="note_keeper").permissions == ["notes.write", "platform.use"]
    with tenant_context(a):
        from tests.sample_modules.notes.models import Note

        Note.objects.create(title="交班", owner_id=1)
        assert Note.objects.count() == 1


def test_installing_twice_or_without_permission_is_refused(p):
    services.install(None, p.tenant_a, "notes")
    assert _errors(services.install, None, p.tenant_a, "notes") == ["APP_ALREADY_INSTALLED"]
    assert _errors(services.install, p.users["doctor"], p.tenant_a, "notes_tags") == ["PERMISSION_DENIED"]
    assert _errors(services.install, p.users["tenant_admin"], p.tenant_b, "notes") == ["PERMISSION_DENIED"]
    assert _errors(services.install, None, p.tenant_a, "no_such_app") == ["APP_NOT_FOUND"]


def test_migrate_schemas_keeps_every_tenants_migration_state_true(p):
    from tenants.migration_state import is_current

    services.install(None, p.tenant_a, "notes")
    # Django's own migrate over every tenant: it skips notes where the router says no, and would
    # record it as applied there; the marketplace forgets those records after each migrate.
    call_command("migrate_schemas", tenant=True, interactive=False, verbosity=0)
    connection.set_schema_to_public()

    assert _recorded(p.tenant_a) == ["0001_initial", "0002_note_pinned"]
    assert _recorded(p.tenant_b) == [] and _tables(p.tenant_b) == []
    assert all(is_current(t.schema_name) for t in (p.tenant_a, p.tenant_b, p.tenant_h))
    # ... so installing it in B afterwards still creates its tables.
    services.install(None, p.tenant_b, "notes")
    assert _tables(p.tenant_b) == ["notes_note", "notes_tickmark"]


# --- uninstall, reinstall, purge ---------------------------------------------------------------------

def test_uninstall_keeps_the_data_and_reinstall_restores_it(p):
    a = p.tenant_a
    services.install(None, a, "notes")
    with tenant_context(a):
        from tests.sample_modules.notes.models import Note

        Note.objects.create(title="查房记录", owner_id=7)

    services.uninstall(p.users["tenant_admin"], a, "notes")
    assert services.installation(a, "notes").status == InstallStatus.DISABLED
    assert not services.is_installed(a, "notes")
    assert _tables(a) == ["notes_note", "notes_tickmark"]  # kept

    services.install(p.users["tenant_admin"], a, "notes")
    with tenant_context(a):
        assert list(Note.objects.values_list("title", flat=True)) == ["查房记录"]


def test_purge_needs_the_typed_confirmation_then_drops_the_tables(p):
    a = p.tenant_a
    services.install(None, a, "notes")
    assert _errors(services.uninstall, None, a, "notes", purge=True, confirm="yes") == ["PURGE_NOT_CONFIRMED"]
    assert _tables(a) == ["notes_note", "notes_tickmark"]

    services.uninstall(None, a, "notes", purge=True, confirm="notes")

    assert _tables(a) == [] and _recorded(a) == []
    assert services.installation(a, "notes") is None
    from jianlian.access.models import Role

    assert not Role.objects.filter(tenant=a, code="note_keeper").exists()
    services.install(None, a, "notes")  # a fresh start
    with tenant_context(a):
        from tests.sample_modules.notes.models import Note

        assert Note.objects.count() == 0


# --- dependencies ----------------------------------------------------------------------------------

def test_installing_an_app_installs_what_it_needs_and_uninstall_is_refused_while_needed(p):
    a = p.tenant_a
    assert services.install(None, a, "notes_tags") == ["notes", "notes_tags"]
    assert _tables(a, "notes_tags") == ["notes_tags_tag"]

    assert _errors(services.uninstall, None, a, "notes") == ["APP_REQUIRED_BY"]
    services.uninstall(None, a, "notes_tags")
    services.uninstall(None, a, "notes")
    assert services.installed_keys(a) == set()


def test_a_modules_public_models_live_once_in_public_and_never_in_a_tenant(p):
    services.install(None, p.tenant_a, "notes_tags")
    assert installer.tables_in("public", "notes_tags") == ["notes_tags_tagtotal"]
    assert _tables(p.tenant_a, "notes_tags") == ["notes_tags_tag"]
    with tenant_context(p.tenant_a):  # reachable from inside a tenant (search path: tenant, public)
        from tests.sample_modules.notes_tags.models import TagTotal

        TagTotal.objects.create(tenant_slug=p.tenant_a.slug, label="随访", total=3)
    services.uninstall(None, p.tenant_a, "notes_tags", purge=True, confirm="notes_tags")
    assert installer.tables_in("public", "notes_tags") == ["notes_tags_tagtotal"]  # the province's table stays
    assert TagTotal.objects.count() == 1


# --- upgrade -----------------------------------------------------------------------------------------

def _as_if_installed_at_1_0(tenant):
    """The state of a tenant that installed notes 1.0.0 (migration 0001 only) before 1.1.0 shipped."""
    from django.db.migrations.executor import MigrationExecutor

    from jianlian.marketplace.router import allowing

    with tenant_context(tenant), allowing(tenant.schema_name, {"notes"}):
        executor = MigrationExecutor(connection)
        executor.migrate([("notes", "0001_initial")])
    Installation.objects.filter(tenant=tenant, app__key="notes").update(version="1.0.0")


def _columns(tenant, table):
    with connection.cursor() as c:
        c.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s",
                  [tenant.schema_name, table])
        return {r[0] for r in c.fetchall()}


def test_upgrade_runs_the_new_migrations_and_records_the_version(p):
    a = p.tenant_a
    services.install(None, a, "notes")
    _as_if_installed_at_1_0(a)
    assert "pinned" not in _columns(a, "notes_note")

    inst = services.upgrade(p.users["tenant_admin"], a, "notes")

    assert inst.version == "1.1.0"
    assert "pinned" in _columns(a, "notes_note")
    assert _recorded(a) == ["0001_initial", "0002_note_pinned"]
    assert _errors(services.upgrade, None, a, "notes") == ["APP_UP_TO_DATE"]


def test_a_deploy_upgrades_installations_and_a_no_op_migrate_all_touches_no_tenant(p):
    import io

    from tenants.migration_state import is_current

    a = p.tenant_a
    services.install(None, a, "notes")
    assert is_current(a.schema_name)  # its module's migrations count for it, and only its
    _as_if_installed_at_1_0(a)  # the code shipped 1.1.0 (migration 0002) since the install
    assert not is_current(a.schema_name)

    out = io.StringIO()
    call_command("migrate_all", stdout=out)
    connection.set_schema_to_public()

    assert "pinned" in _columns(a, "notes_note")
    assert services.installation(a, "notes").version == "1.1.0"
    assert "已随部署升级 1 个应用安装" in out.getvalue()
    assert _recorded(p.tenant_b) == []
    again = io.StringIO()
    call_command("migrate_all", stdout=again)
    assert "已迁移 0 个" in again.getvalue(), again.getvalue()


# --- a failed install leaves the tenant as it was ------------------------------------------------------

def test_a_failed_install_rolls_everything_back_and_the_job_says_why(p):
    a = p.tenant_a
    with connection.cursor() as c:  # something in the way of the app's second table
        c.execute(f'CREATE TABLE "{a.schema_name}".notes_tickmark (x int)')
    job = services.start_job(p.users["tenant_admin"], a, "notes_tags", "install")

    job = services.run_job(job.pk)

    assert job.status == "failed" and job.error_code == "INSTALL_FAILED"
    assert "已全部回滚" in job.error
    assert services.installed_keys(a) == set()
    assert services.installation(a, "notes") is None
    assert _recorded(a) == [] and _recorded(a, "notes_tags") == []
    assert _tables(a) == ["notes_tickmark"]  # only the obstacle, untouched
    from jianlian.access.models import Role

    assert not Role.objects.filter(tenant=a, code="note_keeper").exists()


# --- the install job through GraphQL ----------------------------------------------------------------

INSTALL = """mutation($app: String!) { installApp(input: {app: $app}) { job { id status action } errors { field code message } } }"""
JOB = """query($id: ID!) { installJob(id: $id) { status done total message errorCode app { key } } }"""


def test_install_through_graphql_runs_as_a_job_with_a_status_row(p, client, django_capture_on_commit_callbacks, settings):
    from jianlian.celery_app import app as celery

    celery.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            status, body = gql(client, INSTALL, {"app": "notes_tags"}, user=p.users["tenant_admin"], HTTP_X_TENANT=p.tenant_a.slug)
    finally:
        celery.conf.task_always_eager = False
    assert status == 200, body
    job = body["data"]["installApp"]["job"]
    assert job["action"] == "INSTALL" and body["data"]["installApp"]["errors"] == []

    _s, body = gql(client, JOB, {"id": job["id"]}, user=p.users["tenant_admin"], HTTP_X_TENANT=p.tenant_a.slug)
    assert body["data"]["installJob"] == {"status": "SUCCEEDED", "done": 2, "total": 2, "message": "安装完成",
                                          "errorCode": None, "app": {"key": "notes_tags"}}
    assert services.installed_keys(p.tenant_a) == {"notes", "notes_tags"}


def test_a_doctor_cannot_start_an_install(p, client):
    _s, body = gql(client, INSTALL, {"app": "notes"}, user=p.users["doctor"], HTTP_X_TENANT=p.tenant_a.slug)
    assert error_code(body) == "PERMISSION_DENIED"
    assert not InstallJob.objects.filter(tenant=p.tenant_a).exists()


# --- gating --------------------------------------------------------------------------------------------

COUNT = "{ noteCount }"


def test_a_modules_fields_answer_app_not_installed_where_it_is_not_installed(p, client):
    doctor = p.users["doctor"]
    _s, body = gql(client, COUNT, user=doctor, HTTP_X_TENANT=p.tenant_a.slug)
    assert error_code(body) == "APP_NOT_INSTALLED"
    assert "尚未安装「工作便签」" in body["errors"][0]["message"]
    _s, body = gql(client, COUNT, user=p.users["province_admin"])  # the province console has no module tables
    assert error_code(body) == "APP_NOT_INSTALLED"

    services.install(None, p.tenant_a, "notes")
    _s, body = gql(client, COUNT, user=doctor, HTTP_X_TENANT=p.tenant_a.slug)
    assert body["data"] == {"noteCount": 0}, body

    services.uninstall(None, p.tenant_a, "notes")  # disabled: data kept, fields closed
    _s, body = gql(client, COUNT, user=doctor, HTTP_X_TENANT=p.tenant_a.slug)
    assert error_code(body) == "APP_NOT_INSTALLED"


# --- module tasks run only where the module is installed ------------------------------------------------

def test_a_modules_periodic_task_runs_only_in_tenants_that_have_it_enabled(p):
    from jianlian.celery_app import app as celery
    from jianlian.core.redis_client import client as redis
    from jianlian.marketplace.composition import dispatch_periodic_tasks
    from tests.sample_modules.notes.tasks import tick

    services.install(None, p.tenant_a, "notes")
    services.install(None, p.tenant_h, "notes")
    services.uninstall(None, p.tenant_h, "notes")  # disabled there
    assert tick.apply(kwargs={"_schema_name": p.tenant_a.schema_name}).get() == 1
    assert tick.apply(kwargs={"_schema_name": p.tenant_b.schema_name}).get() is None  # never installed
    assert tick.apply(kwargs={"_schema_name": p.tenant_h.schema_name}).get() is None  # disabled

    redis().delete("jianlian:periodic:notes:tick")
    celery.conf.task_always_eager = True
    try:
        queued = dispatch_periodic_tasks()
        again = dispatch_periodic_tasks()  # not due again within its period
    finally:
        celery.conf.task_always_eager = False
    from jianlian.marketplace.models import Installation as I

    expected = I.objects.filter(app__key="notes", status="installed").count()
    assert queued == expected >= 1 and again == 0
    with tenant_context(p.tenant_a):
        from tests.sample_modules.notes.models import TickMark

        assert TickMark.objects.count() == 2


# --- mandates ------------------------------------------------------------------------------------------

def test_a_mandate_installs_across_the_subtree_reaches_new_tenants_and_cannot_be_uninstalled(p):
    from jianlian.hierarchy.services import create_unit
    from tenants.provisioning import create_tenant

    # A county supervisor may not mandate for the whole city.
    county_sup = make_user("县监管")
    grant(county_sup, "county_supervisor", p.county_a)
    assert _errors(services.mandate, county_sup, "notes", p.city_a) == ["PERMISSION_DENIED"]

    m = services.mandate(p.users["province_admin"], "notes", p.city_a)
    counts = services.apply_mandate(m.pk)

    assert counts == {"installed": 1, "already": 0, "failed": 0}  # 杭州 has one tenant: 桐庐
    assert services.installation(p.tenant_a, "notes").mandated
    assert not services.is_installed(p.tenant_b, "notes")  # 宁波 is outside the mandate
    assert _errors(services.uninstall, p.users["tenant_admin"], p.tenant_a, "notes") == ["APP_MANDATED"]

    lead = create_unit(None, parent=p.county_a, level="lead", name="桐庐县中医院", unit_type="county_hospital")
    newcomer = create_tenant(None, lead, f"{p.tenant_a.slug}-tcm")
    inst = services.installation(newcomer, "notes")
    assert inst.status == InstallStatus.INSTALLED and inst.mandated
    assert _tables(newcomer) == ["notes_note", "notes_tickmark"]


# --- visibility and the workbench ----------------------------------------------------------------------

WORKBENCH = "{ workbench { category label apps { app { key name } badge } } }"


def _bench(client, user, tenant):
    _s, body = gql(client, WORKBENCH, user=user, HTTP_X_TENANT=tenant.slug)
    assert "errors" not in body, body
    return {a["app"]["key"]: a["badge"] for c in body["data"]["workbench"] for a in c["apps"]}


def test_the_workbench_groups_installed_apps_with_their_badges(p, client):
    a, doctor = p.tenant_a, p.users["doctor"]
    assert _bench(client, doctor, a) == {}
    services.install(None, a, "notes_tags")
    _s, body = gql(client, WORKBENCH, user=doctor, HTTP_X_TENANT=a.slug)
    assert body["data"]["workbench"] == [{"category": "ADMINISTRATIVE", "label": "行政办公", "apps": [
        {"app": {"key": "notes_tags", "name": "便签标签"}, "badge": None},
        {"app": {"key": "notes", "name": "工作便签"}, "badge": 0},
    ]}]
    _s, body = gql(client, 'mutation { addNote(input: {title: "术前讨论"}) { count errors { code } } }',
                   user=doctor, HTTP_X_TENANT=a.slug)
    assert body["data"]["addNote"] == {"count": 1, "errors": []}
    assert _bench(client, doctor, a)["notes"] == 1
    assert _bench(client, p.users["tenant_admin"], a)["notes"] == 0  # badges are per person


def test_visibility_limits_who_sees_an_app(p, client):
    a = p.tenant_a
    admin, doctor = p.users["tenant_admin"], p.users["doctor"]
    nurse = make_user("孙护士")
    member(nurse, a, p.member_a2)
    grant(nurse, "staff", p.member_a2, a)
    services.install(None, a, "notes")

    services.set_visibility(admin, a, "notes", {"roles": ["doctor"]})
    assert "notes" in _bench(client, doctor, a)
    assert "notes" not in _bench(client, nurse, a)
    assert "notes" not in _bench(client, admin, a)

    services.set_visibility(admin, a, "notes", {"units": [p.member_a2.pk]})  # a unit covers its people
    assert "notes" in _bench(client, nurse, a) and "notes" not in _bench(client, doctor, a)

    services.set_visibility(admin, a, "notes", {"users": [admin.pk]})
    assert list(_bench(client, admin, a)) == ["notes"] and "notes" not in _bench(client, nurse, a)

    outsider = p.users["doctor_b"]  # of another tenant
    assert _errors(services.set_visibility, admin, a, "notes", {"users": [outsider.pk], "units": [p.member_b1.pk]}) == [
        "INVALID_VISIBILITY", "INVALID_VISIBILITY"]
    assert _errors(services.set_visibility, doctor, a, "notes", {}) == ["PERMISSION_DENIED"]
    services.set_visibility(admin, a, "notes", {})
    assert "notes" in _bench(client, nurse, a)


def test_visibility_by_department_uses_the_organisations_audience(p, client):
    from tests.factories import make_department, make_staff

    a, admin = p.tenant_a, p.users["tenant_admin"]
    services.install(None, a, "notes")
    with tenant_context(a):
        clinical = make_department("LC", "临床科室", unit=p.lead_a, kind="group", category="clinical")
        cardio = make_department("XNK", "心内科", unit=p.lead_a, parent=clinical)
        surgery = make_department("WK", "外科", unit=p.lead_a, parent=None)
        nurse = make_staff("周护士", unit=p.lead_a, department=cardio)
        surgeon = make_staff("吴医生", unit=p.lead_a, department=surgery)
    from jianlian.identity.models import User

    nurse_user, surgeon_user = User.objects.get(pk=nurse.user_id), User.objects.get(pk=surgeon.user_id)
    for u in (nurse_user, surgeon_user):
        grant(u, "staff", p.lead_a, a)
        u.set_password("Ceshi@2026pw")
        u.status = "active"
        u.save()
    services.set_visibility(admin, a, "notes", {"departments": [clinical.pk]})  # a department covers its sub-departments
    assert "notes" in _bench(client, nurse_user, a)
    assert "notes" not in _bench(client, surgeon_user, a)
    assert _errors(services.set_visibility, admin, a, "notes", {"departments": [999999]}) == ["INVALID_VISIBILITY"]


VISIBILITY = """mutation($u: [ID!]) { setAppVisibility(input: {app: "notes", users: $u}) {
  installation { visibility } errors { field code message } } }"""


def test_visibility_through_graphql_names_the_bad_field(p, client):
    services.install(None, p.tenant_a, "notes")
    _s, body = gql(client, VISIBILITY, {"u": [to_global_id("User", p.users["doctor_b"].pk)]},
                   user=p.users["tenant_admin"], HTTP_X_TENANT=p.tenant_a.slug)
    assert body["data"]["setAppVisibility"]["errors"][0]["field"] == "users"
    assert body["data"]["setAppVisibility"]["errors"][0]["code"] == "INVALID_VISIBILITY"
    _s, body = gql(client, VISIBILITY, {"u": [to_global_id("User", p.users["doctor"].pk)]},
                   user=p.users["tenant_admin"], HTTP_X_TENANT=p.tenant_a.slug)
    assert body["data"]["setAppVisibility"] == {"installation": {"visibility": '{"users": [%d]}' % p.users["doctor"].pk},
                                                "errors": []}


# --- the catalog -----------------------------------------------------------------------------------------

APPS = """query($s: String) { apps(search: $s) { totalCount edges { node { key kind category installation { status } } } } }"""


def test_the_catalog_lists_built_in_apps_and_searches(p, client):
    services.install(None, p.tenant_a, "notes")
    _s, body = gql(client, APPS, {"s": "便签"}, user=p.users["tenant_admin"], HTTP_X_TENANT=p.tenant_a.slug)
    nodes = {e["node"]["key"]: e["node"] for e in body["data"]["apps"]["edges"]}
    assert nodes["notes"] == {"key": "notes", "kind": "BUILTIN", "category": "ADMINISTRATIVE",
                              "installation": {"status": "INSTALLED"}}
    assert nodes["notes_tags"]["installation"] is None
    _s, body = gql(client, '{ app(key: "notes") { version versions { version notes } } }', user=p.users["doctor"],
                   HTTP_X_TENANT=p.tenant_a.slug)
    assert body["data"]["app"] == {"version": "1.1.0", "versions": [
        {"version": "1.1.0", "notes": "便签可以置顶"}, {"version": "1.0.0", "notes": "首个版本"}]}


# --- live badges over WebSocket ---------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_a_badge_updates_live_on_the_workbench_of_the_person_it_concerns(live_asgi, unique):
    import asyncio
    import json

    import httpx
    import websockets

    from tests.utils import token_for

    p = build_province(unique(""))
    services.install(None, p.tenant_a, "notes")
    doctor, admin = p.users["doctor"], p.users["tenant_admin"]
    slug = p.tenant_a.slug
    tokens = {"doctor": token_for(doctor), "admin": token_for(admin)}

    async def scenario():
        sockets = {}
        for who in ("doctor", "admin"):
            ws = await websockets.connect(f"ws://{live_asgi}/t/{slug}/graphql/", subprotocols=["graphql-transport-ws"])
            await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {tokens[who]}"}}))
            assert json.loads(await asyncio.wait_for(ws.recv(), 5))["type"] == "connection_ack"
            await ws.send(json.dumps({"id": "b", "type": "subscribe", "payload": {"query": "subscription { workbenchBadge { appKey badge } }"}}))
            sockets[who] = ws
        await asyncio.sleep(0.5)
        async with httpx.AsyncClient(base_url=f"http://{live_asgi}") as http:
            r = await http.post("/graphql/", json={"query": 'mutation($o: Int) { addNote(input: {title: "会诊", owner: $o}) { count } }',
                                                   "variables": {"o": doctor.pk}},
                                headers={"X-Tenant": slug, "Authorization": f"Bearer {tokens['admin']}"})
        assert r.json()["data"]["addNote"]["count"] == 1, r.text
        got = json.loads(await asyncio.wait_for(sockets["doctor"].recv(), 5))
        with pytest.raises(asyncio.TimeoutError):  # the admin's own badge did not change
            await asyncio.wait_for(sockets["admin"].recv(), 1)
        for ws in sockets.values():
            await ws.close()
        return got

    got = asyncio.run(scenario())
    assert got == {"id": "b", "type": "next", "payload": {"data": {"workbenchBadge": {"appKey": "notes", "badge": 1}}}}


@pytest.mark.django_db(transaction=True)
def test_install_progress_is_live_on_job_progress(live_asgi, unique):
    """The admin watches an install job: its steps arrive on `jobProgress(taskId: job.id)`."""
    import asyncio
    import json

    import websockets

    from jianlian.marketplace.tasks import run_job
    from tests.utils import token_for

    p = build_province(unique(""))
    admin = p.users["tenant_admin"]
    job = services.start_job(admin, p.tenant_a, "notes_tags", "install")
    token = token_for(admin)

    async def scenario():
        ws = await websockets.connect(f"ws://{live_asgi}/t/{p.tenant_a.slug}/graphql/", subprotocols=["graphql-transport-ws"])
        await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}))
        assert json.loads(await asyncio.wait_for(ws.recv(), 5))["type"] == "connection_ack"
        await ws.send(json.dumps({"id": "j", "type": "subscribe", "payload": {
            "query": 'subscription($t: String!) { jobProgress(taskId: $t) { done total message } }', "variables": {"t": job.pk}}}))
        await asyncio.sleep(0.5)
        # The worker's part, here in a thread: the task body with the job's id as its task id.
        def work():
            from django.db import connections

            try:
                run_job.apply(kwargs={"job_id": job.pk, "_schema_name": p.tenant_a.schema_name}, task_id=job.pk)
            finally:
                connections.close_all()  # this thread's own connection

        await asyncio.to_thread(work)
        seen = []
        while not seen or seen[-1]["done"] < seen[-1]["total"]:
            seen.append(json.loads(await asyncio.wait_for(ws.recv(), 5))["payload"]["data"]["jobProgress"])
        await ws.close()
        return seen

    seen = asyncio.run(scenario())
    assert seen == [{"done": 0, "total": 2, "message": "正在安装 notes"}, {"done": 1, "total": 2, "message": "正在安装 notes_tags"},
                    {"done": 2, "total": 2, "message": "安装完成"}]
    assert InstallJob.objects.get(pk=job.pk).status == "succeeded"
