"""Where a module's migrations may run: only in the schemas of tenants that installed it.

Django's `migrate` asks the routers before each operation and, when they say no, still records
the migration as applied. So a tenant created (or migrated by `migrate_schemas`) before it
installed an app would have the app's migrations recorded and no tables, and installing the app
later would create nothing. Two pieces keep every schema's migration records true:

- `ModuleRouter.allow_migrate` allows a module's operations only in a tenant schema whose
  installation row exists (installed or disabled: a disabled app keeps its tables, which must keep
  following the code) or during that schema's install (`allowing`); the few models a manifest
  names in `public_models` (province-wide aggregates) get their one table in the public schema
  and never one in a tenant (a data migration for them passes `hints={"public": True}`);
- after every `migrate` (whoever runs it: `migrate_all`, django-tenants' `migrate_schemas`, an
  operator), `forget_skipped_migrations` deletes the records of modules the schema does not have.
  See `apps.py`, which connects it to `post_migrate`.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

from django.db import connection

_allowed: contextvars.ContextVar[tuple[str, frozenset[str]] | None] = contextvars.ContextVar(
    "jianlian_module_migrations", default=None
)


@contextmanager
def allowing(schema: str, labels: set[str]):
    """Allow the migrations of `labels` in `schema` (an install in progress)."""
    token = _allowed.set((schema, frozenset(labels)))
    try:
        yield
    finally:
        _allowed.reset(token)


def schema_modules(schema: str) -> set[str]:
    """The module apps that have tables in `schema` (from its installation rows in public)."""
    from jianlian.marketplace.manifest import module_labels

    if schema in ("public", None) or not module_labels():
        return set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('public.marketplace_installation')")
        if cursor.fetchone()[0] is None:
            return set()
        cursor.execute(
            """SELECT a.key FROM public.marketplace_installation i
               JOIN public.marketplace_app a ON a.id = i.app_id
               JOIN public.tenants_tenant t ON t.id = i.tenant_id
               WHERE t.schema_name = %s AND a.kind = 'builtin'""",
            [schema],
        )
        return {row[0] for row in cursor.fetchall()}


def modules_here(schema: str) -> set[str]:
    """The module apps whose migrations are recorded in `schema`: in public, those with public
    models; in a tenant, those it installed (or is installing)."""
    from jianlian.marketplace.manifest import labels_with_public_models

    if schema in ("public", None):
        return set(labels_with_public_models())
    allowed = _allowed.get()
    extra = allowed[1] if allowed and allowed[0] == schema else frozenset()
    return schema_modules(schema) | set(extra)


class ModuleRouter:
    """Decides for module apps only; everything else falls through to django-tenants' router."""

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        from jianlian.marketplace.manifest import module_labels

        from jianlian.marketplace.manifest import public_models

        if app_label not in module_labels():
            return None
        schema = getattr(connection, "schema_name", "public")
        shared = public_models(app_label)
        if schema == "public":
            return (model_name or "").lower() in shared if model_name else bool(hints.get("public") and shared)
        if model_name and model_name.lower() in shared or hints.get("public"):
            return False
        return app_label in modules_here(schema)


def forget_skipped_migrations(schema: str) -> int:
    """Delete the migration records of module apps that have no tables in `schema`. Returns how
    many records were deleted."""
    from jianlian.marketplace.manifest import module_labels

    absent = sorted(module_labels() - modules_here(schema))
    if not absent:
        return 0
    from django_tenants.utils import quote_schema_name

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [f"{quote_schema_name(schema)}.django_migrations"])
        if cursor.fetchone()[0] is None:
            return 0
        cursor.execute(f"DELETE FROM {quote_schema_name(schema)}.django_migrations WHERE app = ANY(%s)", [absent])
        return cursor.rowcount
