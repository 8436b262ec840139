"""django-tenants' PostgreSQL backend, made safe for async code.

Under ASGI the tenant lives on the connection, and the connection is not what async code shares:
a request's sync parts may run on a connection last used by another request's context. So the
tenant is also bound to the *context* (`tenants.context`), and every cursor checks, before any
SQL runs, that the connection's search path belongs to the context that is asking. When a
different context (another request, another WebSocket, another task) reuses the connection, its
own tenant is activated first. Explicit `schema_context(...)` switches inside one context are
left alone, because they do not change the context's binding.

Behind PgBouncer in transaction mode (`TRANSACTION_POOLING`, set by DATABASE_POOL_MODE=transaction)
the session-level `SET search_path` django-tenants issues once per connection is not enough: the
next statement may run on a server connection another client left on another tenant's schema
(django-tenants #545, #1112). There every statement is sent together with `SET LOCAL search_path`
in one query, which PostgreSQL runs as one transaction (an implicit one in autocommit), so the
pooler keeps both on one server connection and the setting ends with the transaction.
"""

import re
import time

from django_tenants.postgresql_backend import base as tenants_base
from django_tenants.utils import get_limit_set_calls

from tenants import context


# A connection kept between requests (jianlian.core.http_queue) that answered a statement this
# recently is reused without a `SELECT 1` first (PgBouncer's server_check_delay does the same): if
# the server went away meanwhile, that one request fails and Django closes the connection after it.
HEALTH_CHECK_AFTER_IDLE = 10  # seconds


class DatabaseWrapper(tenants_base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        self._bound_to = None
        self._used_at = None
        self._path_on_connection = None
        self._any_path = False
        self.rolled_back_savepoints = set()  # of the open transaction (jianlian.audit's held-back records)
        super().__init__(*args, **kwargs)

    def savepoint_rollback(self, sid):
        self.rolled_back_savepoints.add(sid)
        try:
            super().savepoint_rollback(sid)
        finally:
            self._path_on_connection = None  # after: its own statement may not SET one either

    def clean_savepoints(self):
        self.rolled_back_savepoints = set()
        super().clean_savepoints()

    def set_tenant(self, tenant, include_public=True):
        super().set_tenant(tenant, include_public)
        on = self._path_on_connection
        if on is not None and on == self._get_cursor_search_paths() and not self.settings_dict.get("TRANSACTION_POOLING"):
            self.search_path_set_schemas = on  # the connection is on this path already: no new SET

    def _handle_search_path(self, cursor=None):
        if self._any_path:
            return
        if self.search_path_set_schemas and get_limit_set_calls():
            return  # nothing to SET (django-tenants returns here too)
        super()._handle_search_path(cursor)
        self._path_on_connection = self.search_path_set_schemas  # what was SET, or None if it failed

    def cursor_on_any_path(self):
        """A cursor for statements whose tables are all named with their schema: they run on
        whatever search path the connection is on, so none is SET for them."""
        self._any_path = True
        try:
            return self.cursor()
        finally:
            self._any_path = False

    # What the connection's search path is, when known for sure: what was last SET on it, until a
    # rollback (which undoes a SET made in its transaction) or a new connection.
    def rollback(self):
        try:
            super().rollback()
        finally:
            self._path_on_connection = None

    def close(self):
        self._path_on_connection = None
        super().close()

    def close_if_health_check_failed(self):
        if (self.connection is not None and self._used_at is not None and not self.errors_occurred
                and time.monotonic() - self._used_at < HEALTH_CHECK_AFTER_IDLE):
            self.health_check_done = True
        super().close_if_health_check_failed()

    def create_cursor(self, name=None):
        cursor = super().create_cursor(name)
        if name is None and self.settings_dict.get("TRANSACTION_POOLING"):
            return _SearchPathPerStatement(cursor, self)
        return cursor

    def _cursor(self, name=None):
        binding = context.current_binding()
        if binding is not None and binding is not self._bound_to:
            self._bound_to = binding
            self.set_tenant(binding.tenant)
        cursor = super()._cursor(name)
        self._used_at = time.monotonic()
        return cursor


# Statements PostgreSQL refuses inside a transaction block (the prefix makes one); none of them
# reads tables by unqualified name, so they go as they are.
_OUTSIDE_TRANSACTIONS = re.compile(r"^\s*(?:(?:CREATE|DROP|ALTER)\s+DATABASE|VACUUM|(?:CREATE|DROP|REINDEX)\b[^;]*\bCONCURRENTLY\b)",
                                   re.IGNORECASE)


class _SearchPathPerStatement:
    """A driver cursor whose every statement first sets the tenant's search path for its own
    transaction only."""

    def __init__(self, cursor, wrapper):
        self._cursor = cursor
        self._wrapper = wrapper

    def _prefix(self) -> str:
        from django_tenants.utils import quote_schema_name

        schemas = self._wrapper._get_cursor_search_paths()
        return f"SET LOCAL search_path = {','.join(quote_schema_name(s) for s in schemas)}; "

    def execute(self, sql, params=None):
        if _OUTSIDE_TRANSACTIONS.match(sql):
            return self._cursor.execute(sql, params)
        return self._cursor.execute(self._prefix() + sql, params)

    def executemany(self, sql, param_list):
        return self._cursor.executemany(self._prefix() + sql, param_list)

    def __iter__(self):
        return iter(self._cursor)

    def __getattr__(self, attr):
        return getattr(self._cursor, attr)
