from __future__ import annotations

from jianlian.core import context


def client_ip(request) -> str | None:
    """The caller's address. Behind a proxy, the first X-Forwarded-For hop is taken only when
    TRUSTED_PROXY_HOPS is configured; otherwise REMOTE_ADDR, which a client cannot forge."""
    from django.conf import settings

    hops = getattr(settings, "TRUSTED_PROXY_HOPS", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if hops and forwarded:
        parts = [p.strip() for p in forwarded.split(",") if p.strip()]
        if len(parts) >= hops:
            return parts[-hops]
    return request.META.get("REMOTE_ADDR")


class RequestContextMiddleware:
    """Opens the request context (request id, caller IP) used by logs and the audit log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        ctx = context.RequestContext(ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:300])
        if incoming.isalnum() and len(incoming) <= 64:
            ctx.request_id = incoming
        token = context.bind(ctx)
        try:
            response = self.get_response(request)
        finally:
            context.reset(token)
        response["X-Request-ID"] = ctx.request_id
        return response
