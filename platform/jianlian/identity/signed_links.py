"""Short-lived signed links for pages that open in a new tab (a printable form, a file download).

The workbench signs in with a bearer token, which a plain link cannot carry. Instead the workbench
asks for a link (`createSignedLink`) just before it opens one: the server signs, with Django's
`TimestampSigner`, the user, the tenant and the exact path, and the link works for
`LINK_MAX_AGE` seconds, for GET and HEAD only, and only on views that opted in with
`@accepts_signed_link`. The view still checks, as the person, what they may see. No cookie and
no session are involved, so CSRF protection of the session-authenticated API is untouched.

Pictures a page shows inline (`<img src>`, which cannot carry the bearer token either) get their
links from the server with the list that names them: `create_link(user, tenant, path,
max_age=IMAGE_MAX_AGE)`, an hour, so a page of photos loads and the browser may keep them that
long. The lifetime is part of the signed value, so `user_for_link` enforces each link's own. A
link of ten minutes or more is dated to the start of the current sixth of its lifetime, so the
same person's link to the same picture stays the same URL for a while (the browser's cache
serves it again) and still works for at least five sixths of its lifetime.
"""

from __future__ import annotations

from functools import wraps

from django.core import signing
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from jianlian.core.errors import DomainError

LINK_PARAM = "link"
LINK_MAX_AGE = 120  # seconds
IMAGE_MAX_AGE = 3600  # seconds: links the server hands out with a list of pictures
LONGEST_MAX_AGE = 24 * 3600  # no link lives longer, whatever its maker asked for
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


class _Signer(signing.TimestampSigner):
    """Django's timestamp signer, dating a link to the start of its step (see above)."""

    def __init__(self, step: int = 0):
        super().__init__(salt=_SALT)
        self.step = step

    def timestamp(self):
        stamp = super().timestamp()
        if not self.step:
            return stamp
        now = signing.b62_decode(stamp)
        return signing.b62_encode(now - now % self.step)


def _payload(user, tenant, max_age: int, path: str) -> str:
    return f"{user.pk}|{tenant.slug if tenant else ''}|{max_age}|{path}"


def create_link(user, tenant, path: str, max_age: int = LINK_MAX_AGE) -> str:
    """The URL (with the tenant's `/t/<slug>` prefix) that opens `path` as `user` for `max_age`
    seconds (two minutes unless asked; at most LONGEST_MAX_AGE; from ten minutes on, dated to
    the start of a sixth of it, see above).

    `path` is the page's path inside the tenant (`/apps/referrals/7/print/outbound/`); it must
    name a view that accepts signed links (INVALID_LINK_PATH otherwise). Callers: a signed-in
    person (not an external app's token)."""
    if getattr(user, "pk", None) is None or getattr(user, "is_app", False):
        raise ValueError("a signed link opens pages as a person")
    max_age = max(1, min(int(max_age), LONGEST_MAX_AGE))
    path = "/" + (path or "").strip().lstrip("/")
    if "?" in path or "#" in path:
        raise DomainError("INVALID_LINK_PATH", _("只能为工作台中的打印页或下载地址生成链接。"), field="path")
    try:
        match = resolve(path)
    except Resolver404:
        match = None
    if match is None or not getattr(match.func, "accepts_signed_link", False):
        raise DomainError("INVALID_LINK_PATH", _("只能为工作台中的打印页或下载地址生成链接。"), field="path")
    token = _Signer(max_age // 6 if max_age >= 600 else 0).sign(_payload(user, tenant, max_age, path))
    prefix = f"/t/{tenant.slug}" if tenant else ""
    return f"{prefix}{path}?{LINK_PARAM}={token}"


def user_for_link(token: str, tenant, path: str):
    """The user a link was made for, if they may still sign in and the link is for this tenant
    and path and not older than the lifetime it was made with; None otherwise. Whether they may
    still enter the tenant is the tenant routing's check (`accepts_signed_link` runs it)."""
    from jianlian.identity.models import User

    signer = _Signer()
    try:
        value = signer.unsign(token, max_age=LONGEST_MAX_AGE)
        user_id, slug, max_age, signed_path = value.split("|", 3)
        signer.unsign(token, max_age=int(max_age))  # the link's own lifetime, signed with it
    except (signing.BadSignature, ValueError):  # also SignatureExpired
        return None
    if signed_path != path or slug != (tenant.slug if tenant else ""):
        return None
    user = User.objects.filter(pk=user_id).first()
    return user if user is not None and user.can_sign_in else None
