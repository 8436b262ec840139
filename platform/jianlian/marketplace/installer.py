"""Creating, migrating and dropping a module's tables inside one tenant's schema.

The caller holds the transaction: PostgreSQL DDL is transactional, so an install that fails
half-way (a migration error, a seed error) rolls back to the schema as it was.
"""

from __future__ import annotations

from functools import lru_cache

from django.apps import apps
from django.db import connection
from django_tenants.utils import quote_schema_name

from jianlian.marketplace.router import allowing, modules_here


@lru_cache(maxsize=1)
def _loader_graph():
    """The migration graph, built once per process (it only changes with the code)."""
    from django.db.migrations.loader import MigrationLoader

    return MigrationLoader(None, ignore_no_migrations=True, load=True).graph


def app_migrations(label: str) -> list[tuple[str, str]]:
    graph = _loader_graph()
    leaves = [n for n in graph.leaf_nodes() if n[0] == label]
    plan = []
    for leaf in leaves:
        plan.extend(n for n in graph.forwards_plan(leaf) if n[0] == label and n not in plan)
    return plan


def pending_migrations(schema: str, label: str) -> list[tuple[str, str]]:
    from tenants.migration_state import applied_migrations

    applied = applied_migrations(schema) or frozenset()
    return [m for m in app_migrations(label) if m not in applied]


def migrate_app(schema: str, label: str, *, progress=None) -> int:
    """Apply `label`'s unapplied migrations in `schema`. Returns how many ran.

    The caller has activated the tenant (`tenants.context.tenant_context`) and holds the
    transaction. Uses Django's MigrationExecutor on the current connection, with the router told
    that `label` may migrate in this schema.
    """
    from django.db.migrations.executor import MigrationExecutor

    assert connection.schema_name == schema, "activate the tenant before migrating its apps"
    todo = pending_migrations(schema, label)
    if not todo:
        return 0
    with allowing(schema, modules_here(schema) | {label}):
        executor = MigrationExecutor(connection, progress_callback=progress)
        targets = [todo[-1]]
        executor.migrate(targets, plan=executor.migration_plan(targets))
    return len(todo)


def drop_app_tables(schema: str, label: str) -> list[str]:
    """Drop every table of `label`'s models in `schema` and forget its migrations there.

    Returns the dropped table names. Tables of other apps are never touched: only the app's own
    concrete models (and their many-to-many tables) are dropped.
    """
    from jianlian.marketplace.manifest import public_models

    config = apps.get_app_config(label)
    shared = public_models(label)
    tables = []
    for model in config.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy and model._meta.model_name not in shared:
            tables.append(model._meta.db_table)
    q = quote_schema_name(schema)
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'DROP TABLE IF EXISTS {q}."{table}" CASCADE')
        cursor.execute(f"DELETE FROM {q}.django_migrations WHERE app = %s", [label])
    return tables


def tables_in(schema: str, label: str) -> list[str]:
    """The tables of `label`'s models that exist in `schema` (for checks and tests)."""
    config = apps.get_app_config(label)
    names = [m._meta.db_table for m in config.get_models(include_auto_created=True)]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s AND table_name = ANY(%s)",
            [schema, names],
        )
        return sorted(r[0] for r in cursor.fetchall())
