"""Plain HTTP of the meetings app: a person's calendar feed at
/t/<tenant>/apps/meetings/calendar/<token>.ics. No sign-in (a phone calendar sends none): the
secret token in the address is the credential; a wrong or reset token answers 404."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _

from jianlian.core.errors import error_response
from modules.meetings import calendar


def feed(request, token: str):
    from jianlian.marketplace.services import is_installed

    tenant = getattr(request, "tenant", None)
    user_id = calendar.user_for_token(token) if tenant is not None and is_installed(tenant, "meetings") else None
    if user_id is None:
        return error_response("NOT_FOUND", _("日历地址无效或已重置。"), 404)
    response = HttpResponse(calendar.ical_for(user_id), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response
