"""Continuing medical education credits (继续医学教育学分): each completed course records its
credits in the year it was completed; a person's yearly record is the sum, and managers export
the year's records of everyone as Excel (openpyxl)."""

from __future__ import annotations

import io
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _g

from modules.learning import access
from modules.learning.models import CourseCompletion


def my_record(user, year: int) -> tuple[Decimal, list[CourseCompletion]]:
    rows = list(CourseCompletion.objects.filter(user_id=user.pk, year=year).select_related("course").order_by("completed_at"))
    return sum((r.credits for r in rows), Decimal("0")), rows


def export(actor, year: int) -> bytes:
    """The year's credits as a workbook: 「汇总」 one row per person (name, department, total), and
    「明细」 one row per completed course. Who: `learning.manage`."""
    from openpyxl import Workbook

    from modules.learning.assignments import _departments

    access.require_manager(actor)
    rows = list(CourseCompletion.objects.filter(year=year).select_related("course").order_by("user_name", "completed_at"))
    depts = _departments({r.user_id for r in rows})
    wb = Workbook()
    summary = wb.active
    summary.title = _g("汇总")
    summary.append([_g("姓名"), _g("科室"), _g("年度"), _g("课程数"), _g("学分合计")])
    totals = (CourseCompletion.objects.filter(year=year).values("user_id", "user_name")
              .annotate(total=Sum("credits")).order_by("user_name"))
    for t in totals:
        n = sum(1 for r in rows if r.user_id == t["user_id"])
        summary.append([t["user_name"], depts.get(t["user_id"], (None, ""))[1], year, n, float(t["total"])])
    detail = wb.create_sheet(_g("明细"))
    detail.append([_g("姓名"), _g("科室"), _g("课程"), _g("学分类别"), _g("学分"), _g("完成时间")])
    for r in rows:
        detail.append([r.user_name, depts.get(r.user_id, (None, ""))[1], r.course.title, r.course.credit_kind,
                       float(r.credits), r.completed_at.strftime("%Y-%m-%d %H:%M")])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
