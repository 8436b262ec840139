"""The tenant of the current context (request, WebSocket connection, Celery task).

`activate(tenant)` binds the tenant to the running context *and* sets it on the connection. The
database backend (`tenants.backend`) re-applies the binding whenever a connection is used by a
context other than the one that last set it, which is what makes concurrent ASGI requests and
Channels consumers safe with django-tenants' connection-level tenant.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(eq=False)
class Binding:
    tenant: object


_binding: contextvars.ContextVar[Binding | None] = contextvars.ContextVar("jianlian_tenant", default=None)


def current_binding() -> Binding | None:
    return _binding.get()


def bound_tenant():
    """The tenant bound to this context (what the backend re-activates), or None."""
    b = _binding.get()
    return b.tenant if b else None


def current_tenant():
    """The Tenant row the database connection is in, or None on the province console (public).
    The one way for code to ask which tenant it serves."""
    from django.db import connection

    tenant = getattr(connection, "tenant", None)
    return tenant if getattr(tenant, "pk", None) else None


def bind(tenant) -> contextvars.Token:
    """Bind `tenant` to this context without touching a connection (async code: the backend
    activates it inside each database call made from this context)."""
    return _binding.set(Binding(tenant))


def activate(tenant) -> contextvars.Token:
    """Make `tenant` (a Tenant, or anything with `schema_name`) current for this context."""
    from django.db import connection

    from jianlian.core import context as request_context

    token = _binding.set(Binding(tenant))
    connection.set_tenant(tenant)
    request_context.current().tenant = tenant.schema_name
    return token


def deactivate(token: contextvars.Token) -> None:
    from django.db import connection

    _binding.reset(token)
    b = _binding.get()
    if b is not None:
        connection.set_tenant(b.tenant)
    else:
        connection.set_schema_to_public()


@contextmanager
def tenant_context(tenant):
    token = activate(tenant)
    try:
        yield tenant
    finally:
        deactivate(token)


def public():
    from django_tenants.utils import get_public_schema_name
    from django_tenants.postgresql_backend.base import FakeTenant

    return FakeTenant(schema_name=get_public_schema_name())
