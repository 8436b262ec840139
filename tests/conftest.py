"""Test setup: the real embedded PostgreSQL and Redis (never SQLite or fakes).

pytest-django creates the test database with `migrate` (django-tenants' migrate_schemas); the
fixture below then migrates the tenant template and seeds the province-wide roles, as
`migrate_all` does on a real deployment, and builds the test province once for the session
(tests/factories.py): tests on `db` change it only inside their own rolled-back transaction, and
transactional tests end by putting the database back as it was (tests/dbstate.py).
"""

from __future__ import annotations

import itertools
import os
import uuid

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import TransactionTestCase

from tests import dbstate, factories
from tests.factories import Province, build_province


def _redis_db(url: str, index: int) -> str:
    from urllib.parse import urlparse, urlunparse

    if url.startswith("unix://"):
        return f"{url.split('?')[0]}?db={index}"
    return urlunparse(urlparse(url)._replace(path=f"/{index}"))


def pytest_configure(config):
    """Each test run gets its own test database and Redis database, so that two runs on one
    machine (a developer's and CI's, or parallel sessions) never disturb each other."""
    from django.conf import settings

    run = os.getpid()
    settings.PASSWORD_HASHERS = ["tests.hashers.QuickArgon2PasswordHasher"]
    settings.DATABASES["default"]["TEST"]["NAME"] = f"test_jianlian_{run}"
    redis_url = _redis_db(settings.REDIS_URL, 1 + run % 15)
    settings.REDIS_URL = redis_url
    settings.CACHES["default"]["LOCATION"] = redis_url
    settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"][0]["address"] = redis_url


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from tenants.provisioning import ensure_template, seed_province_roles

    with django_db_blocker.unblock():
        _drop_abandoned_test_databases()
        with connection.cursor() as cursor:
            # Transactional tests flush tables with TRUNCATE, which the audit trigger refuses
            # outside a maintenance-marked database (see audit/migrations/0002).
            cursor.execute(f"ALTER DATABASE {connection.settings_dict['NAME']} SET jianlian.audit_maintenance = 'on'")
        connection.close()
        ensure_template()
        seed_province_roles()
        from jianlian.marketplace.services import sync_catalog

        sync_catalog()
        dbstate.BASE = dbstate.take(["public"])  # what the demo seed's tests start from
        with transaction.atomic():
            factories.SESSION = factories.create_province()
        p = factories.SESSION
        dbstate.SESSION = dbstate.take(["public", *(t.schema_name for t in (p.tenant_a, p.tenant_b, p.tenant_h))])
    TransactionTestCase._fixture_teardown = _put_the_snapshot_back


def _put_the_snapshot_back(self):
    """Ends a transactional test instead of Django's flush (see tests/dbstate.py)."""
    dbstate.restore(dbstate.SESSION)


def _drop_abandoned_test_databases():
    """Test databases of runs that were killed before they could drop them."""
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE 'test_jianlian_%%'")
        for (name,) in cursor.fetchall():
            pid = name.rsplit("_", 1)[-1]
            if pid.isdigit() and int(pid) != os.getpid() and not os.path.exists(f"/proc/{pid}"):
                try:
                    cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
                except Exception:  # a dead run's connection may still be closing; next time
                    pass


@pytest.fixture(autouse=True)
def _clean_redis():
    """Lockout counters and cached values live in Redis; each test starts without them."""
    cache.clear()
    yield


@pytest.fixture
def province(db) -> Province:
    """The session's province, read afresh; whatever the test writes is rolled back."""
    return build_province()


@pytest.fixture
def shared_province(province) -> Province:
    """The same as `province` (once a module-wide province; now every test shares the session's)."""
    return province


_seq = itertools.count()


@pytest.fixture
def unique():
    """A short unique suffix for slugs and names (schemas outlive transactional tests)."""
    return lambda prefix="t": f"{prefix}{uuid.uuid4().hex[:8]}{next(_seq)}"


@pytest.fixture
def live_asgi(transactional_db):
    """The real ASGI application (HTTP and WebSocket) served by uvicorn on a loopback port, in a
    thread of this process so that it uses the test database. Yields "127.0.0.1:<port>"."""
    import socket
    import threading
    import time

    import uvicorn

    from channels.layers import channel_layers

    from jianlian.asgi import application

    # A channel layer binds its receive loop to the first event loop that uses it; each server
    # here runs its own loop, so start it with fresh layer instances.
    channel_layers.backends.clear()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(application, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off", ws="websockets-sansio"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        channel_layers.backends.clear()
        from django.db import connections

        connections.close_all()
