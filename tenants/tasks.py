"""Tenant-aware Celery tasks: a task carries its tenant and its body runs inside it.

    from jianlian.celery_app import app
    from tenants.tasks import TenantTask

    @app.task(base=TenantTask, bind=True)
    def recount_referrals(self, unit_id):
        ...                                   # runs inside the tenant's schema
        self.report_progress(3, 10, "已处理 3 个科室")

    recount_referrals.delay_in(tenant, unit_id)                  # explicit tenant
    recount_referrals.delay(unit_id)                             # the caller's current tenant
    recount_referrals.apply_async(kwargs={"unit_id": 1, "_schema_name": "t_tonglu"})
    recount_referrals.delay_in(tenant, unit_id, idempotency_key="recount-2026-11-23")

What travels in the message: the tenant's schema name in the reserved keyword argument
`_schema_name` (a kwarg, not a header, because kwargs survive every path a message takes — eager
`apply()`, retries re-sent by `self.retry()`, chains and canvas — unchanged). `apply_async` fills it
from the caller's tenant (`tenants.context`) when it is missing, so a task started inside a request
runs in that request's tenant. A message without a tenant runs in the public schema.

The worker pops the reserved kwargs (`_schema_name`, `idempotency_key`) before the body sees them,
looks the tenant up, and runs the body inside `tenants.context.tenant_context`, with a fresh
request context (request id = task id) for logs and audit.

Retries: by default any exception except a `DomainError` (a business refusal, which a retry cannot
change) is retried with exponential back-off and jitter (2 s, 4 s, 8 s … capped at 10 min), at
most 5 times. A task overrides any of these as usual (`@app.task(base=TenantTask, max_retries=0)`).

Idempotency: a message given `idempotency_key` runs its body at most once to completion per (task,
tenant, key). The marks live in Redis (SET NX with a TTL), not in a table. Why: the mark must be
claimed before the body starts and work for tasks that write no table at all (an SMS, a webhook)
in any schema without a migration; Redis's SET NX EX is one atomic round trip and expires by
itself; and a task only runs while the broker — this same Redis — is up. The limit of the choice:
the "done" mark is written after the body returns, so a worker killed between the body's commit
and the mark would run the body again on redelivery. Database effects that must be exactly-once
are therefore also made idempotent where they are written (unique keys, or the bus inbox, which
records a message id in the same transaction as its effects).

Claim protocol: `SET key running:<task id> NX EX <lock ttl>`; a key already `done:…` skips the
body (the call returns None); `running:<this task id>` is this very message redelivered after a
worker died, which takes over; `running:<another id>` is a concurrent duplicate, which retries
later. A body that raises releases the claim (compare-and-delete), so its retry may run.

Progress: `self.report_progress(done, total, message)` publishes
`{"type": "job.progress", "task_id", "tenant", "done", "total", "message"}` to the Channels group
`job.<task id>`; a GraphQL subscription relays it to the browser. Progress is best effort: a
failure to publish is logged, never raised into the job.
"""

from __future__ import annotations

import logging
import uuid

import celery
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.db import DatabaseError
from django.utils.translation import gettext_lazy as _

from jianlian.core import context as request_context
from jianlian.core.errors import DomainError
from tenants import context

logger = logging.getLogger(__name__)

SCHEMA_KWARG = "_schema_name"
IDEMPOTENCY_KWARG = "idempotency_key"
RESERVED_KWARGS = frozenset({SCHEMA_KWARG, IDEMPOTENCY_KWARG})

# Defaults for how long marks live; settings may override them.
DEFAULT_IDEMPOTENCY_TTL = 7 * 24 * 3600
DEFAULT_IDEMPOTENCY_LOCK_TTL = 3600

# Compare-and-delete: release a claim only when it is still ours.
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"


def progress_group(task_id: str, schema: str) -> str:
    """The Channels group a job's progress events are published to (inside its tenant)."""
    from jianlian.realtime.schema import job_group

    return job_group(task_id, schema)


def schema_of(tenant) -> str:
    """The schema name for a Tenant, anything with `schema_name`, or a schema name itself."""
    return tenant if isinstance(tenant, str) else tenant.schema_name


def _tenant_for(schema: str):
    """The tenant to run in: the public schema's stand-in, or the Tenant row with that schema."""
    from django_tenants.utils import get_public_schema_name

    from tenants.models import Tenant

    if schema == get_public_schema_name():
        return context.public()
    tenant = Tenant.objects.filter(schema_name=schema).first()
    if tenant is None:
        raise DomainError("TENANT_NOT_FOUND", _("任务所属的租户不存在：%(schema)s。") % {"schema": schema})
    return tenant


