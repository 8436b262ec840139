"""Plain HTTP pages of the supervision app: the dashboard's Excel export, served at
/apps/supervision/export/?unit=<OrgUnit id>&period=2026-03&indicator=<code>.

Supervisors work on the province console (no tenant), so, like the app's console GraphQL fields,
the export is open there and checks the reader's permissions itself (`export` →
`access_node`); inside a tenant it needs the app installed, as every module page does."""

from urllib.parse import quote

from django.http import HttpResponse
from django.utils.translation import gettext as _

from jianlian.api.base import decode_id
from jianlian.core.errors import DomainError, PermissionDeniedError, error_response
from jianlian.marketplace.composition import app_view
from modules.supervision.export import export_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def console_view(view):
    """`app_view("supervision")`, except on the province console, where a signed-in reader
    passes and the view checks their permissions."""
    gated = app_view("supervision")(view)

    def wrapped(request, *args, **kwargs):
        if getattr(request, "tenant", None) is None:
            if not request.user.is_authenticated:
                return error_response("UNAUTHENTICATED", _("请先登录。"), 401)
            return view(request, *args, **kwargs)
        return gated(request, *args, **kwargs)

    return wrapped


@console_view
def export_dashboard(request):
    """The league table by an indicator, every indicator of the node's children and the
    completeness of the period's months, as an Excel workbook."""
    params = request.GET
    try:
        unit = params.get("unit", "")
        node_id = int(unit) if unit.isdigit() else decode_id(unit, "OrgUnit", "unit")
        name, content = export_workbook(request.user, node_id, params.get("period", ""),
                                                       params.get("indicator", ""))
    except PermissionDeniedError as e:
        return error_response(e.code, e.message, 403)
    except DomainError as e:
        return error_response(e.code, e.message, 400)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response
