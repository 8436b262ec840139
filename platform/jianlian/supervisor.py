"""`make run`: set up and start everything, under one process that stops it all on Ctrl-C.

1. the embedded PostgreSQL and Redis (unless DATABASE_URL / REDIS_URL point elsewhere);
2. migrations: public schema, tenant template, tenants that are behind (`migrate_all`);
3. the demo province, on first start only (`seed_demo` is idempotent; never in production);
4. the ASGI server (HTTP + WebSocket), a Celery worker and Celery beat, as child processes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from jianlian import devservices

REPO_ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str) -> None:
    subprocess.run([sys.executable, str(REPO_ROOT / "manage.py"), *args], check=True, cwd=REPO_ROOT)


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianlian.settings")
    host = os.environ.get("HOST", "127.0.0.1")
    port = os.environ.get("PORT", "8000")
    started = time.monotonic()
    embedded = devservices.ensure_running()
    if embedded:
        print(f"内置 PostgreSQL 与 Redis 已就绪（数据目录 {devservices.var_dir()}）。", flush=True)
    _manage("migrate_all", "-v", "0")
    production = os.environ.get("JIANLIAN_ENV") == "production"
    if not production:
        _manage("seed_demo", "--if-empty")

    children: list[subprocess.Popen] = []
    env = {**os.environ}
    from jianlian.asgi_server import uvicorn_command

    commands = [
        uvicorn_command(host=host, port=port),
        [sys.executable, "-m", "celery", "-A", "jianlian.celery_app", "worker", "--loglevel", "WARNING",
         "--concurrency", "2", "--without-gossip", "--without-mingle"],
        [sys.executable, "-m", "celery", "-A", "jianlian.celery_app", "beat", "--loglevel", "WARNING",
         "--schedule", str(devservices.var_dir() / "celerybeat-schedule")],
    ]
    for cmd in commands:
        children.append(subprocess.Popen(cmd, env=env, cwd=REPO_ROOT, start_new_session=True))

    stopping = False

    def stop(signum=None, frame=None):
        nonlocal stopping
        if stopping:
            return
        stopping = True
        print("\n正在停止……", flush=True)
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
        if embedded:
            devservices.stop_all()
        print("已停止。", flush=True)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)

    print(
        f"\n健联 Jianlian 已启动（{time.monotonic() - started:.1f} 秒）\n"
        f"  工作台 / API:  http://{host}:{port}/graphql/\n"
        f"  省级控制台:    http://{host}:{port}/admin/\n"
        f"  租户（路径）:  http://{host}:{port}/t/<租户标识>/graphql/\n",
        flush=True,
    )
    if not production:
        _manage("seed_demo", "--print-accounts")
    print("按 Ctrl-C 停止。", flush=True)
    try:
        while not stopping:
            for child in children:
                if child.poll() is not None and not stopping:
                    print(f"子进程退出（{child.args[2:4]}，返回码 {child.returncode}），全部停止。", flush=True)
                    stop()
                    return 1
            time.sleep(0.5)
    finally:
        stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
