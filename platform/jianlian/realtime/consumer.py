"""GraphQL subscriptions over WebSocket (`graphql-transport-ws`), on graphql-server's Channels
consumer, with what it lacks for us:

- authentication in `connection_init` (`{"authorization": "Bearer …"}`) or by the browser
  session; an unauthenticated connection is closed with 4401, a caller who may not enter the
  tenant with 4403;
- only subscription operations, parsed and validated with the same rules and limits as HTTP;
  anything else is answered with an `error` message for that operation id;
- the tenant (resolved into the scope by `tenants.asgi.TenantScopeMiddleware`) bound to the
  connection's context, so every database call the consumer makes runs in that tenant;
- subscriptions that return a `listen(...)` feed are served by the process's fan-out hub
  (`hub.py`): each event is received, checked and executed once for every socket that may see it
  alike, and each socket is sent the same encoded payload;
- a connection that authenticates by the browser's session cookie must come from one of our own
  origins (`Origin` checked; 4403 otherwise), so another site cannot ride the cookie;
- the socket is registered with the hub by its token (or session), user and tenant, and closed
  after commit when any of them loses access (`events.close_sockets`: 4401 after sign-out, 4403
  when the tenant is suspended, the person leaves or the account is disabled);
- limits, with close codes: a message over WS_MAX_MESSAGE_BYTES closes with 1009 (message too
  big; the ASGI server enforces the same cap per frame, see jianlian.asgi_server), and a
  subscription beyond WS_MAX_SUBSCRIPTIONS on one socket with 4429 (too many requests).
"""

from __future__ import annotations

import asyncio
import datetime
import json
from contextlib import suppress
from dataclasses import dataclass, field
from inspect import isawaitable

from channels.db import database_sync_to_async
from django.utils.translation import gettext as _
from graphql import ExecutionResult, GraphQLError, OperationType, execute, get_operation_ast
from graphql.execution import create_source_event_stream
from graphql_server.channels import GraphQLWSConsumer
from graphql_server.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from graphql_server.subscriptions.protocols.graphql_transport_ws.handlers import BaseGraphQLTransportWSHandler

from jianlian.api import persisted
from jianlian.api.limits import check_limits
from jianlian.api.views import parse_and_validate
from jianlian.realtime.hub import Selection, SlowSubscriber
from tenants import context as tenant_context


@dataclass
class SubscriptionContext:
    """What resolvers see as `info.context` on the socket (mirrors the HTTP request's names).
    An event's selection set is executed once for many sockets, with `ws` and `user` None."""

    ws: "GraphQLConsumer"
    user: object = None
    tenant: object = None
    connection_params: dict = field(default_factory=dict)


class _Refused(Exception):
    def __init__(self, code: int, reason: str):
        self.code, self.reason = code, reason