class TenantTask(celery.Task):
    """Base class for tasks that touch tenant data (`@app.task(base=TenantTask, bind=True)`)."""

    # Retry policy (Celery's autoretry reads these class attributes).
    autoretry_for = (Exception,)
    dont_autoretry_for = (DomainError,)
    retry_backoff = 2
    retry_backoff_max = 600
    retry_jitter = True
    max_retries = 5
    # Celery checks call arguments against the body's signature when a message is sent; the
    # reserved kwargs are not in it, so `apply_async` below does that check without them.
    typing = False

    # --- sending ------------------------------------------------------------------------------

    def delay_in(self, tenant, *args, **kwargs):
        """Queue the task to run inside `tenant` (a Tenant, a schema name, or `context.public()`).

        Who: any code, in or out of a tenant. Emits one Celery message carrying `_schema_name`.
        """
        return self.apply_async_in(tenant, args, kwargs)

    def apply_async_in(self, tenant, args=None, kwargs=None, **options):
        """`apply_async` for an explicit tenant; `options` are Celery's (countdown, queue …)."""
        kwargs = dict(kwargs or {})
        kwargs[SCHEMA_KWARG] = schema_of(tenant)
        return self.apply_async(args, kwargs, **options)

    def apply_async(self, args=None, kwargs=None, **options):
        """Celery's `apply_async`, with the caller's current tenant added when none is given."""
        kwargs = dict(kwargs or {})
        check = getattr(self, "__header__", None)
        if check is not None:
            check(*(args or ()), **{k: v for k, v in kwargs.items() if k not in RESERVED_KWARGS})
        if not kwargs.get(SCHEMA_KWARG):
            kwargs[SCHEMA_KWARG] = _current_schema()
        return super().apply_async(args, kwargs, **options)

    # --- running ------------------------------------------------------------------------------

    def __call__(self, *args, **kwargs):
        schema = kwargs.pop(SCHEMA_KWARG, None) or _current_schema()
        key = kwargs.pop(IDEMPOTENCY_KWARG, None)
        token = request_context.bind(request_context.RequestContext(request_id=str(self.request.id or uuid.uuid4().hex)))
        try:
            try:
                tenant = _tenant_for(schema)
            except DatabaseError as exc:  # the database is down: the same back-off as the body's errors
                raise self._retry_later(exc)
            with context.tenant_context(tenant):
                if not _app_enabled(self, schema):
                    return None  # a marketplace module's task, in a tenant that has not installed it
                if key is None:
                    return self._run_body(args, kwargs)
                return self._run_once(schema, str(key), args, kwargs)
        finally:
            request_context.reset(token)

    def _run_body(self, args, kwargs):
        request = self.request_stack.top
        if request is not None and not request.called_directly:
            # Under the worker's tracer or `apply()` the request is already on the stack; Celery's
            # own __call__ would push a second, id-less one and hide `self.request.id`.
            return self.run(*args, **kwargs)
        return super().__call__(*args, **kwargs)

    def _run_once(self, schema: str, key: str, args, kwargs):
        import redis

        from jianlian.core.redis_client import client

        mark = f"jianlian:task-once:{self.name}:{schema}:{key}"
        mine = f"running:{self.request.id}"
        try:
            claimed = self._claim(client(), mark, mine)
        except redis.RedisError as exc:
            raise self._retry_later(exc)
        if not claimed:
            return None
        try:
            result = self._run_body(args, kwargs)
        except BaseException:
            try:
                client().eval(_RELEASE, 1, mark, mine)
            except redis.RedisError:
                logger.warning("could not release idempotency claim %s; it expires by itself", mark)
            raise
        ttl = getattr(settings, "TASK_IDEMPOTENCY_TTL", DEFAULT_IDEMPOTENCY_TTL)
        try:
            client().set(mark, f"done:{self.request.id}", ex=ttl)
        except redis.RedisError:
            # The body ran; the claim expires after the lock TTL and a duplicate could run again.
            logger.warning("could not mark idempotency key %s done", mark)
        return result

    def _claim(self, r, mark: str, mine: str) -> bool:
        """True when this message may run the body; False when the key is done (skip)."""
        lock_ttl = getattr(settings, "TASK_IDEMPOTENCY_LOCK_TTL", DEFAULT_IDEMPOTENCY_LOCK_TTL)
        if self.time_limit:
            lock_ttl = max(lock_ttl, int(self.time_limit) + 60)
        if r.set(mark, mine, nx=True, ex=lock_ttl):
            return True
        held = (r.get(mark) or b"").decode()
        if held.startswith("done:"):
            logger.info("task %s skipped: idempotency key %s already done by %s", self.name, mark, held[5:])
            return False
        if held == mine:
            return True  # this message, redelivered after its worker died
        if not held:  # released or expired between our SET and GET: try once more
            return bool(r.set(mark, mine, nx=True, ex=lock_ttl)) or self._claim(r, mark, mine)
        raise self._retry_later(None, reason="idempotency key is held by a running duplicate")

    def _retry_later(self, exc, reason: str = ""):
        """The Retry to raise for failures outside the body (database or Redis down, a running
        duplicate), with the same back-off as autoretry. When retries are exhausted Celery raises
        `exc` (or MaxRetriesExceededError) instead."""
        countdown = get_exponential_backoff_interval(
            factor=int(max(1.0, self.retry_backoff)), retries=self.request.retries,
            maximum=self.retry_backoff_max, full_jitter=self.retry_jitter,
        )
        if reason:
            logger.info("task %s retried in %ss: %s", self.name, countdown, reason)
        return self.retry(exc=exc, countdown=countdown, throw=False)

    # --- progress -----------------------------------------------------------------------------

    def report_progress(self, done: int, total: int | None, message="") -> bool:
        """Publish a progress event for this job to its group `<schema>.job.<task id>`, which the
        `jobProgress(taskId)` subscription relays to the browser.

        Who: the running task's body. Emits a `job.progress` event with `{taskId, done, total,
        message}`. Returns False (and logs) when there is no task id (a direct call) or the channel
        layer is unreachable; never raises into the job.
        """
        task_id = self.request.id
        if not task_id:
            return False
        from jianlian.realtime.events import send_now
        from jianlian.realtime.schema import JOB_PROGRESS, job_group

        schema = _current_schema()
        payload = {"taskId": str(task_id), "done": int(done), "total": None if total is None else int(total),
                   "message": str(message)}
        return send_now(JOB_PROGRESS, payload, groups=[job_group(str(task_id), schema)])


def _app_enabled(task, schema: str) -> bool:
    from jianlian.marketplace.composition import task_allowed

    return task_allowed(task, schema)


def _current_schema() -> str:
    binding = context.current_binding()
    if binding is not None:
        return binding.tenant.schema_name
    from django.db import connection

    return getattr(connection, "schema_name", None) or "public"
