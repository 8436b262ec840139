"""The dashboard as an Excel workbook: the league table by an indicator, every indicator of every
child, and the months' completeness and timeliness."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from jianlian.hierarchy.models import Level
from modules.supervision.completeness import heatmap
from modules.supervision.queries import league


def export_workbook(user, node_id: int, period_text, indicator_code: str) -> tuple[str, bytes]:
    """An .xlsx of the dashboard: the league table by the indicator, every indicator of every
    child, and the months' completeness and timeliness. Returns (file name, content)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    table = league(user, node_id, period_text, indicator_code)
    period, node, indicator = table["period"], table["node"], table["indicator"]
    level_name = dict(Level.choices)
    book = Workbook()
    bold = Font(bold=True)

    sheet = book.active
    sheet.title = _("排名")
    sheet.append([_("%(node)s %(period)s「%(indicator)s」排名") % {"node": node.name, "period": period.label,
                                                               "indicator": indicator.name}])
    sheet["A1"].font = bold
    sheet.append([_("排名"), _("单位"), _("层级"), _("指标值"), _("分子"), _("分母")])
    for x in table["rows"]:
        sheet.append([x["rank"], x["node"].name, str(level_name.get(x["node"].level, x["node"].level)),
                      x["value"], x["numerator"], x["denominator"]])

    values = book.create_sheet(_("全部指标"))
    indicators = [v["indicator"] for v in table["board"]["rows"][0]["values"]]
    values.append([_("单位")] + [f"{i.name}{'（' + i.unit_label + '）' if i.unit_label else ''}" for i in indicators])
    for r in table["board"]["rows"]:
        values.append([r["node"].name] + [v["value"] for v in r["values"]])

    heat = heatmap(user, node_id, period.start.strftime("%Y-%m"), period.months[-1].strftime("%Y-%m"))
    done = book.create_sheet(_("完整性与及时性"))
    done.append([_("单位"), _("月份"), _("应报"), _("已报"), _("按时"), _("逾期"), _("未报")])
    for r in heat["rows"]:
        for month, c in zip(heat["months"], r["cells"]):
            done.append([r["node"].name, month, c["expected"], c["submitted"], c["on_time"], c["late"], c["missing"]])
    for ws in (sheet, values, done):
        for cell in ws[2 if ws is sheet else 1]:
            cell.font = bold
        ws.column_dimensions["B" if ws is sheet else "A"].width = 32
    buffer = io.BytesIO()
    book.save(buffer)
    return f"supervision-{node.pk}-{period.label}-{indicator.code}.xlsx", buffer.getvalue()
