"""`make test-external`: run the tenancy, marketplace, bus and referral suites against any
PostgreSQL named by DATABASE_URL (a Citus coordinator with schema-based sharding, a server behind
PgBouncer …) instead of the embedded one.

Loaded as a plugin (`-p tests.external_db`). The suites then use the database named by
JIANLIAN_TEST_DATABASE (it must start with `test_`: transactional tests empty its tables) on the
server of DATABASE_URL, and keep it between runs (`--reuse-db`): on Citus it must be prepared
once, on every node, with the extension and the workers registered (infra/README.md), which a
test run cannot do by itself. Without Citus it is created when missing.
"""

from __future__ import annotations

import os

import pytest


@pytest.hookimpl(trylast=True)  # after tests/conftest.py, which names a database per run
def pytest_configure(config):
    from django.conf import settings

    name = os.environ.get("JIANLIAN_TEST_DATABASE", "")
    if not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")):
        raise pytest.UsageError("make test-external 需要 DATABASE_URL 与 REDIS_URL (set DATABASE_URL and REDIS_URL)")
    if not name.startswith("test_"):
        raise pytest.UsageError("JIANLIAN_TEST_DATABASE 必须以 test_ 开头 (name a database starting with test_)")
    settings.DATABASES["default"]["TEST"]["NAME"] = name
    config.option.reuse_db = True
