"""The monthly payroll workbook (openpyxl, the row engine of jianlian.org.importer): the first
sheet's header names the columns; the tenant's saved `Mapping` says which header is the staff
number (工号), which the name, and which are pay items (none saved: every other column). Every
row is checked first and each problem is named by row and column in Chinese with a stable code;
`dry_run` writes nothing; `all_or_nothing` writes nothing when any row is wrong, `valid_only`
writes the good rows. A batch that is a draft or withdrawn can be imported again (corrected):
its payslips are replaced and its version goes up."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from jianlian.audit import service as audit
from jianlian.core.errors import DomainError
from jianlian.org.importer import MODES, Row, _cell, open_workbook, sheet_rows
from modules.payslips import access, crypto
from modules.payslips.models import Batch, BatchStatus, Mapping, Payslip

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_AMOUNT = re.compile(r"^-?\d+(\.\d{1,2})?$")


@dataclass
class Report:
    dry_run: bool
    mode: str
    applied: bool = False
    rows: int = 0
    created: int = 0
    batch: Batch | None = None
    headers: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    def error(self, row: Row, key: str, header: str, code: str, message) -> None:
        text = _g("第%(row)s行「%(column)s」列：%(message)s") % {"row": row.number, "column": header, "message": message}
        self.errors.append({"row": row.number, "column": header, "column_letter": row.letters.get(key, ""),
                            "field": key, "code": code, "message": text})


def mapping() -> Mapping:
    return Mapping.objects.order_by("pk").first() or Mapping(item_headers=[])


def save_mapping(actor, *, staff_no_header: str, name_header: str, item_headers: list[str]) -> Mapping:
    access.require_office(actor)
    staff_no_header, name_header = (staff_no_header or "").strip(), (name_header or "").strip()
    items = [h.strip() for h in item_headers or [] if h and h.strip()]
    if not staff_no_header or not name_header:
        raise DomainError("REQUIRED", _("请指定工号列和姓名列。"), "staffNoHeader" if not staff_no_header else "nameHeader")
    if len(items) != len(set(items)) or {staff_no_header, name_header} & set(items):
        raise DomainError("INVALID", _("工资项目列不能重复，也不能是工号列或姓名列。"), "itemHeaders")
    m = mapping()
    m.staff_no_header, m.name_header, m.item_headers = staff_no_header, name_header, items
    m.save()
    audit.record("payslips.mapping", actor=actor, object_type="payslips.mapping", object_id=str(m.pk),
                 after={"staff_no": staff_no_header, "name": name_header, "items": items})
    return m


def _columns(ws, m: Mapping) -> tuple[tuple, list[str]]:
    header = [_cell(h).rstrip("*＊ ").strip() for h in next(ws.iter_rows(max_row=1, values_only=True), ())]
    items = list(m.item_headers) or [h for h in header if h and h not in (m.staff_no_header, m.name_header)]
    missing = [h for h in items if h not in header]
    if missing:
        raise DomainError("INVALID_FILE", _("表头缺少工资项目列：%(columns)s。请检查列映射。") % {"columns": "、".join(missing)}, "file")
    columns = (("staff_no", m.staff_no_header, True), ("name", m.name_header, True),
               *((f"i{n}", h, False) for n, h in enumerate(items)))
    return columns, items


def _staff() -> dict[str, tuple[int, str]]:
    from jianlian.org.models import StaffProfile, StaffStatus

    return {no: (uid, name) for no, uid, name in
            StaffProfile.objects.exclude(status=StaffStatus.LEFT).values_list("staff_no", "user_id", "name")}


def check_rows(rows: list[Row], items: list[str], m: Mapping, report: Report) -> list[tuple]:
    """(user_id, row, [[item, amount], …], name, staff no) of the rows without a problem; the
    others into `report`."""
    staff, seen, good = _staff(), {}, []
    for row in rows:
        v, bad = row.values, False
        no = v.get("staff_no", "")
        who = staff.get(no)
        if not no:
            report.error(row, "staff_no", m.staff_no_header, "REQUIRED", _g("工号不能为空。"))
            continue
        if who is None:
            report.error(row, "staff_no", m.staff_no_header, "PAYSLIPS_UNKNOWN_STAFF", _g("工号 %(no)s 不是本单位在职人员。") % {"no": no})
            continue
        if no in seen:
            report.error(row, "staff_no", m.staff_no_header, "PAYSLIPS_DUPLICATE_ROW", _g("工号 %(no)s 与第%(n)s行重复。") % {"no": no, "n": seen[no]})
            continue
        seen[no] = row.number
        if v.get("name") and v["name"] != who[1]:
            report.error(row, "name", m.name_header, "PAYSLIPS_NAME_MISMATCH",
                         _g("姓名与工号不符（系统中为 %(name)s）。") % {"name": who[1]})
            continue
        lines = []
        for n, header in enumerate(items):
            value = v.get(f"i{n}", "").replace(",", "")
            if value and not _AMOUNT.match(value):
                report.error(row, f"i{n}", header, "PAYSLIPS_BAD_AMOUNT", _g("“%(value)s”不是金额（最多两位小数）。") % {"value": value[:20]})
                bad = True
                break
            lines.append([header, value])
        if not bad:
            good.append((who[0], row, lines, who[1], no))
    return good


def import_batch(actor, data: bytes, *, month: str, title: str = "", dry_run: bool = False, mode: str = "all_or_nothing",
                 batch_id: int | None = None) -> Report:
    """Check every row, then (unless dry_run, or any error under all_or_nothing) write a draft
    batch — or replace the payslips of `batch_id` (a draft or withdrawn batch: a correction)."""
    access.require_office(actor)
    if mode not in MODES:
        raise DomainError("INVALID", _("导入方式须为 all_or_nothing 或 valid_only。"), "mode")
    if not _MONTH.match(month or ""):
        raise DomainError("PAYSLIPS_BAD_MONTH", _("月份格式须为 2026-11。"), "month")
    target = None
    if batch_id is not None:
        target = access.access_batch(actor, batch_id)
        if target.status == BatchStatus.PUBLISHED:
            raise DomainError("PAYSLIPS_WRONG_STATE", _("已发布的批次须先撤回才能更正。"), "batch")
    wb = open_workbook(data)
    try:
        ws = wb.worksheets[0]
        m = mapping()
        columns, items = _columns(ws, m)
        rows = sheet_rows(ws, columns)
    finally:
        wb.close()
    report = Report(dry_run=dry_run, mode=mode, rows=len(rows), headers=items)
    good = check_rows(rows, items, m, report)
    if dry_run or not good or (report.errors and mode == "all_or_nothing"):
        return report
    schema = connection.schema_name
    with transaction.atomic():
        if target is None:
            target = Batch.objects.create(month=month, title=title or _g("%(month)s 工资条") % {"month": month},
                                          headers=items, created_by_id=actor.pk)
        else:
            target = Batch.objects.select_for_update().get(pk=target.pk)
            target.payslips.all().delete()
            target.version += 1
            target.month, target.headers = month, items
            target.title = title or target.title
            target.save()
        Payslip.objects.bulk_create([
            Payslip(batch=target, user_id=uid, staff_no=no, name=name,
                    sealed=crypto.seal(schema, target.pk, uid, json.dumps(lines, ensure_ascii=False).encode()))
            for uid, _row, lines, name, no in good], batch_size=2000)
        audit.record("payslips.import", actor=actor, object_type="payslips.batch", object_id=str(target.pk),
                     after={"month": month, "rows": len(rows), "created": len(good), "version": target.version})
    report.applied, report.created, report.batch = True, len(good), target
    return report


def template() -> bytes:
    """A workbook in the saved mapping's layout with one example row."""
    import io

    from openpyxl import Workbook

    m = mapping()
    items = list(m.item_headers) or ["基本工资", "绩效工资", "津贴补贴", "个人所得税", "实发合计"]
    wb = Workbook()
    ws = wb.active
    ws.title = "工资表"
    ws.append([m.staff_no_header + "*", m.name_header + "*", *items])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
