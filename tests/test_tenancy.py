"""Schema-per-tenant isolation, routing by subdomain / path / header, and the tenant lifecycle."""

import asyncio
import json

import httpx
import pytest
from django.db import connection, transaction
from django_tenants.utils import schema_exists

from jianlian.audit import service as audit
from jianlian.audit.models import AuditRecord
from jianlian.core.errors import DomainError
from tenants.context import tenant_context
from tenants.models import Tenant, TenantStatus
from tenants.provisioning import create_tenant, set_status
from tests.factories import build_province, grant, member, make_user
from tests.utils import error_code, gql, token_for

AUDIT_Q = "query { auditRecords(first: 100) { edges { node { action objectId } } } }"


def test_a_row_written_in_tenant_a_is_invisible_from_tenant_b(province):
    # given a record written inside tenant A
    with tenant_context(province.tenant_a):
        audit.record("test.secret", object_type="x", object_id="only-in-a")
    # when tenant B looks, through the ORM and through raw SQL
    with tenant_context(province.tenant_b):
        orm = AuditRecord.objects.filter(object_id="only-in-a").count()
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM audit_auditrecord WHERE object_id = 'only-in-a'")
            raw = cursor.fetchone()[0]
    # then it sees nothing, while A sees its row
    assert (orm, raw) == (0, 0)
    with tenant_context(province.tenant_a):
        assert AuditRecord.objects.filter(object_id="only-in-a").count() == 1
    assert AuditRecord.objects.filter(object_id="only-in-a").count() == 0  # nor the public schema


