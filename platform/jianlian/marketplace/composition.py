"""How the platform wires the modules in from their manifests: permission codes, the GraphQL
schema (each module's fields gated per tenant), and periodic tasks run only where installed."""

from __future__ import annotations

import inspect

import logging
from functools import lru_cache

from django.utils.translation import gettext as _

from jianlian.marketplace import manifest as manifests

logger = logging.getLogger(__name__)


def register_manifests() -> None:
    """Wire every module in from its manifest (at start, from AppConfig.ready): its permission
    codes, error codes, bus handlers and hand-over handlers."""
    from django.utils.module_loading import import_string

    from jianlian.access.permissions import register
    from jianlian.bus import register_handler
    from jianlian.core import error_codes
    from jianlian.org import handover

    for m in manifests.registry().values():
        for p in m.permissions:
            register(p.code, p.label, p.patient_data)
        for code, description in m.error_codes.items():
            error_codes.register(code, description)
        for message_type, dotted in m.bus_handlers.items():
            register_handler(message_type)(import_string(dotted))
        for name, dotted in m.handover_handlers.items():
            handover.register(name, _where_installed(m.key, import_string(dotted)))


def _where_installed(key: str, handler):
    """Hand-over handlers run in every tenant in which the organisation changes; a module's
    handler only has tables to act on where the module is installed, so elsewhere it does
    nothing and reports 0 items moved."""
    from functools import wraps

    @wraps(handler)
    def run(from_user_id, to_user_id, **kwargs) -> int:
        from jianlian.marketplace.services import is_installed
        from tenants.context import current_tenant

        if not is_installed(current_tenant(), key):
            return 0
        return handler(from_user_id, to_user_id, **kwargs)

    return run


# --- GraphQL -------------------------------------------------------------------------------------

def module_roots(operation: str) -> list[type]:
    """The modules' root classes for `operation` ("Query", "Mutation" or "Subscription")."""
    return [r for m in manifests.registry().values() if (r := m.roots().get(operation)) is not None]


def _field_names(cls) -> list[str]:
    from graphene.utils.str_converters import to_camel_case

    return [to_camel_case(name) for name in cls._meta.fields]


def gate_module_fields(schema) -> dict[str, str]:
    """Wrap every root field a module contributes so that it answers APP_NOT_INSTALLED in a
    tenant (or on the province console) where that module is not installed. A field the
    manifest names in `console_fields` is also open on the province console (no tenant), where
    it checks its own permissions. Returns {"Query.field": key} for what was gated."""
    from graphene.utils.str_converters import to_camel_case

    gated = {}
    gs = schema.graphql_schema
    for m in manifests.registry().values():
        console = {to_camel_case(n) for n in m.console_fields}
        fields = {to_camel_case(n) for cls in m.roots().values() for n in cls._meta.fields}
        if console - fields:
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured(f"module manifest {m.key!r}: console_fields {sorted(console - fields)} are not its root fields")
        for operation, cls in m.roots().items():
            root = {"Query": gs.query_type, "Mutation": gs.mutation_type, "Subscription": gs.subscription_type}[operation]
            for name in _field_names(cls):
                field = root.fields[name]
                if operation == "Subscription":
                    field.subscribe = _gate_subscribe(field.subscribe, m.key, console=name in console)
                else:
                    field.resolve = _gate_resolve(field.resolve, m.key, console=name in console)
                gated[f"{operation}.{name}"] = m.key
    return gated


def _not_installed_error(key: str):
    from graphql import GraphQLError

    m = manifests.get(key)
    return GraphQLError(
        _("本单位尚未安装「%(app)s」应用，请联系管理员在应用市场中安装。") % {"app": m.name_zh if m else key},
        extensions={"code": "APP_NOT_INSTALLED", "app": key},
    )


