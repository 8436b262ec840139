"""Snapshots of the test database's committed state, and putting one back.

The suite builds its province once per session (tests/factories.py) and commits it. Tests on the
`db` fixture run inside a transaction that is rolled back, so they never change it. Tests that
must commit (transactional tests: the bus relay, Celery workers, live servers, browsers) do; at
their end, instead of Django's flush (which empties every public table and so loses the province,
while the tenant schemas it made stay behind and pile up), the snapshot taken after the province
was built is put back:

- every table of the snapshotted schemas (public and the province's tenants) gets exactly its
  rows of then (sequences are left as they are, so ids are never reused);
- tables, views and sequences created since in those schemas (an app installed into a tenant, a
  test's own table) are dropped;
- schemas created since (tenants the test made) are dropped.

Taking a snapshot copies the rows into tables of the schema `_test_snapshot`; putting it back is
one TRUNCATE and one INSERT per non-empty table, all in one transaction. It also works inside an
enclosing transaction (the demo seed's module puts back the state from before the province, and
rolls that back at its end).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from django.db import connection, transaction

SNAPSHOT_SCHEMA = "_test_snapshot"
_names = itertools.count(1)
# Relation kinds compared between then and now: tables, partitioned tables, views, materialised
# views, sequences and foreign tables (an index goes with its table).
_KINDS = ("r", "p", "v", "m", "S", "f")


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass
class Snapshot:
    schemas: set[str]  # every schema that existed (the others are dropped on restore)
    tables: dict[str, list[str]]  # schema -> its tables, whose rows are put back
    relations: dict[str, set[str]]  # schema -> every relation it had (newer ones are dropped)
    copies: dict[tuple[str, str], str] = field(default_factory=dict)  # (schema, table) -> copy


BASE: Snapshot | None = None  # migrated, roles and catalog seeded, no province (tests/conftest.py)
SESSION: Snapshot | None = None  # with the session's province


def _user_schemas(cursor) -> set[str]:
    cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%%' "
                   "AND nspname <> 'information_schema'")
    return {name for (name,) in cursor.fetchall()}


def _relations(cursor, schema: str, kinds=_KINDS) -> dict[str, str]:
    cursor.execute("SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                   "WHERE n.nspname = %s AND c.relkind = ANY(%s)", [schema, list(kinds)])
    return dict(cursor.fetchall())


def take(schemas: list[str]) -> Snapshot:
    """Copy the rows of every table in `schemas` (committed at once)."""
    connection.set_schema_to_public()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {_q(SNAPSHOT_SCHEMA)}")
        snap = Snapshot(schemas=_user_schemas(cursor), tables={}, relations={})
        for schema in schemas:
            relations = _relations(cursor, schema)
            snap.relations[schema] = set(relations)
            snap.tables[schema] = sorted(name for name, kind in relations.items() if kind in ("r", "p"))
            for table in snap.tables[schema]:
                cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {_q(schema)}.{_q(table)})")
                if cursor.fetchone()[0]:
                    copy = f"s{next(_names)}"
                    cursor.execute(f"CREATE TABLE {_q(SNAPSHOT_SCHEMA)}.{_q(copy)} AS TABLE {_q(schema)}.{_q(table)}")
                    snap.copies[(schema, table)] = copy
    return snap


def restore(snap: Snapshot) -> None:
    """Put the database back as it was when `snap` was taken (see the module docstring)."""
    connection.set_schema_to_public()
    with transaction.atomic(), connection.cursor() as cursor:
        # A connection some thread left open in a transaction would make us wait for ever.
        cursor.execute("SET LOCAL lock_timeout = '60s'")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for schema in sorted(_user_schemas(cursor) - snap.schemas):
            cursor.execute(f"DROP SCHEMA {_q(schema)} CASCADE")
        for schema, before in snap.relations.items():
            now = _relations(cursor, schema)
            newer = [name for name in now if name not in before]
            for name in sorted(newer, key=lambda n: now[n] == "S"):  # tables first, with what they own
                kind = {"r": "TABLE", "p": "TABLE", "v": "VIEW", "m": "MATERIALIZED VIEW", "S": "SEQUENCE",
                        "f": "FOREIGN TABLE"}[now[name]]
                cursor.execute(f"DROP {kind} IF EXISTS {_q(schema)}.{_q(name)} CASCADE")
        tables = [f"{_q(s)}.{_q(t)}" for s, names in snap.tables.items() for t in names]
        if tables:
            cursor.execute(f"TRUNCATE {', '.join(tables)}")
        for (schema, table), copy in snap.copies.items():
            cursor.execute(f"INSERT INTO {_q(schema)}.{_q(table)} SELECT * FROM {_q(SNAPSHOT_SCHEMA)}.{_q(copy)}")
