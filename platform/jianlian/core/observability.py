"""Sentry, started only when SENTRY_DSN is set, with the Django, Celery and Channels (ASGI) paths
covered and every event tagged with the tenant and request id."""

from __future__ import annotations


def _tag_event(event, hint):
    from jianlian.core import context

    ctx = context.current()
    event.setdefault("tags", {}).update({"tenant": ctx.tenant, "request_id": ctx.request_id})
    if ctx.user_id:
        event.setdefault("user", {})["id"] = str(ctx.user_id)
    return event


def init_sentry(dsn: str, environment: str) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.graphene import GrapheneIntegration
    from sentry_sdk.integrations.redis import RedisIntegration

    # Channels' WebSocket side is covered by wrapping the ASGI application (see `wrap_asgi`).
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration(), GrapheneIntegration(), RedisIntegration()],
        send_default_pii=False,
        before_send=_tag_event,
        traces_sample_rate=0.0,
    )


def wrap_asgi(application):
    """Report errors from every ASGI path (HTTP and Channels WebSockets) when Sentry is on."""
    from django.conf import settings

    if not settings.SENTRY_DSN:
        return application
    from sentry_sdk.integrations.asgi import SentryAsgiMiddleware

    return SentryAsgiMiddleware(application)
