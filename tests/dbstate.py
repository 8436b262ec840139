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

Taking a snapshot copies the rows into tables of the schema `_test_snapshot` and notes each
table's row count and the transaction id. Putting it back empties and refills only the tables
that changed since: a different row count, or a row written by a later transaction (its `xmin`).
Emptying is DELETE (foreign keys are deferred, checked once the rows are back), or TRUNCATE for a
table whose trigger refuses DELETE (the audit log, which allows TRUNCATE in the test database).
All of it is one transaction, and it also works inside an enclosing one (the demo seed's module
puts back the state from before the province, and rolls that back at its end).
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
    counts: dict[tuple[str, str], int] = field(default_factory=dict)  # (schema, table) -> rows
    truncate_only: set[tuple[str, str]] = field(default_factory=set)  # a trigger refuses DELETE
    xid: int = 0  # the snapshot's transaction (32 bits, as `xmin` shows it)
    # A table put back by a committed restore holds the snapshot's rows written by that restore.
    restored_by: dict[tuple[str, str], int] = field(default_factory=dict)


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
        snap = Snapshot(schemas=_user_schemas(cursor), tables={}, relations={}, xid=_xid(cursor))
        for schema in schemas:
            relations = _relations(cursor, schema)
            snap.relations[schema] = set(relations)
            snap.tables[schema] = sorted(name for name, kind in relations.items() if kind in ("r", "p"))
            for table in snap.tables[schema]:
                cursor.execute(f"SELECT count(*) FROM {_q(schema)}.{_q(table)}")
                snap.counts[(schema, table)] = cursor.fetchone()[0]
                if snap.counts[(schema, table)]:
                    copy = f"s{next(_names)}"
                    cursor.execute(f"CREATE TABLE {_q(SNAPSHOT_SCHEMA)}.{_q(copy)} AS TABLE {_q(schema)}.{_q(table)}")
                    snap.copies[(schema, table)] = copy
            cursor.execute("SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                           "JOIN pg_namespace n ON n.oid = c.relnamespace "
                           "WHERE n.nspname = %s AND NOT t.tgisinternal AND t.tgtype & 8 = 8", [schema])
            snap.truncate_only |= {(schema, name) for (name,) in cursor.fetchall()}
    return snap


def _xid(cursor) -> int:
    cursor.execute("SELECT txid_current() % 4294967296")
    return cursor.fetchone()[0]


def _changed(cursor, snap: Snapshot) -> list[tuple[str, str]]:
    tables = [(s, t) for s, names in snap.tables.items() for t in names]
    if _xid(cursor) < snap.xid:  # transaction ids wrapped around since: compare nothing
        return tables
    checks = [
        f"SELECT {i} WHERE (SELECT count(*) FROM {_q(s)}.{_q(t)}) <> {snap.counts[(s, t)]} "
        f"OR EXISTS (SELECT 1 FROM {_q(s)}.{_q(t)} WHERE xmin::text::bigint > {snap.restored_by.get((s, t), snap.xid)})"
        for i, (s, t) in enumerate(tables)
    ]
    cursor.execute(" UNION ALL ".join(checks))
    return [tables[i] for (i,) in cursor.fetchall()]


def restore(snap: Snapshot) -> None:
    """Put the database back as it was when `snap` was taken (see the module docstring)."""
    connection.set_schema_to_public()
    commits = not connection.in_atomic_block
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
        changed = _changed(cursor, snap)
        for schema, table in changed:
            how = "TRUNCATE" if (schema, table) in snap.truncate_only else "DELETE FROM"
            cursor.execute(f"{how} {_q(schema)}.{_q(table)}")
        for key in changed:
            if key in snap.copies:
                cursor.execute(f"INSERT INTO {_q(key[0])}.{_q(key[1])} SELECT * FROM {_q(SNAPSHOT_SCHEMA)}.{_q(snap.copies[key])}")
        xid = _xid(cursor)
    if commits:
        snap.restored_by.update(dict.fromkeys(changed, xid))
