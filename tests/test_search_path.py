"""A connection kept between requests (jianlian.core.http_queue) is not told its tenant's search
path again when it is on it already — the tenant look-up names its tables with their schema, so a
request no longer sets the path to the public schema and back — and a path a rollback undid is
always set again: a row of one tenant is never read or written in another's."""

from __future__ import annotations

from django.db import connection, transaction

from jianlian.audit.models import AuditRecord
from tenants.context import tenant_context
from tenants.middleware import find_tenant
from tests.factories import make_user, member


def _path() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW search_path")
        return cursor.fetchone()[0]


def test_the_path_is_set_once_and_again_after_a_rollback_undid_it(province):
    a, b = province.tenant_a, province.tenant_b
    caller = make_user("院内")
    member(caller, a, province.lead_a)
    with tenant_context(a):
        AuditRecord.objects.count()
    # a request's look-up of its tenant runs between two requests of the same tenant ...
    assert find_tenant(a.slug, "header", caller).members_known == {caller.pk: True}
    with tenant_context(a):
        assert connection.search_path_set_schemas  # ... and the path is trusted: nothing to SET
        assert a.schema_name in _path()
    # a SET inside a transaction that is rolled back is undone by PostgreSQL
    try:
        with transaction.atomic(), tenant_context(b):
            assert b.schema_name in _path()
            raise RuntimeError("the write failed")
    except RuntimeError:
        pass
    with tenant_context(b):
        assert b.schema_name in _path()  # set again, not assumed
    with tenant_context(a):
        assert a.schema_name in _path()


def test_a_path_set_inside_a_rolled_back_savepoint_is_not_trusted(province):
    a, b = province.tenant_a, province.tenant_b
    with tenant_context(a):
        assert a.schema_name in _path()
        sid = transaction.savepoint()
        connection.set_tenant(b)
        assert b.schema_name in _path()  # SET inside the savepoint
        transaction.savepoint_rollback(sid)  # PostgreSQL puts the path back to a's
        connection.set_tenant(b)
        assert b.schema_name in _path()  # so it is SET again, not taken as already there
