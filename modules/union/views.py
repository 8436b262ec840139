"""Plain HTTP of the union app at /t/<tenant>/apps/union/…:

- POST steps/ — a phone or wearable reports a day's steps: header `X-Union-Device-Token: jlu_…`,
  JSON body {"date": "2026-12-06", "steps": 8421}. Answers {"date", "steps"} (the day's kept count).
- GET images/<kind>/<id> — a photo of 工会图集 (kind album or activity) or an offer's picture, for
  a signed-in person who may see it, who opens it with the link the GraphQL listing it handed out
  (signed for them, an hour: an <img> cannot send the bearer token).
- GET welfare/<id>/export.xlsx — the campaign's tally per supplier, for its officers (signed link).
"""

from __future__ import annotations

import datetime as dt
import json
import mimetypes

from django.http import FileResponse, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from jianlian.core.errors import DomainError, error_response
from jianlian.identity.signed_links import accepts_signed_link
from jianlian.marketplace.composition import app_view
from modules.union import images, stats, welfare


@csrf_exempt
@require_POST
def steps(request):
    from jianlian.marketplace.services import is_installed

    tenant = getattr(request, "tenant", None)
    if tenant is None or not is_installed(tenant, "union"):
        return error_response("APP_NOT_INSTALLED", _("本单位未安装工会云。"), 404)
    member = stats.member_for_token(request.headers.get("X-Union-Device-Token", ""))
    if member is None:
        return error_response("UNAUTHENTICATED", _("设备令牌无效，请在工会云里重新绑定设备。"), 401)
    try:
        body = json.loads(request.body or b"{}")
        day = dt.date.fromisoformat(str(body.get("date") or timezone.localdate().isoformat()))
        count = int(body.get("steps"))
    except (ValueError, TypeError):
        return error_response("INVALID", _("请求格式应为 {\"date\": \"YYYY-MM-DD\", \"steps\": 整数}。"), 400)
    try:
        row = stats.record_steps(member, day, count)
    except DomainError as e:
        return error_response(e.code, e.message, 400)
    return JsonResponse({"date": row.day.isoformat(), "steps": row.steps})


@accepts_signed_link
@app_view("union")
@require_GET
def welfare_export(request, campaign_id: int):
    try:
        data = welfare.export_xlsx(request.user, campaign_id)
    except DomainError as e:
        return error_response(e.code, e.message, 404)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="welfare-{campaign_id}.xlsx"'
    return response


@accepts_signed_link
@app_view("union")
@require_GET
def image(request, kind: str, pk: int):
    from jianlian.identity.signed_links import IMAGE_MAX_AGE

    try:
        stored = images.readable_file(request.user, kind, pk)
    except DomainError as e:
        return error_response("NOT_FOUND", e.message, 404)
    response = FileResponse(stored.open("rb"), content_type=mimetypes.guess_type(stored.name)[0] or "image/jpeg")
    response["Cache-Control"] = f"private, max-age={IMAGE_MAX_AGE}"
    response["X-Content-Type-Options"] = "nosniff"
    return response
