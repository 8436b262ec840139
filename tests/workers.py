"""A real Celery worker for tests, in a thread, on a queue of the test's own."""

from __future__ import annotations

import logging
from contextlib import contextmanager


@contextmanager
def celery_worker(queue: str):
    """Run a solo-pool worker consuming only `queue` (so that no other test run's messages are
    taken, and none of ours are taken by another run's worker). Celery's worker setup takes over
    the root logger; it is put back afterwards."""
    from celery.contrib.testing.worker import start_worker

    from jianlian.celery_app import app

    loggers = [logging.getLogger(name) for name in ("", "celery", "celery.task", "celery.redirected")]
    saved = [(lg, lg.handlers[:], lg.level, lg.propagate) for lg in loggers]
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue], loglevel="WARNING",
                          shutdown_timeout=30) as worker:
            yield worker
    finally:
        for lg, handlers, level, propagate in saved:
            lg.handlers[:] = handlers
            lg.setLevel(level)
            lg.propagate = propagate
