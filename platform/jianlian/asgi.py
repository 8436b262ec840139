"""ASGI entry point: HTTP through Django, WebSocket through Channels (subscriptions, issue 3)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianlian.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import re_path  # noqa: E402

from django.conf import settings  # noqa: E402

from jianlian.api.lanes import is_heavy  # noqa: E402
from jianlian.core.http_queue import QueuedHTTP  # noqa: E402
from jianlian.core.observability import wrap_asgi  # noqa: E402
from jianlian.realtime.consumer import GraphQLConsumer, ServerSend  # noqa: E402
from tenants.asgi import TenantScopeMiddleware  # noqa: E402

websocket = ServerSend(TenantScopeMiddleware(
    AuthMiddlewareStack(URLRouter([re_path(r"^(t/[^/]+/)?graphql/?$", GraphQLConsumer.as_asgi())]))
))
http = QueuedHTTP(django_asgi_app, settings.HTTP_CONCURRENCY, settings.HTTP_CONN_MAX_AGE,
                  heavy=(settings.HTTP_HEAVY_CONCURRENCY, is_heavy))
application = wrap_asgi(ProtocolTypeRouter({"http": http, "websocket": websocket}))
