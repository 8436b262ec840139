"""django-tenants' PostgreSQL backend, made safe for async code.

Under ASGI the tenant lives on the connection, and the connection is not what async code shares:
a request's sync parts may run on a connection last used by another request's context. So the
tenant is also bound to the *context* (`tenants.context`), and every cursor checks, before any
SQL runs, that the connection's search path belongs to the context that is asking. When a
different context (another request, another WebSocket, another task) reuses the connection, its
own tenant is activated first. Explicit `schema_context(...)` switches inside one context are
left alone, because they do not change the context's binding.
"""

from django_tenants.postgresql_backend import base as tenants_base

from tenants import context


class DatabaseWrapper(tenants_base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        self._bound_to = None
        super().__init__(*args, **kwargs)

    def _cursor(self, name=None):
        binding = context.current_binding()
        if binding is not None and binding is not self._bound_to:
            self._bound_to = binding
            self.set_tenant(binding.tenant)
        return super()._cursor(name)
