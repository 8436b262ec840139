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
    # Under pytest-xdist (`make test` runs two workers) each worker is a run of its own with its
    # own database (pid); their Redis databases are told apart by the worker's number, so two
    # workers of one run never share one (Redis has 16; 0 is the development server's).
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if worker.startswith("gw"):
        run_id = int(os.environ.get("PYTEST_XDIST_TESTRUNUID", "0")[:8] or "0", 16)
        index = 1 + (run_id % 5) * 3 + int(worker[2:]) % 3
    else:
        index = 1 + run % 15
    redis_url = _redis_db(settings.REDIS_URL, index)
    settings.REDIS_URL = redis_url
    settings.CACHES["default"]["LOCATION"] = redis_url
    settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"][0]["address"] = redis_url
    # Redis pub/sub channels are server-wide, not per database: without a prefix of its own, a
    # run would hear the live events of another run's tenants of the same name.
    settings.CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = f"test{run}"
    # Uploaded files of this run only: two runs have tenants of the same schema names.
    import tempfile

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix=f"jl-media-{run}-")


def _benchmarks_only(items) -> bool:
    """`make bench`: every benchmark module builds its own province and expects none before it."""
    return bool(items) and all(item.nodeid.startswith("tests/bench/") for item in items)


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_blocker):
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
        if _benchmarks_only(request.session.items):
            return
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
            pid = name.removeprefix("test_jianlian_").split("_")[0]  # test_jianlian_<pid>[_gw<n>]
            if pid.isdigit() and int(pid) != os.getpid() and not os.path.exists(f"/proc/{pid}"):
                try:
                    cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
                except Exception:  # a dead run's connection may still be closing; next time
                    pass


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request with `Accept-Language: en` through
    Django's test client activates English in the test's own thread and leaves it there, and the
    next test in that process (whichever xdist hands it) then read English messages."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


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


class _ModuleTransaction:
    """A transaction held open for a module's tests and rolled back at its end; each test's own
    `db` transaction nests inside as a savepoint (as Django's setUpTestData does)."""

    open: list[_ModuleTransaction] = []

    def __init__(self):
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.open.append(self)

    def close(self):
        if self in self.open:
            self.open.remove(self)
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _transactional_tests_run_outside_module_transactions(request, django_db_blocker):
    """pytest-django runs a module's transactional tests after its other tests, but in the same
    module, so a module's transaction would still be open: it is rolled back first."""
    marker = request.node.get_closest_marker("django_db")
    if _ModuleTransaction.open and ("transactional_db" in request.fixturenames or "live_asgi" in request.fixturenames
                                    or (marker and marker.kwargs.get("transaction"))):
        with django_db_blocker.unblock():
            for held in reversed(_ModuleTransaction.open):
                held.close()


def _built_for_the_module(django_db_blocker, build):
    with django_db_blocker.unblock():
        held = _ModuleTransaction()
        try:
            yield held, build()
        finally:
            held.close()


def _fresh(world):
    """A copy of a world with its province and people read again (see Province.fresh)."""
    from django.db.models import Model

    copy = object.__new__(type(world))
    p = world.p.fresh()
    known = {(type(o), o.pk): o for o in (*p.users.values(), p.tenant_a, p.tenant_b, p.tenant_h)}
    for name, value in vars(world).items():
        if name == "p":
            value = p
        elif isinstance(value, Model):
            key = (type(value), value.pk)
            if key not in known:
                known[key] = type(value)._default_manager.get(pk=value.pk)
            value = known[key]
        setattr(copy, name, value)
    return copy


@pytest.fixture
def referral_world(transactional_db):
    """Referrals between 桐庐 and 浙江省人民医院 (tests/worlds.py), committed for real: the relay
    picks up messages that are due by the database's clock, and inside one test transaction that
    clock stands still at the transaction's start."""
    from tests.worlds import ReferralWorld

    return ReferralWorld()


@pytest.fixture(scope="module")
def _module_supervision_world(django_db_setup, django_db_blocker):
    from tests.worlds import SupervisionWorld

    yield from _built_for_the_module(django_db_blocker, SupervisionWorld)


@pytest.fixture(scope="module")
def _module_approvals_world(django_db_setup, django_db_blocker):
    """The approvals hospital (tests/approvals_world.py), built once per module like the
    supervision world."""
    from tenants.context import tenant_context
    from tests.approvals_world import build

    def make():
        p = build_province()
        with tenant_context(p.tenant_a):
            return build(p)

    yield from _built_for_the_module(django_db_blocker, make)


@pytest.fixture
def supervision_world(db, _module_supervision_world):
    """Supervision online installed in 桐庐 (tests/worlds.py), built once per module; each test
    changes it only inside its own transaction and gets its people read afresh."""
    held, world = _module_supervision_world
    assert held in held.open, "the module's transaction was closed for a transactional test"
    return _fresh(world)


_seq = itertools.count()


@pytest.fixture
def unique():
    """A short unique suffix for slugs and names."""
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
    from jianlian.asgi_server import uvicorn_options

    # A channel layer binds its receive loop to the first event loop that uses it; each server
    # here runs its own loop, so start it with fresh layer instances.
    channel_layers.backends.clear()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(application, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off", ws="websockets-sansio", **uvicorn_options()))
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
        from jianlian.asgi import http

        http.close()  # the pooled HTTP threads' database connections
        channel_layers.backends.clear()
        from django.db import connections

        connections.close_all()
