"""Which schemas are behind the code's migrations, without asking Django's migrate to find out.

`migrate_schemas` with nothing to apply still builds the migration plan, checks consistency and
runs post-migrate handlers once per schema: 82 ms a tenant here today (`make bench`, 200 tenants
in 16.4 s), growing with every app and migration; reported elsewhere as ~12 minutes for 900
tenants. Comparing each schema's `django_migrations` rows with the graph's nodes is one small
query per schema (200 tenants in 81 ms), so a no-op deploy only pays for tenants that are behind.
"""

from __future__ import annotations

from functools import lru_cache

from django.db import connection
from django_tenants.utils import quote_schema_name


@lru_cache(maxsize=1)
def all_migrations() -> frozenset[tuple[str, str]]:
    """Every migration the code defines."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True, load=True)
    return frozenset(loader.graph.nodes)


def expected_migrations(schema: str | None = None) -> frozenset[tuple[str, str]]:
    """What a migrated `schema` records: every platform migration (shared apps' as no-ops), plus
    the migrations of the marketplace modules that have tables there (see
    jianlian.marketplace.router). Without a schema: the platform's alone."""
    from jianlian.marketplace.manifest import module_labels
    from jianlian.marketplace.router import modules_here

    modules = module_labels()
    here = modules_here(schema) if schema else set()
    return frozenset(m for m in all_migrations() if m[0] not in modules or m[0] in here)


def applied_migrations(schema: str) -> frozenset[tuple[str, str]] | None:
    """The migrations recorded in `schema`, or None when it has no migration table yet."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [f"{quote_schema_name(schema)}.django_migrations"])
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute(f"SELECT app, name FROM {quote_schema_name(schema)}.django_migrations")
        return frozenset(cursor.fetchall())


def missing_migrations(schema: str) -> frozenset[tuple[str, str]]:
    applied = applied_migrations(schema)
    expected = expected_migrations(schema)
    return expected if applied is None else expected - applied


def is_current(schema: str) -> bool:
    return not missing_migrations(schema)
