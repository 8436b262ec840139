"""Plain HTTP of the approvals app: the Excel export of instances, at /apps/approvals/export.xlsx
in a tenant (`?template=<id>&status=<status>&from=YYYY-MM-DD&to=YYYY-MM-DD`). Who: holders of
approvals.view_all or approvals.manage (all instances), a template's sub-administrators (its
instances)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from django.http import HttpResponse
from django.utils.translation import gettext as _

from jianlian.core.errors import DomainError, error_response
from jianlian.marketplace.composition import app_view
from modules.approvals import access, stats
from modules.approvals.models import Instance, Status

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@app_view("approvals")
def export(request):
    user = request.user
    template = None
    try:
        if request.GET.get("template"):
            template = access.access_template(user, int(request.GET["template"]))
        allowed = access.sees_all(user) or (template is not None and access.may_manage(user, template))
        if not allowed:
            return error_response("PERMISSION_DENIED", _("您没有导出审批单的权限。"), 403)
        qs = Instance.objects.all()
        if template is not None:
            qs = qs.filter(template=template)
        if request.GET.get("status"):
            if request.GET["status"] not in Status.values:
                raise DomainError("INVALID", _("状态不正确。"), "status")
            qs = qs.filter(status=request.GET["status"])
        for name, lookup in (("from", "created_at__date__gte"), ("to", "created_at__date__lte")):
            if request.GET.get(name):
                qs = qs.filter(**{lookup: dt.date.fromisoformat(request.GET[name])})
    except (ValueError, TypeError):
        return error_response("INVALID", _("导出条件不正确。"), 400)
    except DomainError as e:
        return error_response(e.code, e.message, 404 if e.code == "NOT_FOUND" else 400)
    response = HttpResponse(stats.export_xlsx(qs, template), content_type=XLSX)
    name = f"{template.name if template else _('审批')}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