def _installed(context, key: str) -> bool:
    from jianlian.marketplace.services import is_installed

    tenant = getattr(context, "tenant", None)
    cache = getattr(context, "_jl_installed", None)
    if cache is None:
        cache = {}
        try:
            context._jl_installed = cache
        except AttributeError:  # a context that takes no attributes: no cache
            pass
    if key not in cache:
        known = getattr(tenant, "installed_keys_known", None)  # read with the tenant at the request's start
        cache[key] = key in known if known is not None else is_installed(tenant, key)
    return cache[key]


def _on_console(context) -> bool:
    """The province console: a request that names no tenant."""
    return getattr(context, "tenant", None) is None


def _gate_resolve(resolve, key: str, console: bool = False):
    from graphql import default_field_resolver

    resolve = resolve or default_field_resolver

    def gated(root, info, **args):
        if console and _on_console(info.context):
            return resolve(root, info, **args)
        if not _installed(info.context, key):
            raise _not_installed_error(key)
        return resolve(root, info, **args)

    return gated


def _gate_subscribe(subscribe, key: str, console: bool = False):
    """The subscription's own event stream once the gate lets it through (so a `listen(...)` feed
    still reaches the consumer as a feed, served by the hub)."""
    from inspect import isawaitable

    from channels.db import database_sync_to_async

    async def gated(root, info, **args):
        # A coroutine, not a generator: a refusal here (or the module's own, when its resolver
        # is a coroutine too) reaches the client as an `error` before the stream starts.
        if not (console and _on_console(info.context)) and not await database_sync_to_async(_installed)(info.context, key):
            raise _not_installed_error(key)
        source = subscribe(root, info, **args)
        return await source if inspect.isawaitable(source) else source

    return gated


def app_view(key: str):
    """Decorator for a module's plain HTTP views: the caller must be signed in, and the app
    installed in the request's tenant (APP_NOT_INSTALLED, 404 otherwise)."""
    from functools import wraps

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            from jianlian.core.errors import error_response
            from jianlian.marketplace.services import is_installed

            if not request.user.is_authenticated:
                return error_response("UNAUTHENTICATED", _("请先登录。"), 401)
            if not is_installed(getattr(request, "tenant", None), key):
                error = _not_installed_error(key)
                return error_response("APP_NOT_INSTALLED", error.message, 404)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


# --- background tasks ----------------------------------------------------------------------------

@lru_cache(maxsize=256)
def module_of_task(task_name: str, task_module: str) -> str | None:
    """The module key a task belongs to (by its Python module), or None for platform tasks."""
    for m in manifests.registry().values():
        prefix = m.app_name + "."
        if task_module.startswith(prefix) or task_name.startswith(prefix):
            return m.key
    return None


def task_allowed(task, schema: str) -> bool:
    """A module's task runs only in tenants where the module is installed (and enabled)."""
    key = module_of_task(task.name, type(task).__module__)  # Celery gives a task class its function's module
    if key is None:
        return True
    from tenants.models import Tenant

    from jianlian.marketplace.services import is_installed

    tenant = Tenant.objects.filter(schema_name=schema).first()
    if is_installed(tenant, key):
        return True
    logger.info("task %s skipped in %s: app %s is not installed there", task.name, schema, key)
    return False


def dispatch_periodic_tasks() -> int:
    """Queue each due module periodic task in every tenant that has the module installed.
    Due-ness is a Redis key per task (SET NX with the task's period), so several beats or a
    restarted one never double the schedule. Returns how many tasks were queued."""
    from celery import current_app

    from jianlian.core.redis_client import client
    from jianlian.marketplace.models import InstallStatus, Installation

    queued = 0
    r = client()
    for m in manifests.registry().values():
        for spec in m.periodic_tasks:
            if not r.set(f"jianlian:periodic:{m.key}:{spec.name}", "1", nx=True, ex=max(1, int(spec.every_seconds))):
                continue
            task = current_app.tasks.get(spec.task)
            if task is None:
                logger.error("periodic task %s of %s is not registered", spec.task, m.key)
                continue
            schemas = Installation.objects.filter(app__key=m.key, status=InstallStatus.INSTALLED).values_list(
                "tenant__schema_name", flat=True)
            for schema in schemas:
                task.delay_in(schema)
                queued += 1
    return queued