def test_new_tenant_is_cloned_from_the_template_and_ready(province):
    t = province.tenant_h
    assert t.status == TenantStatus.ACTIVE and schema_exists(t.schema_name)
    with tenant_context(t):
        assert AuditRecord.objects.filter(action="tenants.created").count() == 1
        # the append-only trigger came along with the clone
        with pytest.raises(Exception, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("UPDATE audit_auditrecord SET action = 'x'")
    assert {r.code for r in t.roles.all()} >= {"tenant_admin", "unit_admin", "doctor", "staff"}


def test_both_creation_methods_give_the_same_tables(province):
    from jianlian.hierarchy.services import create_unit

    h2 = create_unit(None, parent=province.city_a, level="hospital", name="杭州市第一人民医院", unit_type="general_hospital")
    migrated = create_tenant(None, h2, "hzfirst", method="migrate")

    def tables(schema):
        with connection.cursor() as cursor:
            cursor.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s ORDER BY 1", [schema])
            return [r[0] for r in cursor.fetchall()]

    assert tables(migrated.schema_name) == tables(province.tenant_a.schema_name)
    assert "audit_auditrecord" in tables(migrated.schema_name)


@pytest.mark.parametrize(
    "slug,node_attr,code",
    [
        ("Bad Slug", "lead_a", "INVALID_SLUG"),
        ("admin", "lead_a", "RESERVED_SLUG"),
        ("tonglu", "lead_a", "TENANT_EXISTS"),  # this node already has a tenant
        ("newcounty", "county_a", "INVALID_TENANT_NODE"),  # a bureau is not a tenant
        ("tonglu", "member_a1", "INVALID_TENANT_NODE"),
    ],
)
def test_bad_tenant_requests_write_nothing(province, slug, node_attr, code):
    before = Tenant.objects.count()
    with pytest.raises(DomainError) as e:
        create_tenant(None, getattr(province, node_attr), slug)
    assert e.value.code == code
    assert Tenant.objects.count() == before


def test_a_taken_slug_is_refused(province):
    from jianlian.hierarchy.services import create_unit

    h2 = create_unit(None, parent=province.root, level="hospital", name="浙江省中医院", unit_type="tcm_hospital")
    with pytest.raises(DomainError) as e:
        create_tenant(None, h2, "tonglu")
    assert e.value.code == "SLUG_TAKEN"
    assert not Tenant.objects.filter(org_unit=h2).exists()


def test_cloning_a_stale_template_is_refused(province):
    from jianlian.hierarchy.services import create_unit

    h2 = create_unit(None, parent=province.root, level="hospital", name="浙江省肿瘤医院", unit_type="specialist_hospital")
    # given a template that misses one of the code's migrations
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM _tenant_template.django_migrations WHERE app = 'audit' AND name = '0002_append_only'")
    # then cloning refuses, and nothing is left behind
    with pytest.raises(DomainError) as e:
        create_tenant(None, h2, "zjcancer")
    assert e.value.code == "TEMPLATE_STALE"
    assert not Tenant.objects.filter(slug="zjcancer").exists() and not schema_exists("t_zjcancer")


def test_lifecycle_transitions(province):
    admin = province.users["province_admin"]
    t = set_status(admin, province.tenant_b, "suspended", "整改")
    assert t.status == "suspended"
    set_status(admin, t, "active")
    set_status(admin, t, "archived")
    with pytest.raises(DomainError) as e:
        set_status(admin, t, "active")
    assert e.value.code == "INVALID_TRANSITION"
    with pytest.raises(DomainError) as e:
        set_status(admin, province.tenant_a, "deleted")
    assert e.value.code == "INVALID_STATUS"


# --- routing ------------------------------------------------------------------------------------

@pytest.mark.parametrize("how", ["subdomain", "path", "header"])
def test_routing_reaches_the_tenant_for_a_member(client, province, how):
    admin = province.users["tenant_admin"]
    kwargs = {"subdomain": {"HTTP_HOST": "tonglu.localhost"}, "path": {"path": "/t/tonglu/graphql/"},
              "header": {"HTTP_X_TENANT": "tonglu"}}[how]
    status, body = gql(client, "query { currentTenant { slug } }", user=admin, **kwargs)
    assert status == 200 and body["data"]["currentTenant"]["slug"] == "tonglu"


@pytest.mark.parametrize("how", ["subdomain", "path", "header"])
def test_routing_refuses_a_caller_without_membership(client, province, how):
    outsider = province.users["doctor_b"]  # a member of 象山, not 桐庐
    kwargs = {"subdomain": {"HTTP_HOST": "tonglu.localhost"}, "path": {"path": "/t/tonglu/graphql/"},
              "header": {"HTTP_X_TENANT": "tonglu"}}[how]
    status, body = gql(client, AUDIT_Q, user=outsider, **kwargs)
    assert status == 403 and error_code(body) == "TENANT_ACCESS_DENIED"
    assert "不是该单位的成员" in body["errors"][0]["message"]


def test_unknown_tenant_is_a_clear_404(client, province):
    status, body = gql(client, "query { me { username } }", HTTP_X_TENANT="nowhere")
    assert status == 404 and error_code(body) == "TENANT_NOT_FOUND"


def test_suspended_tenant_refuses_its_members(client, province):
    set_status(None, province.tenant_a, "suspended", "数据整改")
    status, body = gql(client, "query { me { username } }", user=province.users["doctor"], HTTP_X_TENANT="tonglu")
    assert status == 403 and error_code(body) == "TENANT_SUSPENDED"


def test_the_province_can_manage_tenants_without_membership(client, province):
    status, body = gql(client, "query { currentTenant { slug } }", user=province.users["province_admin"],
                       HTTP_X_TENANT="xiangshan")
    assert status == 200 and body["data"]["currentTenant"]["slug"] == "xiangshan"


# --- concurrency under ASGI -----------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_concurrent_asgi_requests_for_two_tenants_never_mix(unique):
    # given two tenants, each with its own marked rows, and an admin in each
    suffix = unique("")
    p = build_province(suffix)
    admins = {}
    for tenant, lead in ((p.tenant_a, p.lead_a), (p.tenant_b, p.lead_b)):
        with tenant_context(tenant):
            for i in range(5):
                audit.record("test.marker", object_type="marker", object_id=f"{tenant.slug}-{i}")
        admin = make_user(f"{tenant.slug}管理员")
        member(admin, tenant, lead)
        grant(admin, "tenant_admin", lead, tenant)
        admins[tenant.slug] = token_for(admin)

    from jianlian.asgi import application

    async def ask(client, slug):
        r = await client.post("/graphql/", json={"query": AUDIT_Q},
                              headers={"X-Tenant": slug, "Authorization": f"Bearer {admins[slug]}"})
        assert r.status_code == 200, r.text
        return slug, {e["node"]["objectId"] for e in r.json()["data"]["auditRecords"]["edges"] if e["node"]["action"] == "test.marker"}

    async def run():
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
            slugs = [p.tenant_a.slug, p.tenant_b.slug] * 20
            first = await asyncio.gather(*(ask(client, s) for s in slugs))
            return first + await asyncio.gather(*(ask(client, s) for s in reversed(slugs)))  # the kept ones again

    # when 40 requests for both tenants run at once (on the kept threads and connections of
    # jianlian.core.http_queue, each already on some tenant's search path)
    from jianlian.asgi import http

    try:
        results = asyncio.run(run())
    finally:
        http.close()
    # then every answer holds exactly its own tenant's rows
    for slug, seen in results:
        assert seen == {f"{slug}-{i}" for i in range(5)}


def test_the_tenant_look_up_of_a_signed_in_caller_answers_as_the_orm_does(province):
    """find_tenant runs its query from SQL built once per process (the ORM took about a
    millisecond to build it on every API call): the same tenant, unit, membership and apps."""
    from jianlian.access.checks import membership_exists
    from jianlian.marketplace.services import installed_keys_subquery
    from tenants.middleware import find_tenant

    inside, outside, left = make_user("院内"), make_user("院外"), make_user("已离开")
    member(inside, province.tenant_a, province.lead_a)
    member(left, province.tenant_a, province.lead_a).__class__.objects.filter(user=left).update(is_active=False)
    for slug in ("tonglu", "TongLu", "nowhere"):
        for user in (inside, outside, left):
            expected = (Tenant.objects.select_related("org_unit").filter(slug=slug.lower())
                        .annotate(member=membership_exists(user), apps=installed_keys_subquery()).first())
            found = find_tenant(slug, "header", user)
            if expected is None:
                assert found is None
                continue
            assert [getattr(found, f.attname) for f in Tenant._meta.concrete_fields] == \
                   [getattr(expected, f.attname) for f in Tenant._meta.concrete_fields]
            assert found.org_unit == expected.org_unit and found.org_unit.name == expected.org_unit.name
            assert found.members_known == {user.pk: expected.member}
            assert found.installed_keys_known == frozenset(expected.apps or ())
            assert not found._state.adding
