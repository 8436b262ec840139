"""Tenant-aware Celery tasks (`tenants.tasks.TenantTask`): the tenant travels with the message and
the body runs inside it; retries back off; an idempotency key runs a body once; progress reaches
the Channels layer. Real Redis (broker, idempotency marks, channel layer) and PostgreSQL.

Most tests run tasks eagerly with `task.apply()` / `task_always_eager`, which goes through the
same `__call__`, tracer and retry code a worker uses; one test starts a real worker thread and
sends through the broker.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection

from jianlian.audit import service as audit
from jianlian.celery_app import app
from jianlian.core.errors import DomainError
from tenants.context import bound_tenant, tenant_context
from tenants.tasks import SCHEMA_KWARG, TenantTask, progress_group
from tests.workers import celery_worker

RUNS: Counter = Counter()


@app.task(base=TenantTask, bind=True, name="tests.tenant_tasks.where")
def where(self, marker):
    from jianlian.audit.models import AuditRecord

    return {
        "schema": connection.schema_name,
        "tenant": bound_tenant().schema_name,
        "markers": AuditRecord.objects.filter(action="test.marker", object_id=marker).count(),
        "kwarg_seen": SCHEMA_KWARG in self.request.kwargs,
    }


@app.task(base=TenantTask, bind=True, name="tests.tenant_tasks.once")
def once(self, label):
    RUNS[(connection.schema_name, label)] += 1
    return RUNS[(connection.schema_name, label)]


@app.task(base=TenantTask, bind=True, name="tests.tenant_tasks.flaky")
def flaky(self, label, fail_times):
    RUNS[label] += 1
    if RUNS[label] <= fail_times:
        raise ConnectionError(f"temporary failure #{RUNS[label]}")
    return RUNS[label]


@app.task(base=TenantTask, bind=True, name="tests.tenant_tasks.refused")
def refused(self, label):
    RUNS[label] += 1
    raise DomainError("INVALID", "业务拒绝")


@app.task(base=TenantTask, bind=True, name="tests.tenant_tasks.long_job")
def long_job(self, steps):
    for i in range(1, steps + 1):
        self.report_progress(i, steps, f"已完成第 {i} 步")
    return steps


@app.task(base=TenantTask, bind=True, name="tests.tenant_tasks.mark")
def mark(self, marker):
    audit.record("test.worker_marker", object_type="marker", object_id=marker,
                 after={"schema": connection.schema_name})


@pytest.fixture
def province(db, shared_province):
    """The tests here write only inside their own transaction: they share one province."""
    return shared_province


@pytest.fixture
def eager():
    """Run `.delay()` / `.apply_async()` in-process, propagating exceptions."""
    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


def _markers(province):
    with tenant_context(province.tenant_a):
        audit.record("test.marker", object_type="marker", object_id="only-in-a")


# --- the tenant travels with the task ---------------------------------------------------------------


def test_the_body_runs_inside_the_tenant_named_in_the_message(province):
    _markers(province)
    a, b = province.tenant_a, province.tenant_b

    in_a = where.apply(args=["only-in-a"], kwargs={SCHEMA_KWARG: a.schema_name}).get()
    in_b = where.apply(args=["only-in-a"], kwargs={SCHEMA_KWARG: b.schema_name}).get()

    assert in_a == {"schema": a.schema_name, "tenant": a.schema_name, "markers": 1, "kwarg_seen": True}
    assert in_b == {"schema": b.schema_name, "tenant": b.schema_name, "markers": 0, "kwarg_seen": True}
    assert connection.schema_name == "public"  # the task left the connection where it found it


def test_delay_in_and_the_callers_tenant_fill_the_message(province, eager):
    _markers(province)
    a, b = province.tenant_a, province.tenant_b

    assert where.delay_in(a, "only-in-a").get()["schema"] == a.schema_name
    assert where.apply_async_in(b.schema_name, args=["only-in-a"]).get()["schema"] == b.schema_name
    with tenant_context(a):  # no tenant given: the caller's current tenant is carried
        assert where.delay("only-in-a").get()["markers"] == 1
    assert where.delay("only-in-a").get()["schema"] == "public"


def test_a_task_for_an_unknown_tenant_is_refused(db, eager):
    with pytest.raises(DomainError) as refused_:
        where.apply_async(args=["x"], kwargs={SCHEMA_KWARG: "t_no_such_tenant"}).get()
    assert refused_.value.code == "TENANT_NOT_FOUND"


# --- retries --------------------------------------------------------------------------------------


def test_retry_defaults_back_off_exponentially():
    assert TenantTask.autoretry_for == (Exception,)
    assert TenantTask.dont_autoretry_for == (DomainError,)
    assert TenantTask.retry_backoff and TenantTask.retry_jitter and TenantTask.max_retries == 5
    assert flaky.max_retries == 5 and hasattr(flaky, "_orig_run")  # Celery wrapped it for autoretry


def test_a_transient_failure_is_retried_and_a_business_refusal_is_not(province):
    a = province.tenant_a
    label = f"flaky-{uuid.uuid4().hex}"
    result = flaky.apply(args=[label, 2], kwargs={SCHEMA_KWARG: a.schema_name})
    assert result.get() == 3 and RUNS[label] == 3  # two failures, then success

    hopeless = f"hopeless-{uuid.uuid4().hex}"
    result = flaky.apply(args=[hopeless, 99], kwargs={SCHEMA_KWARG: a.schema_name})
    assert result.state == "FAILURE" and RUNS[hopeless] == 1 + flaky.max_retries

    refusal = f"refused-{uuid.uuid4().hex}"
    with pytest.raises(DomainError):
        refused.apply(args=[refusal], kwargs={SCHEMA_KWARG: a.schema_name}, throw=True)
    assert RUNS[refusal] == 1


# --- idempotency ------------------------------------------------------------------------------------


def test_an_idempotency_key_runs_the_body_once_per_tenant(province):
    a, b = province.tenant_a, province.tenant_b
    label, key = f"once-{uuid.uuid4().hex}", f"key-{uuid.uuid4().hex}"

    def run(tenant, k=key):
        return once.apply(args=[label], kwargs={SCHEMA_KWARG: tenant.schema_name, "idempotency_key": k}).get()

    assert run(a) == 1
    assert run(a) is None and run(a) is None  # duplicates: the body did not run
    assert RUNS[(a.schema_name, label)] == 1
    assert run(b) == 1  # the same key in another tenant is another job
    assert run(a, k=key + "-2") == 2  # another key is another job
    assert once.apply(args=[label], kwargs={SCHEMA_KWARG: a.schema_name}).get() == 3  # no key: no limit


def test_a_failed_attempt_does_not_use_up_the_idempotency_key(province):
    a = province.tenant_a
    label, key = f"flaky-once-{uuid.uuid4().hex}", f"key-{uuid.uuid4().hex}"
    kwargs = {SCHEMA_KWARG: a.schema_name, "idempotency_key": key}

    assert flaky.apply(args=[label, 1], kwargs=kwargs).get() == 2  # failed once, retried, done
    assert flaky.apply(args=[label, 1], kwargs=kwargs).get() is None
    assert RUNS[label] == 2


# --- progress ---------------------------------------------------------------------------------------


def test_progress_reports_reach_the_jobs_channel_group(province):
    from asgiref.sync import sync_to_async

    task_id = str(uuid.uuid4())
    schema = province.tenant_b.schema_name

    async def run_and_listen():
        # subscribe first (the pub/sub layer delivers only to present listeners), then run the job
        layer = get_channel_layer()
        channel = await layer.new_channel()
        await layer.group_add(progress_group(task_id, schema), channel)
        result = await sync_to_async(long_job.apply)(args=[3], kwargs={SCHEMA_KWARG: schema}, task_id=task_id)
        assert result.get() == 3
        return [await asyncio.wait_for(layer.receive(channel), timeout=5) for _ in range(3)]

    events = async_to_sync(run_and_listen)()
    assert [(e["name"], e["group"], e["payload"]) for e in events] == [
        ("job.progress", f"{schema}.job.{task_id}",
         {"taskId": task_id, "done": i, "total": 3, "message": f"已完成第 {i} 步"})
        for i in (1, 2, 3)
    ]
    assert long_job.report_progress(1, 1) is False  # outside a task run there is no job to report on


# --- through a real broker and worker ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_worker_runs_the_task_from_the_broker_inside_its_tenant(unique):
    from jianlian.audit.models import AuditRecord
    from tenants.provisioning import seed_province_roles
    from tests.factories import build_province

    seed_province_roles()
    p = build_province(unique(""))
    queue = f"test-{uuid.uuid4().hex}"  # a queue of our own: no other run's messages, no stealing
    marker = uuid.uuid4().hex

    with celery_worker(queue):
        mark.apply_async_in(p.tenant_b, args=[marker], queue=queue)
        deadline = time.monotonic() + 30
        found = None
        while time.monotonic() < deadline and not found:
            with tenant_context(p.tenant_b):
                found = AuditRecord.objects.filter(action="test.worker_marker", object_id=marker).first()
            time.sleep(0.2)

    assert found is not None, "the worker did not run the task within 30 s"
    assert found.after == {"schema": p.tenant_b.schema_name} and found.tenant == p.tenant_b.schema_name
    with tenant_context(p.tenant_a):
        assert not AuditRecord.objects.filter(action="test.worker_marker", object_id=marker).exists()
