"""Behind PgBouncer in transaction mode (django-tenants #545, #1112), with the PgBouncer Debian
ships (1.18, `apt-get install pgbouncer`; skipped where it is not installed).

In transaction pooling a server connection serves a client for one transaction only, so the
session-level `SET search_path` django-tenants issues once per connection stays behind on the
server connection for whoever comes next, and the client's own next statement may run on a
server connection another tenant left. PgBouncer 1.20's `track_extra_parameters = search_path`
(which also needs a server that reports search_path) is not available in 1.18, which refuses the
setting; DATABASE_POOL_MODE=transaction (every statement sets its own search path for its own
transaction, tenants/backend/base.py) works with any PgBouncer."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import time

import pytest
from django.db import connection

from tenants.backend.base import DatabaseWrapper

PGBOUNCER = shutil.which("pgbouncer") or ("/usr/sbin/pgbouncer" if os.path.exists("/usr/sbin/pgbouncer") else None)
pytestmark = pytest.mark.skipif(PGBOUNCER is None, reason="PgBouncer is not installed (apt-get install pgbouncer)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(tmp_path, extra: str = "") -> tuple[subprocess.Popen, int]:
    """PgBouncer in transaction mode with ONE server connection, in front of the test database."""
    db = connection.settings_dict
    host = db["OPTIONS"].get("host") or db["HOST"] or "127.0.0.1"
    port = _free_port()
    (tmp_path / "users.txt").write_text(f'"{db["USER"]}" "{db.get("PASSWORD") or ""}"\n')
    (tmp_path / "pgbouncer.ini").write_text(f"""[databases]
* = host={host} port={db["PORT"] or 5432}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = {"trust" if not db.get("PASSWORD") else "plain"}
auth_file = {tmp_path / "users.txt"}
pool_mode = transaction
default_pool_size = 1
ignore_startup_parameters = extra_float_digits,options
{extra}
""")
    cmd = [PGBOUNCER]
    if os.geteuid() == 0:  # PgBouncer refuses to run as root; run it as the owner of the socket
        owner = pwd.getpwuid(os.stat(host).st_uid).pw_name if host.startswith("/") else "postgres"
        shutil.chown(tmp_path, owner)
        for f in tmp_path.iterdir():
            shutil.chown(f, owner)
        cmd += ["-u", owner]
    proc = subprocess.Popen([*cmd, str(tmp_path / "pgbouncer.ini")], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, port
        except OSError:
            time.sleep(0.1)
    return proc, 0


@pytest.fixture
def two_schemas(transactional_db):
    with connection.cursor() as cursor:
        for s in ("pgb_a", "pgb_b"):
            cursor.execute(f"DROP SCHEMA IF EXISTS {s} CASCADE; CREATE SCHEMA {s}; CREATE TABLE {s}.t (v text); "
                           f"INSERT INTO {s}.t VALUES ('{s[-1]}')")
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA IF EXISTS pgb_a, pgb_b CASCADE")


@pytest.fixture
def pgbouncer(tmp_path, two_schemas):
    proc, port = _start(tmp_path)
    assert port, proc.stdout.read().decode()
    yield port
    proc.terminate()
    proc.wait(10)


def _through(port: int, *, pooling: bool, schema: str) -> DatabaseWrapper:
    settings = {**connection.settings_dict, "HOST": "127.0.0.1", "PORT": port, "OPTIONS": {},
                "TRANSACTION_POOLING": pooling}
    wrapper = DatabaseWrapper(settings, alias=f"pgbouncer_{schema}")
    wrapper.set_schema(schema)
    return wrapper


def _wrong_answers(port: int, *, pooling: bool) -> int:
    """Two clients on two tenants' schemas taking turns: how often one read the other's row."""
    clients = {"a": _through(port, pooling=pooling, schema="pgb_a"), "b": _through(port, pooling=pooling, schema="pgb_b")}
    wrong = 0
    try:
        for _ in range(20):
            for expected, client in clients.items():
                with client.cursor() as cursor:
                    cursor.execute("SELECT v FROM t")
                    wrong += cursor.fetchone()[0] != expected
    finally:
        for client in clients.values():
            client.close()
    return wrong


def test_a_session_level_search_path_leaks_between_clients(pgbouncer):
    assert _wrong_answers(pgbouncer, pooling=False) > 0


def test_a_search_path_per_statement_never_leaks(pgbouncer):
    assert _wrong_answers(pgbouncer, pooling=True) == 0


def _values(client) -> list[str]:
    with client.cursor() as cursor:
        cursor.execute("SELECT array_agg(v ORDER BY v) FROM t")
        return cursor.fetchone()[0]


def test_a_transaction_and_its_rollback_keep_their_tenant(pgbouncer):
    a = _through(pgbouncer, pooling=True, schema="pgb_a")
    b = _through(pgbouncer, pooling=True, schema="pgb_b")
    try:
        a.set_autocommit(False)
        with a.cursor() as cursor:
            cursor.execute("INSERT INTO t VALUES ('a2')")
        assert _values(a) == ["a", "a2"]
        a.rollback()
        a.set_autocommit(True)
        assert _values(b) == ["b"]
        assert _values(a) == ["a"]
    finally:
        a.close()
        b.close()


def test_pgbouncer_118_cannot_track_search_path(tmp_path, two_schemas):
    """The other way (PgBouncer >= 1.20 with track_extra_parameters) does not start here."""
    version = subprocess.run([PGBOUNCER, "--version"], capture_output=True, text=True).stdout
    proc, port = _start(tmp_path, "track_extra_parameters = search_path")
    if port:  # a newer PgBouncer: the setting exists
        proc.terminate()
        proc.wait(10)
        pytest.skip(f"{version.strip()} knows track_extra_parameters")
    assert "track_extra_parameters" in proc.stdout.read().decode()


def test_statements_refused_in_a_transaction_still_run(pgbouncer):
    """CREATE INDEX CONCURRENTLY, CREATE DATABASE … cannot carry the per-statement search path
    (it would make them a transaction); they name their objects and go as they are."""
    client = _through(pgbouncer, pooling=True, schema="pgb_a")
    try:
        with client.cursor() as cursor:
            cursor.execute("CREATE INDEX CONCURRENTLY pgb_a_t_v ON pgb_a.t (v)")
            cursor.execute("SELECT count(*) FROM pg_indexes WHERE schemaname = 'pgb_a' AND indexname = 'pgb_a_t_v'")
            assert cursor.fetchone()[0] == 1
    finally:
        client.close()