class TransportHandler(BaseGraphQLTransportWSHandler):
    async def handle_connection_init(self, message) -> None:
        if self.connection_init_timeout_task:
            self.connection_init_timeout_task.cancel()
        payload = message.get("payload") or {}
        if not isinstance(payload, dict):
            await self.websocket.close(code=4400, reason="Invalid connection init payload")
            return
        if self.connection_init_received:
            await self.websocket.close(code=4429, reason="Too many initialisation requests")
            return
        self.connection_init_received = True
        try:
            await self.view.authenticate(self.context, payload)
        except _Refused as e:
            await self.websocket.close(code=e.code, reason=e.reason)
            return
        await self.send_message({"type": "connection_ack"})
        self.connection_acknowledged = True

    async def handle_subscribe(self, message) -> None:
        from django.conf import settings

        if not self.connection_acknowledged:
            await self.websocket.close(code=4401, reason="Unauthorized")
            return
        if len(self.operations) >= settings.WS_MAX_SUBSCRIPTIONS and message.get("id") not in self.operations:
            await self.websocket.close(code=4429, reason=f"Too many subscriptions (at most {settings.WS_MAX_SUBSCRIPTIONS})")
            return
        payload = message.get("payload") or {}
        try:
            query = persisted.resolve(payload)
            if not query:
                raise GraphQLError(_("请求中没有 GraphQL 查询。"), extensions={"code": "GRAPHQL_PARSE_FAILED"})
            document, errors = parse_and_validate(self.schema, query)
            if errors:
                raise errors[0]
            op = get_operation_ast(document, payload.get("operationName"))
            if op is None or op.operation != OperationType.SUBSCRIPTION:
                raise GraphQLError(_("WebSocket 上只能进行订阅；查询与变更请用 HTTP。"), extensions={"code": "GRAPHQL_VALIDATION_FAILED"})
            _cost, limit_errors = check_limits(self.schema, document, payload.get("variables"), payload.get("operationName"))
            if limit_errors:
                raise limit_errors[0]
        except GraphQLError as e:
            from jianlian.api.views import JianlianGraphQLView

            if message.get("id") in self.operations:
                await self.websocket.close(code=4409, reason=f"Subscriber for {message['id']} already exists")
                return
            await self.send_message({"id": message.get("id"), "type": "error", "payload": [JianlianGraphQLView.format_error(e)]})
            return
        await super().handle_subscribe({**message, "payload": {**payload, "query": query}})

    async def run_operation(self, operation) -> None:
        """Start the subscription (its resolver authorises and names the groups) and serve it: a
        `listen(...)` feed through the process's hub, which executes the document once per event
        for every socket that sent the same one; any other stream event by event, for this socket."""
        from jianlian.api.views import JianlianGraphQLView
        from jianlian.realtime.subscriptions import Feed

        try:
            document, _errors = parse_and_validate(self.schema, operation.query)  # cached: validated in handle_subscribe
            source = await create_source_event_stream(self.schema, document, self.root_value, self.context,
                                                      operation.variables, operation.operation_name)
            if isinstance(source, ExecutionResult):
                await operation.send_operation_message(
                    {"id": operation.id, "type": "error", "payload": [JianlianGraphQLView.format_error(e) for e in source.errors]})
                return
            try:
                if isinstance(source, Feed):
                    selection = Selection.of(self.schema, operation.query, document, operation.operation_name,
                                             operation.variables, self.context.tenant)
                    await source.serve(selection, _frame_sender(self, operation))
                else:
                    async for event in source:
                        result = execute(self.schema, document, root_value=event, context_value=self.context,
                                         variable_values=operation.variables, operation_name=operation.operation_name)
                        await operation.send_next(await result if isawaitable(result) else result)
            except SlowSubscriber:  # reconnecting is how a client catches up (1013: try again later)
                await self.websocket.close(code=1013, reason="Subscriber too slow")
                return
            await operation.send_operation_message({"id": operation.id, "type": "complete"})
        except Exception as error:
            await self.handle_task_exception(error)
            with suppress(Exception):
                await operation.send_operation_message({"id": operation.id, "type": "complete"})
            self.operations.pop(operation.id, None)
            raise
        finally:
            self.completed_tasks.append(asyncio.current_task())


def _frame_sender(handler: TransportHandler, operation):
    """`send(payload_text)` for one operation: the `next` frame around a payload encoded once for
    all its subscribers, sent only while the operation is live (a `complete` from the client
    cancels it, and nothing may follow).

    The frame goes straight to the server's `send` (kept by `ServerSend`): between the consumer
    and the server, Channels' session middleware wraps `send` to save the session and set its
    cookie on an HTTP response start, and does nothing for a `websocket.send` but cost some 7% of
    the fan-out's CPU (each event passes it once per socket)."""
    prefix = '{"id":' + json.dumps(operation.id) + ',"type":"next","payload":'
    consumer = handler.websocket.ws_consumer
    server_send = consumer.scope.get(ServerSend.KEY) or consumer.base_send
    live = handler.operations

    async def send(payload_text: str) -> None:
        if live.get(operation.id) is operation:
            await server_send({"type": "websocket.send", "text": prefix + payload_text + "}"})

    return send


class ServerSend:
    """ASGI middleware, outside the session middleware: keeps the server's own `send` in the scope
    for the event frames (see `_frame_sender`)."""

    KEY = "jianlian.server_send"

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        return await self.app({**scope, self.KEY: send}, receive, send)


