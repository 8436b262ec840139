"""Importing values: JSON, CSV or Excel (xlsx) rows keyed by unit code, data element code, option
and period, each checked like manual entry; bad rows are reported with their row number and the
good ones written together, in one transaction. Idempotent: the same file twice changes nothing
the second time."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from jianlian.access.checks import has_perm
from jianlian.audit import service as audit
from jianlian.core.errors import DomainError
from jianlian.hierarchy.models import OrgUnit
from modules.supervision import live
from modules.supervision.datasets import data_set_period, get_data_set, lock_error, lock_reason, not_assigned, not_in_set
from modules.supervision.definitions import catalogue
from modules.supervision.models import STANDARD_DATA_SET, DataSet, Origin
from modules.supervision.periods import Period
from modules.supervision.values import Row, WriteResult, check_row, parse_value, upsert

MAX_IMPORT_ROWS = 50_000
IMPORT_FIELDS = ("unit", "element", "option", "period", "value", "comment")


def unit_of(code) -> OrgUnit | None:
    """A unit by its unified social credit code, its division code (authorities) or its id."""
    code = str(code or "").strip()
    if not code:
        return None
    unit = OrgUnit.objects.filter(Q(credit_code=code.upper()) | Q(division_code=code, level__in=("province", "city", "county"))).first()
    if unit is None and code.isdigit() and len(code) < 12:
        unit = OrgUnit.objects.filter(pk=int(code)).first()
    return unit


def xlsx_rows(content: str) -> list[dict]:
    """Rows of the first sheet of an .xlsx workbook sent as Base64, keyed by its header row."""
    import base64
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(base64.b64decode(content, validate=True)), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as e:
        raise ValueError("not an xlsx workbook") from e
    sheet = book.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    header = [str(h or "").strip() for h in next(lines, ())]
    if not {"unit", "element", "period", "value"} <= set(header):
        raise ValueError("no header")
    rows = []
    for line in lines:
        if all(v in (None, "") for v in line):
            continue
        row = {}
        for name, v in zip(header, line):
            if name:
                row[name] = v.strftime("%Y-%m") if isinstance(v, dt.date) and name == "period" else ("" if v is None else str(v) if name != "value" else v)
        rows.append(row)
    book.close()
    return rows


def read_import(fmt: str, content: str) -> list[dict]:
    """Rows from a JSON array of objects, a CSV with a header (unit, element, option, period,
    value, comment), or an Excel workbook (.xlsx, Base64) with the same header on its first sheet.
    INVALID_IMPORT when the document cannot be read."""
    fmt = (fmt or "").lower()
    try:
        if fmt == "json":
            data = json.loads(content)
            if isinstance(data, dict):
                data = data.get("rows") or data.get("dataValues")
            if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
                raise ValueError
            rows = data
        elif fmt == "csv":
            reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
            if not reader.fieldnames or not {"unit", "element", "period", "value"} <= {f.strip() for f in reader.fieldnames}:
                raise ValueError
            rows = [{(k or "").strip(): v for k, v in r.items()} for r in reader]
        elif fmt == "xlsx":
            rows = xlsx_rows(content)
        else:
            raise DomainError("INVALID_IMPORT", _("只支持 JSON、CSV 和 Excel（xlsx）格式。"), "format")
    except (ValueError, csv.Error):
        raise DomainError("INVALID_IMPORT", _("无法读取导入文件：JSON 须为对象数组，CSV 与 Excel 须有表头 unit,element,option,period,value,comment。"),
                          "content") from None
    if len(rows) > MAX_IMPORT_ROWS:
        raise DomainError("INVALID_IMPORT", _("一次最多导入50000行。"), "content")
    return rows


def import_values(user, fmt: str, content: str, *, origin: str = Origin.IMPORT) -> WriteResult:
    """Import values keyed by unit code, data element code, option and period, of the data set a
    row names in its optional `dataSet` column (default: the standard monthly one). Idempotent (the
    same file twice changes nothing the second time); every bad row is reported with its row
    number (1 = the first data row) and the good rows are written together, in one transaction.
    A row of a submitted period is DATA_LOCKED, one past the lock date without a reopening
    PERIOD_LOCKED. Who: holders of supervision.report at each row's unit (others are per-row
    errors). Announces each unit's period that changed (`supervisionChanged`)."""
    rows = read_import(fmt, content)
    elements = catalogue()
    result = WriteResult()
    good: list[tuple[int, Row]] = []
    row_sets: dict[int, tuple[DataSet, Period]] = {}
    sets: dict[str, DataSet] = {}
    members: dict[int, set[int]] = {}
    seen = set()
    for n, raw in enumerate(rows, start=1):
        try:
            unit = unit_of(raw.get("unit"))
            if unit is None:
                raise DomainError("UNKNOWN_UNIT", _("找不到单位：%(code)s。") % {"code": raw.get("unit") or ""}, "unit")
            if not has_perm(user, "supervision.report", unit):
                raise DomainError("PERMISSION_DENIED", _("您不能填报该单位的数据。"), "unit")
            el = elements.get(str(raw.get("element") or "").strip())
            if el is None:
                raise DomainError("UNKNOWN_ELEMENT", _("没有代码为 %(code)s 的数据元。") % {"code": raw.get("element") or ""}, "element")
            ds_code = str(raw.get("dataSet") or raw.get("data_set") or "").strip() or STANDARD_DATA_SET
            if ds_code not in sets:
                sets[ds_code] = get_data_set(ds_code)
            ds = sets[ds_code]
            p = data_set_period(ds, raw.get("period"))
            if ds.pk not in members:
                members[ds.pk] = set(ds.elements.values_list("pk", flat=True))
            if not ds.assigned_to(unit):
                raise not_assigned(ds, unit)
            if el.pk not in members[ds.pk]:
                raise not_in_set(ds, el)
            number = parse_value(raw.get("value"), el)
            option = str(raw.get("option") or "").strip()
            comment = str(raw.get("comment") or "").strip()[:500]
            check_row(el, option, number, comment)
            key = (unit.pk, el.pk, option, p.start)
            if key in seen:
                raise DomainError("INVALID", _("与前面的行重复（同一单位、数据元、分类与期间）。"), "unit")
            seen.add(key)
            good.append((n, Row(unit, el, option, p.start, number, comment)))
            row_sets[n] = (ds, p)
        except DomainError as e:
            result.errors.append({"row": n, "field": e.field, "code": e.code, "message": str(e.message)})
    with transaction.atomic():
        reasons: dict = {}
        paths: dict = {}
        changed: dict = {}  # one live event per unit's period that changed
        for n, row in good:
            ds, p = row_sets[n]
            key = (ds.pk, row.unit.pk, p.start)
            if key not in reasons:
                reasons[key] = lock_reason(ds, row.unit.pk, p, for_update=True)
            if reasons[key]:
                e = lock_error(reasons[key], ds, row.unit, p)
                result.errors.append({"row": n, "field": "period", "code": e.code, "message": str(e.message)})
                continue
            outcome = upsert(row, origin, actor=user, paths=paths)
            setattr(result, outcome, getattr(result, outcome) + 1)
            if outcome != "unchanged":
                changed.setdefault(key, (ds, row.unit, p.start))
        for ds, unit, start in changed.values():
            live.announce(ds, unit, start, "save")
        audit.record("supervision.import", actor=user, object_type="supervision.import", object_id=fmt,
                     after={"rows": len(rows), "created": result.created, "updated": result.updated,
                            "errors": len(result.errors)})
    result.errors.sort(key=lambda e: e["row"])
    return result
