"""Short-lived signed links for pages that open in a new tab (a printable form, a file download).

The workbench signs in with a bearer token, which a plain link cannot carry. Instead the workbench
asks for a link (`createSignedLink`) just before it opens one: the server signs, with Django's
`TimestampSigner`, the user, the tenant and the exact path, and the link works for
`LINK_MAX_AGE` seconds, for GET and HEAD only, and only on views that opted in with
`@accepts_signed_link`. The view still checks, as the person, what they may see. No cookie and
no session are involved, so CSRF protection of the session-authenticated API is untouched.
"""

from __future__ import annotations

from functools import wraps

from django.core import signing
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from jianlian.core.errors import DomainError

LINK_PARAM = "link"
LINK_MAX_AGE = 120  # seconds
_SALT = "jianlian.identity.signed-link"


def accepts_signed_link(view):
    """Marks a GET view as one a signed link may open (as the person who asked for the link).
    Put it outside the view's own sign-in check (e.g. above `@app_view`)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        token = request.GET.get(LINK_PARAM)
        if token and request.method in ("GET", "HEAD") and not request.user.is_authenticated:
            user = user_for_link(token, getattr(request, "tenant", None), request.path_info)
            if user is None:
                from jianlian.core.errors import error_response

                return error_response("LINK_EXPIRED", _("链接已失效，请回到工作台重新打开。"), 401)
            from jianlian.core import context
            from tenants.middleware import TenantRoutingMiddleware

            request.user = user
            request.auth_method = "signed_link"
            context.current().user_id = user.pk
            tenant = getattr(request, "tenant", None)
            refusal = TenantRoutingMiddleware.refusal(request, tenant) if tenant is not None else None
            if refusal is not None:  # left the tenant, or it was suspended, since the link was made
                return refusal
        return view(request, *args, **kwargs)

    wrapped.accepts_signed_link = True
    return wrapped


def _payload(user, tenant, path: str) -> str:
    return f"{user.pk}|{tenant.slug if tenant else ''}|{path}"


def create_link(user, tenant, path: str) -> str:
    """The URL (with the tenant's `/t/<slug>` prefix) that opens `path` as `user` for two minutes.

    `path` is the page's path inside the tenant (`/apps/referrals/7/print/outbound/`); it must
    name a view that accepts signed links (INVALID_LINK_PATH otherwise). Callers: a signed-in
    person (not an external app's token)."""
    path = "/" + (path or "").strip().lstrip("/")
    if "?" in path or "#" in path:
        raise DomainError("INVALID_LINK_PATH", _("只能为工作台中的打印页或下载地址生成链接。"), field="path")
    try:
        match = resolve(path)
    except Resolver404:
        match = None
    if match is None or not getattr(match.func, "accepts_signed_link", False):
        raise DomainError("INVALID_LINK_PATH", _("只能为工作台中的打印页或下载地址生成链接。"), field="path")
    token = signing.TimestampSigner(salt=_SALT).sign(_payload(user, tenant, path))
    prefix = f"/t/{tenant.slug}" if tenant else ""
    return f"{prefix}{path}?{LINK_PARAM}={token}"


def user_for_link(token: str, tenant, path: str):
    """The user a link was made for, if they may still sign in and the link is for this tenant
    and path and not older than LINK_MAX_AGE; None otherwise. Whether they may still enter the
    tenant is the tenant routing's check (`accepts_signed_link` runs it)."""
    from jianlian.identity.models import User

    try:
        value = signing.TimestampSigner(salt=_SALT).unsign(token, max_age=LINK_MAX_AGE)
    except signing.BadSignature:  # also SignatureExpired
        return None
    user_id, slug, signed_path = value.split("|", 2)
    if signed_path != path or slug != (tenant.slug if tenant else ""):
        return None
    user = User.objects.filter(pk=user_id).first()
    return user if user is not None and user.can_sign_in else None