class GraphQLConsumer(GraphQLWSConsumer):
    graphql_transport_ws_handler_class = TransportHandler

    def __init__(self, schema=None, **kwargs):
        from jianlian.api.schema import schema as graphene_schema

        super().__init__(
            schema=schema or graphene_schema.graphql_schema,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            connection_init_wait_timeout=datetime.timedelta(seconds=10),
            keep_alive=False,
            **kwargs,
        )

    async def connect(self) -> None:
        tenant = self.scope.get("tenant")
        self._tenant_token = tenant_context.bind(tenant or tenant_context.public())
        self._socket = None
        await super().connect()

    async def receive(self, text_data=None, bytes_data=None) -> None:
        from django.conf import settings

        size = len(text_data.encode()) if text_data else len(bytes_data or b"")
        if size > settings.WS_MAX_MESSAGE_BYTES:  # also where the server's own frame cap does not apply
            await self.close(code=1009, reason="Message too big")
            return
        await super().receive(text_data=text_data, bytes_data=bytes_data)

    async def disconnect(self, code: int) -> None:
        if self._socket is not None:
            from jianlian.realtime.hub import hub

            hub().unregister(self._socket)
            self._socket = None
        await super().disconnect(code)

    async def get_context(self, request, response) -> SubscriptionContext:
        return SubscriptionContext(ws=self, tenant=self.scope.get("tenant"))

    async def authenticate(self, context: SubscriptionContext, payload: dict) -> None:
        """Who is connecting, and may they use this tenant? Raises _Refused with a close code."""
        if self.scope.get("tenant_error"):
            raise _Refused(4403, self.scope["tenant_error"])
        auth = str(payload.get("authorization") or payload.get("Authorization") or "")
        token = auth[7:].strip() if auth[:7].lower() == "bearer " else str(payload.get("token") or "")
        if not token and not _same_origin(self.scope):
            raise _Refused(4403, "Forbidden origin")
        user = await database_sync_to_async(_user_for)(token, self.scope.get("user"))
        if user is None:
            raise _Refused(4401, "Unauthorized")
        tenant = context.tenant
        if tenant is not None and not await database_sync_to_async(_may_enter)(user, tenant):
            raise _Refused(4403, "Forbidden")
        context.user = user
        context.connection_params = payload
        await self._register(user, token)

    async def _register(self, user, token: str) -> None:
        """Let the hub close this socket when its token, session, user or tenant loses access."""
        from jianlian.realtime.events import secret_digest
        from jianlian.realtime.hub import Socket, hub

        session = self.scope.get("session")
        session_key = "" if token else (getattr(session, "session_key", None) or "")
        tenant = self.scope.get("tenant")
        self._socket = Socket(self, user.pk, token=secret_digest(token) if token else "",
                              session=secret_digest(session_key) if session_key else "",
                              schema=tenant.schema_name if tenant is not None else "public")
        await hub().register(self._socket)


def _user_for(token: str, session_user):
    from jianlian.identity.services import user_for_token

    if token:
        return user_for_token(token)
    if session_user is not None and session_user.is_authenticated and session_user.can_sign_in:
        return session_user
    return None


def _same_origin(scope) -> bool:
    """A browser always sends `Origin` on a WebSocket handshake and the cookie goes along whatever
    site opened it; accept cookie authentication only from our own hosts (the request's host,
    ALLOWED_HOSTS, CSRF_TRUSTED_ORIGINS). No Origin: not a browser, so nothing rides a cookie."""
    from urllib.parse import urlsplit

    from django.conf import settings
    from django.http.request import validate_host

    headers = {k.decode("latin1").lower(): v.decode("latin1") for k, v in scope.get("headers", [])}
    origin = headers.get("origin")
    if origin is None:
        return True
    if origin in getattr(settings, "CSRF_TRUSTED_ORIGINS", ()):
        return True
    try:
        parts = urlsplit(origin)
        host = parts.hostname or ""
    except ValueError:
        return False
    if parts.netloc and parts.netloc.lower() == headers.get("host", "").lower():
        return True
    return bool(host) and validate_host(host, settings.ALLOWED_HOSTS)


def _may_enter(user, tenant) -> bool:
    from jianlian.identity.services import tenant_refusal

    return tenant_refusal(user, tenant) is None
