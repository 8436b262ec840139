"""Citus with schema-based sharding: each tenant schema is a distributed schema on one worker.

The platform runs unchanged on plain PostgreSQL and on a Citus coordinator; everything here is
detected at run time and does nothing without the `citus` extension.

- A schema created while `citus.enable_schema_based_sharding` is on becomes a distributed schema,
  and the tables created in it afterwards (migrations, app installs) become single-shard tables
  colocated on one worker. The template `_tenant_template` is made that way by `migrate_all`.
- Cloning copies tables with a PL/pgSQL function, whose CREATE TABLEs Citus does not distribute:
  a cloned schema would keep most of its tables as local tables on the coordinator. So the clone
  is made with schema-based sharding off (a plain local schema), then the whole schema is
  distributed in the same transaction (`citus_schema_distribute`): every table moves to one worker
  together, and the new tenant lands on the worker Citus picks (spread over the workers).
- The audit table's append-only trigger only reads a setting and raises; Citus refuses triggers
  on distributed tables unless `citus.enable_unsafe_triggers` is on, which is set for the
  distributing transaction only (see audit/migrations/0002_append_only.py).
"""

from __future__ import annotations

from django.db import connection

_CITUS: dict[tuple, bool] = {}


def is_citus() -> bool:
    """Whether the database is a Citus coordinator (the extension is installed). Cached per
    database for the life of the process."""
    s = connection.settings_dict
    key = (s.get("HOST"), s.get("PORT"), s.get("NAME"))
    if key not in _CITUS:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'citus'")
            _CITUS[key] = cursor.fetchone() is not None
    return _CITUS[key]


class local_schema_creation:
    """Schemas created inside this block stay local (no-op without Citus). Transaction-scoped."""

    def __enter__(self):
        if is_citus():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL citus.enable_schema_based_sharding = off")
        return self

    def __exit__(self, *exc):
        if is_citus() and exc[0] is None:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL citus.enable_schema_based_sharding = on")


def distribute_schema(schema: str) -> None:
    """Make `schema` a distributed schema with every table in it (no-op without Citus, or when
    the schema is already distributed and has no local tables left)."""
    if not is_citus():
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL citus.enable_unsafe_triggers = on")
        cursor.execute("SELECT citus_schema_distribute(%s)", [schema])


def tenant_placement() -> list[dict]:
    """Each tenant schema: its tables, how many are distributed, and the workers holding them.
    Empty without Citus."""
    if not is_citus():
        return []
    from django.conf import settings

    from tenants.models import Tenant

    schemas = [settings.TENANT_TEMPLATE_SCHEMA, *Tenant.objects.order_by("pk").values_list("schema_name", flat=True)]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT n.nspname, count(*), count(p.logicalrelid),
                   array_remove(array_agg(DISTINCT s.nodename || ':' || s.nodeport), NULL)
              FROM pg_class c
              JOIN pg_namespace n ON n.oid = c.relnamespace
              LEFT JOIN pg_dist_partition p ON p.logicalrelid = c.oid
              LEFT JOIN citus_shards s ON s.table_name = c.oid::regclass
             WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY(%s)
             GROUP BY n.nspname
            """,
            [schemas],
        )
        rows = {r[0]: {"schema": r[0], "tables": r[1], "distributed": r[2], "nodes": sorted(r[3])} for r in cursor.fetchall()}
    return [rows.get(s, {"schema": s, "tables": 0, "distributed": 0, "nodes": []}) for s in schemas]



def placement_problems(rows: list[dict]) -> list[str]:
    """What `tenant_placement` shows wrong: local tables in a tenant schema, or several tenants
    all on one worker while the cluster has more."""
    problems = [f"{r['schema']}: {r['tables'] - r['distributed']} 张表仍是本地表 (local tables left)"
                for r in rows if r["distributed"] < r["tables"]]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM citus_get_active_worker_nodes()")
        workers = cursor.fetchone()[0]
    used = {n for r in rows for n in r["nodes"]}
    if len(rows) > workers and len(used) < workers:
        problems.append(f"{len(rows)} 个租户模式只在 {len(used)}/{workers} 个工作节点上 (tenants not spread)")
    return problems
