from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from jianlian.core import context


class TokenAuthenticationMiddleware:
    """`Authorization: Bearer jl_…` authenticates API clients. Such requests carry no cookies to
    forge, so CSRF checks do not apply to them; browser sessions stay CSRF-protected."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header[:7].lower() == "bearer ":
            from django.contrib.auth.models import AnonymousUser

            from jianlian.identity.services import user_for_token

            user = user_for_token(header[7:].strip())
            request.user = user or AnonymousUser()
            request.auth_method = "token" if user else "invalid_token"
            request._dont_enforce_csrf_checks = True
        else:
            request.auth_method = "session"
        user = request.user
        if user.is_authenticated:
            context.current().user_id = user.pk
        return self.get_response(request)
