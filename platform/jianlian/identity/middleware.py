from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from jianlian.core import context


class TokenAuthenticationMiddleware:
    """`Authorization: Bearer jl_…` authenticates API clients (`jla_…`: an external app inside the
    one tenant that installed it, see jianlian.marketplace.external). Such requests carry no cookies to
    forge, so CSRF checks do not apply to them; browser sessions stay CSRF-protected."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header[:7].lower() == "bearer ":
            from jianlian.identity.services import user_for_token
            from jianlian.marketplace.external import principal_for_token

            key = header[7:].strip()
            user = user_for_token(key) or principal_for_token(key)
            if user is None:
                from django.utils.translation import gettext as _

                from jianlian.core.errors import error_response

                return error_response("UNAUTHENTICATED", _("访问令牌无效或已过期，请重新登录。"), 401)
            request.user = user
            request.auth_method = "token"
            request._dont_enforce_csrf_checks = True
        else:
            request.auth_method = "session"
        user = request.user
        if user.is_authenticated:
            context.current().user_id = user.pk
        return self.get_response(request)
