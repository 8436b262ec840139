"""Public pages, no sign-in: the lobby screen (`/apps/clinics/lobby/`, large type, refreshes itself
every minute, no script) and the JSON feed for the hospital website (`/apps/clinics/feed.json`).
Both show one day (`?day=2030-03-01`, default today) of the tenant's sessions: department, half-day,
doctor's name and title, room, quota and 出诊/停诊/替诊 — never ids of people."""

from __future__ import annotations

import datetime as dt

from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from jianlian.core.errors import error_response
from modules.clinics import services


def _public(view):
    from functools import wraps

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        from jianlian.marketplace.composition import _not_installed_error
        from jianlian.marketplace.services import is_installed

        if not is_installed(getattr(request, "tenant", None), "clinics"):
            return error_response("APP_NOT_INSTALLED", _not_installed_error("clinics").message, 404)
        try:
            day = dt.date.fromisoformat(request.GET["day"]) if request.GET.get("day") else timezone.localdate()
        except ValueError:
            return error_response("INVALID", _("日期格式须为 2030-03-01。"), 400)
        return view(request, day)

    return wrapped


@_public
def lobby(request, day):
    rows = services.public_rows(day)
    halves = [(label, [r for r in rows if r["half"] == half]) for half, label in (("am", _("上午")), ("pm", _("下午")))]
    response = render(request, "clinics/lobby.html", {"day": day, "halves": halves, "hospital": request.tenant.name})
    response["Cache-Control"] = "public, max-age=30"
    return response


@_public
def feed(request, day):
    response = JsonResponse({"hospital": request.tenant.name, "day": day.isoformat(), "sessions": services.public_rows(day)},
                            json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # the hospital website fetches it from its own host
    response["Cache-Control"] = "public, max-age=60"
    return response
