"""Excel import and export of departments and staff (openpyxl), and the row engine that the
directory sync shares.

The workbook has two sheets, 「科室」 and 「人员」, with the headers of `DEPARTMENT_COLUMNS` and
`STAFF_COLUMNS` (a trailing * marks a required column). An import:
- validates every row first and names each problem by sheet, row and column, in Chinese, with a
  stable code;
- `dry_run` stops there and writes nothing (the preview: what would be created, updated, left);
- mode `all_or_nothing` writes nothing when any row has an error; `valid_only` writes the valid
  rows and reports the others;
- is idempotent: a staff number that exists is updated, a row that matches what is stored is
  counted unchanged and not written, so importing the same file twice changes nothing;
- writes in one transaction with bulk statements (10,000 rows in seconds), with one audit record
  listing the staff numbers created and updated;
- reports progress through a callback (`TenantTask.report_progress` when run as a job).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop as N_

from jianlian.audit import service as audit
from jianlian.core.errors import DomainError
from jianlian.core.validators import validate_id_number, validate_mobile
from jianlian.identity.models import mobile_suffix_indexes
from jianlian.org.models import (
    Department, DepartmentCategory, DepartmentKind, DepartmentMembership, EmploymentType, ImportJob, StaffProfile,
    StaffStatus, Tag,
)
from jianlian.org.pinyin import name_keys
from jianlian.org.services import group_refused

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
MODES = ("all_or_nothing", "valid_only")
DEPARTMENT_SHEET = N_("科室")
STAFF_SHEET = N_("人员")

# key, header (Chinese, as in the template), required
DEPARTMENT_COLUMNS = (
    ("code", N_("科室编码"), True), ("name", N_("科室名称"), True), ("parent", N_("上级科室编码"), False),
    ("kind", N_("类型"), False), ("category", N_("类别"), False), ("unit", N_("所属单位"), False),
)
STAFF_COLUMNS = (
    ("staff_no", N_("工号"), True), ("name", N_("姓名"), True), ("id_number", N_("身份证号"), True), ("mobile", N_("手机号"), True),
    ("department", N_("主科室编码"), True), ("other_departments", N_("其他科室编码"), False), ("unit", N_("所属单位"), False),
    ("post", N_("岗位"), False), ("position", N_("职务"), False), ("title", N_("职称"), False), ("grade", N_("级别"), False),
    ("employment_type", N_("用工类型"), False), ("office_phone", N_("办公电话"), False), ("email", N_("电子邮箱"), False),
    ("tags", N_("标签"), False),
)
PROFILE_FIELDS = ("name", "mobile", "unit_id", "post", "position", "title", "grade", "employment_type",
                  "office_phone", "email")
_SPLIT = re.compile(r"[,，、;；\s]+")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

Progress = Callable[[int, int, str], object]


@dataclass
class Row:
    number: int  # the spreadsheet row (or the record's position for a directory)
    values: dict
    letters: dict  # key -> column letter ("" for a directory)


@dataclass
class Report:
    dry_run: bool
    mode: str
    applied: bool = False
    departments: dict = field(default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0})
    staff: dict = field(default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0})
    errors: list = field(default_factory=list)
    rows: int = 0

    def error(self, sheet: str, row: Row, key: str, code: str, message) -> None:
        header = dict((k, h) for k, h, _r in (DEPARTMENT_COLUMNS if sheet == DEPARTMENT_SHEET else STAFF_COLUMNS)).get(key, key)
        text = _g("「%(sheet)s」第%(row)s行「%(column)s」列：%(message)s") % {
            "sheet": _g(sheet), "row": row.number, "column": _g(header), "message": message}
        self.errors.append({"sheet": sheet, "row": row.number, "column": header, "column_letter": row.letters.get(key, ""),
                            "field": key, "code": code, "message": text})

    def as_dict(self) -> dict:
        return {"dry_run": self.dry_run, "mode": self.mode, "applied": self.applied, "rows": self.rows,
                "departments": self.departments, "staff": self.staff, "errors": self.errors}


# --- reading and writing workbooks ---------------------------------------------------------------

def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "date") and hasattr(value, "isoformat"):
        return value.date().isoformat() if hasattr(value, "hour") else value.isoformat()
    return str(value).strip()


def sheet_rows(ws, columns) -> list[Row]:
    """The non-empty rows of a sheet whose header names `columns` ((key, header, required), a
    trailing * ignored); INVALID_FILE naming the missing required columns."""
    from openpyxl.utils import get_column_letter

    rows = ws.iter_rows(values_only=True)
    header = next(rows, None) or ()
    wanted = {h: k for k, h, _r in columns}
    index = {}
    for i, title in enumerate(header):
        key = wanted.get(_cell(title).rstrip("*＊ ").strip())
        if key:
            index[key] = i
    missing = [h for k, h, required in columns if required and k not in index]
    if missing:
        raise DomainError("INVALID_FILE", _("「%(sheet)s」表缺少必填列：%(columns)s。请使用下载的模板。") % {
            "sheet": ws.title, "columns": "、".join(missing)}, "file")
    letters = {k: get_column_letter(i + 1) for k, i in index.items()}
    out = []
    for n, values in enumerate(rows, start=2):
        record = {k: _cell(values[i]) if i < len(values) else "" for k, i in index.items()}
        if any(record.values()):
            out.append(Row(n, record, letters))
        if len(out) > MAX_ROWS:
            raise DomainError("FILE_TOO_LARGE", _("一次最多导入%(n)s行。") % {"n": MAX_ROWS}, "file")
    return out


def open_workbook(data: bytes):
    """An uploaded .xlsx opened read-only (close it after); FILE_TOO_LARGE or INVALID_FILE.
    Shared with the other Excel imports (e.g. the learning centre's question bank)."""
    from openpyxl import load_workbook

    if len(data) > MAX_FILE_BYTES:
        raise DomainError("FILE_TOO_LARGE", _("文件不能超过20MB。"), "file")
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise DomainError("INVALID_FILE", _("无法读取文件，请上传由模板填写的 .xlsx 文件。"), "file") from None


def read_workbook(data: bytes) -> tuple[list[Row], list[Row]]:
    """(department rows, staff rows) of an uploaded .xlsx; INVALID_FILE when it cannot be read."""
    wb = open_workbook(data)
    try:
        if STAFF_SHEET not in wb.sheetnames and DEPARTMENT_SHEET not in wb.sheetnames:
            raise DomainError("INVALID_FILE", _("文件中没有「科室」或「人员」工作表，请使用下载的模板。"), "file")
        depts = sheet_rows(wb[DEPARTMENT_SHEET], DEPARTMENT_COLUMNS) if DEPARTMENT_SHEET in wb.sheetnames else []
        staff = sheet_rows(wb[STAFF_SHEET], STAFF_COLUMNS) if STAFF_SHEET in wb.sheetnames else []
    finally:
        wb.close()
    return depts, staff


def write_workbook(dept_rows: list[list], staff_rows: list[list]) -> bytes:
    """A workbook in the template's layout (text-formatted number columns, required marked *)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for title, columns, rows in ((DEPARTMENT_SHEET, DEPARTMENT_COLUMNS, dept_rows), (STAFF_SHEET, STAFF_COLUMNS, staff_rows)):
        ws = wb.create_sheet(title)
        ws.append([h + ("*" if required else "") for _k, h, required in columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for i, (_k, h, _r) in enumerate(columns, start=1):
            ws.column_dimensions[ws.cell(1, i).column_letter].width = max(10, len(h) * 2 + 4)
        for row in rows:
            ws.append(row)
        # ID numbers, mobiles and staff numbers are text: Excel would round an 18-digit number.
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.number_format = "@"
    notes = wb.create_sheet("填写说明")
    for line in (
        "带 * 的列必填。工号用于识别人员：再次导入相同工号将更新该人员，不会重复创建。",
        "身份证号须为18位（GB 11643），手机号为11位；请将这些列设置为文本格式。",
        "主科室编码、其他科室编码须为「科室」表或系统中已有的科室编码，多个用逗号分隔。",
        "用工类型填写「本院职工」或「第三方人员」；标签多个用逗号分隔（如 主任,护士长）。",
        "科室类型填写 分组、科室 或 病区；类别填写 职能、临床、门诊、医技、医保、检验 或 其他。",
        "所属单位填写本医共体内的单位名称，留空表示牵头单位（医院本部）。",
    ):
        notes.append([line])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def template() -> bytes:
    """The empty template to download."""
    return write_workbook([], [])


def export_workbook(actor) -> bytes:
    """Every department and every staff profile that has not left, in the template's layout (so
    an export can be edited and imported back). Who: `org.manage`. Audited (it holds ID numbers)."""
    from jianlian.hierarchy.models import OrgUnit
    from jianlian.identity.models import User
    from jianlian.access.helpers import require_tenant
    from jianlian.org.services import require_manage

    require_manage(actor)
    tenant = require_tenant()
    unit_names = dict(OrgUnit.objects.filter(pk__in=tenant.org_unit.get_descendants(include_self=True)).values_list("pk", "name"))
    kinds, categories = dict(DepartmentKind.choices), dict(DepartmentCategory.choices)
    depts = list(Department.objects.select_related("parent").order_by("tree_id", "lft"))
    dept_rows = [[d.code, d.name, d.parent.code if d.parent else "", str(kinds[d.kind]), str(categories[d.category]),
                  "" if d.unit_id == tenant.org_unit_id else unit_names.get(d.unit_id, "")] for d in depts]
    staff = list(StaffProfile.objects.exclude(status=StaffStatus.LEFT).order_by("staff_no"))
    ids = dict(User.objects.filter(pk__in=[s.user_id for s in staff]).values_list("pk", "id_number"))
    links: dict[int, list] = {}
    for staff_id, code, primary in DepartmentMembership.objects.values_list("staff_id", "department__code", "is_primary").order_by("-is_primary", "department__code"):
        links.setdefault(staff_id, []).append((code, primary))
    tags: dict[int, list] = {}
    for staff_id, name in StaffProfile.tags.through.objects.values_list("staffprofile_id", "tag__name").order_by("tag__name"):
        tags.setdefault(staff_id, []).append(name)
    employment = dict(EmploymentType.choices)
    staff_rows = []
    for s in staff:
        mine = links.get(s.pk, [])
        staff_rows.append([
            s.staff_no, s.name, ids.get(s.user_id, ""), s.mobile, next((c for c, p in mine if p), ""),
            ",".join(c for c, p in mine if not p), "" if s.unit_id == tenant.org_unit_id else unit_names.get(s.unit_id, ""),
            s.post, s.position, s.title, s.grade, str(employment[s.employment_type]), s.office_phone, s.email,
            ",".join(tags.get(s.pk, [])),
        ])
    audit.record("org.export", actor=actor, object_type="org.staffprofile", after={"staff": len(staff_rows), "departments": len(dept_rows)})
    return write_workbook(dept_rows, staff_rows)


# --- the engine ----------------------------------------------------------------------------------

def _choice(value: str, choices) -> str | None:
    """A choice by its value or its Chinese label; '' gives None (the default)."""
    if not value:
        return None
    for key, label in choices:
        if value in (key, str(label)):
            return key
    return ""


class _Engine:
    def __init__(self, actor, report: Report, progress: Progress | None):
        from jianlian.hierarchy.models import OrgUnit
        from jianlian.access.helpers import require_tenant

        self.actor, self.report, self.progress = actor, report, progress
        self.tenant = require_tenant()
        units = OrgUnit.objects.filter(pk__in=self.tenant.org_unit.get_descendants(include_self=True))
        self.units = {}
        for pk, name, short in units.values_list("pk", "name", "short_name"):
            self.units[name] = pk
            if short:
                self.units.setdefault(short, pk)
        self.root_unit = self.tenant.org_unit_id
        self.departments = {d.code: d for d in Department.objects.all()}
        self.total = 0
        self.done = 0

    def tick(self, n: int, message) -> None:
        self.done += n
        if self.progress is not None:
            self.progress(self.done, self.total, str(message))

    def finish(self, message) -> None:
        """The last progress report: everything done (unchanged rows are never written)."""
        self.done = self.total
        self.tick(0, message)

    def unit(self, value: str) -> int | None:
        return self.root_unit if not value else self.units.get(value)

    # departments ---------------------------------------------------------------------------------
    def check_departments(self, rows: list[Row]) -> list[tuple[Row, dict]]:
        r, sheet, valid, seen = self.report, DEPARTMENT_SHEET, [], {}
        for row in rows:
            v, bad = row.values, False
            for key, header, required in DEPARTMENT_COLUMNS:
                if required and not v.get(key):
                    r.error(sheet, row, key, "REQUIRED", _g("必填项为空。"))
                    bad = True
            code = v.get("code", "")
            if code in seen:
                r.error(sheet, row, "code", "DEPARTMENT_CODE_TAKEN", _g("科室编码与第%(row)s行重复。") % {"row": seen[code]})
                bad = True
            kind = _choice(v.get("kind", ""), DepartmentKind.choices)
            category = _choice(v.get("category", ""), DepartmentCategory.choices)
            if kind == "" or category == "":
                r.error(sheet, row, "kind" if kind == "" else "category", "INVALID_DEPARTMENT_KIND",
                        _g("类型应为分组、科室或病区；类别应为职能、临床、门诊、医技、医保、检验或其他。"))
                bad = True
            unit = self.unit(v.get("unit", ""))
            if unit is None:
                r.error(sheet, row, "unit", "UNKNOWN_UNIT", _g("单位「%(name)s」不属于本医共体（医院）。") % {"name": v["unit"]})
                bad = True
            if len(code) > 32 or len(v.get("name", "")) > 60:
                r.error(sheet, row, "name", "TOO_LONG", _g("科室编码不超过32位，名称不超过60字。"))
                bad = True
            if not bad:
                seen[code] = row.number
                valid.append((row, {"code": code, "name": v["name"], "parent": v.get("parent", ""), "kind": kind,
                                    "category": category, "unit_id": unit}))
        # parents must exist, in the file or already
        known = set(self.departments) | {d["code"] for _row, d in valid}
        out = []
        for row, d in valid:
            if d["parent"] and d["parent"] not in known:
                r.error(sheet, row, "parent", "UNKNOWN_DEPARTMENT", _g("上级科室「%(code)s」不存在。") % {"code": d["parent"]})
                known.discard(d["code"])
            else:
                out.append((row, d))
        self.valid_department_codes = known
        # grouping nodes (分组) hold departments, not people: as the file leaves them, else as they are
        kinds = {code: d.kind for code, d in self.departments.items()} | {d["code"]: d["kind"] for _row, d in out if d["kind"]}
        self.group_codes = {code for code, kind in kinds.items() if kind == DepartmentKind.GROUP}
        return out

    def write_departments(self, valid: list[tuple[Row, dict]]) -> None:
        pending = list(valid)
        while pending:
            later = []
            for row, d in pending:
                if d["parent"] and d["parent"] not in self.departments:
                    later.append((row, d))
                    continue
                self._save_department(d)
            if len(later) == len(pending):  # a cycle in the file: report and stop
                for row, d in later:
                    self.report.error(DEPARTMENT_SHEET, row, "parent", "UNKNOWN_DEPARTMENT", _g("上级科室形成循环。"))
                return
            pending = later

    def _save_department(self, d: dict) -> None:
        parent = self.departments.get(d["parent"]) if d["parent"] else None
        existing = self.departments.get(d["code"])
        category = d["category"] or (existing.category if existing else (parent.category if parent else DepartmentCategory.OTHER))
        kind = d["kind"] or (existing.kind if existing else DepartmentKind.DEPARTMENT)
        unit_id = parent.unit_id if parent and not d["unit_id"] else d["unit_id"]
        wanted = {"name": d["name"], "kind": kind, "category": category, "unit_id": unit_id,
                  "parent_id": parent.pk if parent else None}
        counts = self.report.departments
        if existing is None:
            if not self.report.dry_run:
                self.departments[d["code"]] = Department.objects.create(code=d["code"], parent=parent,
                                                                         **{k: v for k, v in wanted.items() if k != "parent_id"})
            else:
                self.departments[d["code"]] = Department(code=d["code"], **wanted)
            counts["created"] += 1
        elif any(getattr(existing, k) != v for k, v in wanted.items()):
            if not self.report.dry_run:
                for k, v in wanted.items():
                    setattr(existing, k if k != "parent_id" else "parent", v if k != "parent_id" else parent)
                existing.save()
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1

    # staff ---------------------------------------------------------------------------------------
    def check_staff(self, rows: list[Row]) -> list[tuple[Row, dict]]:
        from jianlian.identity.models import id_number_blind_index
        from jianlian.org.services import validate_office_phone, validate_staff_no

        r, sheet, valid, seen = self.report, STAFF_SHEET, [], {}
        for i, row in enumerate(rows, 1):
            v, bad = row.values, False
            for key, header, required in STAFF_COLUMNS:
                if required and not v.get(key):
                    r.error(sheet, row, key, "REQUIRED", _g("必填项为空。"))
                    bad = True
            rec = {k: v.get(k, "") for k, _h, _r in STAFF_COLUMNS}
            if rec["staff_no"]:
                try:
                    validate_staff_no(rec["staff_no"])
                except DomainError as e:
                    r.error(sheet, row, "staff_no", e.code, e.message)
                    bad = True
                if rec["staff_no"] in seen:
                    r.error(sheet, row, "staff_no", "DUPLICATE_STAFF_NO",
                            _g("工号与第%(row)s行重复。") % {"row": seen[rec["staff_no"]]})
                    bad = True
                else:
                    seen[rec["staff_no"]] = row.number
            for key, fn in (("id_number", validate_id_number), ("mobile", validate_mobile)):
                if rec[key]:
                    try:
                        rec[key] = fn(rec[key])
                    except ValidationError as e:
                        r.error(sheet, row, key, e.code, e.messages[0])
                        bad = True
            if len(rec["name"]) > 50:
                r.error(sheet, row, "name", "TOO_LONG", _g("姓名不能超过50个字。"))
                bad = True
            if rec["department"] and rec["department"] not in self.valid_department_codes:
                r.error(sheet, row, "department", "UNKNOWN_DEPARTMENT", _g("科室编码「%(code)s」不存在。") % {"code": rec["department"]})
                bad = True
            others = [c for c in _SPLIT.split(rec["other_departments"]) if c and c != rec["department"]]
            unknown = [c for c in others if c not in self.valid_department_codes]
            if unknown:
                r.error(sheet, row, "other_departments", "UNKNOWN_DEPARTMENT",
                        _g("科室编码「%(code)s」不存在。") % {"code": "、".join(unknown)})
                bad = True
            for key, codes in (("department", [rec["department"]]), ("other_departments", others)):
                groups = [c for c in codes if c in self.group_codes]
                if groups:
                    r.error(sheet, row, key, "DEPARTMENT_IS_GROUP", str(group_refused("、".join(groups)).message))
                    bad = True
            unit = self.unit(rec["unit"])
            if unit is None:
                r.error(sheet, row, "unit", "UNKNOWN_UNIT", _g("单位「%(name)s」不属于本医共体（医院）。") % {"name": rec["unit"]})
                bad = True
            employment = _choice(rec["employment_type"], EmploymentType.choices)
            if employment == "":
                r.error(sheet, row, "employment_type", "INVALID_EMPLOYMENT_TYPE", _g("用工类型应为本院职工或第三方人员。"))
                bad = True
            try:
                rec["office_phone"] = validate_office_phone(rec["office_phone"])
            except DomainError as e:
                r.error(sheet, row, "office_phone", e.code, e.message)
                bad = True
            if rec["email"] and not _EMAIL.match(rec["email"]):
                r.error(sheet, row, "email", "INVALID", _g("电子邮箱格式不正确。"))
                bad = True
            if any(len(rec[k]) > 60 for k in ("post", "position", "title", "grade")):
                r.error(sheet, row, "post", "TOO_LONG", _g("岗位、职务、职称、级别均不超过60字。"))
                bad = True
            if not bad:
                rec.update(unit_id=unit, employment_type=employment or EmploymentType.OWN, others=sorted(set(others)),
                           tag_names=sorted({t for t in _SPLIT.split(rec["tags"]) if t}),
                           id_index=id_number_blind_index(rec["id_number"]))
                valid.append((row, rec))
            if i % 1000 == 0:
                self.tick(1000, _("正在校验人员数据……"))
        self.tick(len(rows) % 1000, _("校验完成。"))
        return self._check_against_database(valid)

    def _check_against_database(self, valid: list[tuple[Row, dict]]) -> list[tuple[Row, dict]]:
        from jianlian.identity.models import User, mobile_blind_index

        r, sheet = self.report, STAFF_SHEET
        profiles = {p.staff_no: p for p in StaffProfile.objects.filter(staff_no__in=[rec["staff_no"] for _r, rec in valid])}
        profile_user_ids = set(StaffProfile.objects.values_list("user_id", flat=True))
        users_by_index = dict(User.objects.filter(id_number_index__in=[rec["id_index"] for _r, rec in valid])
                              .values_list("id_number_index", "pk"))
        for _r, rec in valid:
            rec["mobile_index"] = mobile_blind_index(rec["mobile"])
        users_by_mobile = dict(User.objects.filter(mobile_index__in=[rec["mobile_index"] for _r, rec in valid])
                               .values_list("mobile_index", "pk"))
        index_of_user = {pk: idx for idx, pk in users_by_index.items()}
        missing_index = [p.user_id for p in profiles.values() if p.user_id not in index_of_user]
        index_of_user.update(User.objects.filter(pk__in=missing_index).values_list("pk", "id_number_index"))
        out, new_ids, new_mobiles = [], {}, {}
        for row, rec in valid:
            profile = profiles.get(rec["staff_no"])
            if profile is not None:
                if profile.status == StaffStatus.LEFT:
                    r.error(sheet, row, "staff_no", "STAFF_HAS_LEFT", _g("该工号的人员已离职；重新入职请办理入职登记。"))
                    continue
                if index_of_user.get(profile.user_id) != rec["id_index"]:
                    r.error(sheet, row, "id_number", "ID_NUMBER_MISMATCH", _g("身份证号与该工号已登记的人员不一致。"))
                    continue
                rec["profile"], rec["user_id"] = profile, profile.user_id
            else:
                user_id = users_by_index.get(rec["id_index"])
                if user_id is not None and user_id in profile_user_ids:
                    r.error(sheet, row, "id_number", "ALREADY_ONBOARDED", _g("此人已在本单位登记，工号不同。"))
                    continue
                if user_id is None:
                    owner = users_by_mobile.get(rec["mobile_index"])
                    if owner is not None:
                        r.error(sheet, row, "mobile", "MOBILE_TAKEN", _g("该手机号已登记为其他人员。"))
                        continue
                    if rec["id_index"] in new_ids or rec["mobile"] in new_mobiles:
                        key = "id_number" if rec["id_index"] in new_ids else "mobile"
                        first = new_ids.get(rec["id_index"]) or new_mobiles.get(rec["mobile"])
                        r.error(sheet, row, key, "ID_NUMBER_TAKEN" if key == "id_number" else "MOBILE_TAKEN",
                                _g("与第%(row)s行重复。") % {"row": first})
                        continue
                    new_ids[rec["id_index"]], new_mobiles[rec["mobile"]] = row.number, row.number
                rec["profile"], rec["user_id"] = None, user_id
            out.append((row, rec))
        return out

    def classify(self, valid: list[tuple[Row, dict]]) -> tuple[list, list]:
        """(rows to create, rows to update); unchanged rows are counted and dropped."""
        existing = [rec["profile"].pk for _r, rec in valid if rec["profile"] is not None]
        links: dict[int, tuple] = {}
        for staff_id, code, primary in DepartmentMembership.objects.filter(staff_id__in=existing).values_list(
                "staff_id", "department__code", "is_primary"):
            p, o = links.get(staff_id, ("", []))
            links[staff_id] = (code, o) if primary else (p, o + [code])
        tags: dict[int, list] = {}
        for staff_id, name in StaffProfile.tags.through.objects.filter(staffprofile_id__in=existing).values_list(
                "staffprofile_id", "tag__name"):
            tags.setdefault(staff_id, []).append(name)
        create, update = [], []
        for row, rec in valid:
            p = rec["profile"]
            if p is None:
                create.append(rec)
                self.report.staff["created"] += 1
                continue
            primary, others = links.get(p.pk, ("", []))
            same = (all(getattr(p, f) == rec[f] for f in PROFILE_FIELDS) and primary == rec["department"]
                    and sorted(others) == rec["others"] and sorted(tags.get(p.pk, [])) == rec["tag_names"])
            if same:
                self.report.staff["unchanged"] += 1
            else:
                update.append(rec)
                self.report.staff["updated"] += 1
        return create, update

    def write_staff(self, create: list[dict], update: list[dict]) -> None:
        from jianlian.access.models import Membership
        from jianlian.identity.models import User, UserStatus

        now, today = timezone.now(), timezone.localdate()
        new_users = [rec for rec in create if rec["user_id"] is None]
        if new_users:
            taken = set(User.objects.filter(username__in=[f"{self.tenant.slug}.{rec['staff_no']}" for rec in new_users])
                        .values_list("username", flat=True))
            password = make_password(None)
            objs = []
            for rec in new_users:
                username = f"{self.tenant.slug}.{rec['staff_no']}"
                if username in taken:
                    username = f"{username}.{rec['mobile'][-4:]}"
                objs.append(User(username=username, mobile=rec["mobile"], mobile_index=rec["mobile_index"], real_name=rec["name"],
                                 id_number=rec["id_number"], id_number_index=rec["id_index"], status=UserStatus.PENDING,
                                 password=password))
            for rec, user in zip(new_users, User.objects.bulk_create(objs, batch_size=2000)):
                rec["user_id"] = user.pk
            self.tick(0, _("已创建账号。"))
        Membership.objects.bulk_create(
            [Membership(user_id=rec["user_id"], tenant=self.tenant, unit_id=rec["unit_id"], staff_no=rec["staff_no"],
                        is_primary=True) for rec in create], batch_size=2000, ignore_conflicts=True)
        profiles = []
        for rec in create:
            pinyin, initials = name_keys(rec["name"])
            profiles.append(StaffProfile(
                user_id=rec["user_id"], staff_no=rec["staff_no"], name_pinyin=pinyin, name_initials=initials,
                mobile_suffixes=mobile_suffix_indexes(rec["mobile"]), status=StaffStatus.ACTIVE, joined_on=today,
                **{f: rec[f] for f in PROFILE_FIELDS}))
        for rec, p in zip(create, StaffProfile.objects.bulk_create(profiles, batch_size=2000)):
            rec["profile"] = p
        self.tick(len(create), _("已写入新人员。"))
        changed = []
        for rec in update:
            p = rec["profile"]
            if p.unit_id != rec["unit_id"]:
                Membership.objects.filter(user_id=p.user_id, tenant=self.tenant, is_primary=True).update(unit_id=rec["unit_id"])
            for f in PROFILE_FIELDS:
                setattr(p, f, rec[f])
            p.name_pinyin, p.name_initials = name_keys(p.name)
            p.mobile_suffixes = mobile_suffix_indexes(p.mobile)
            p.updated_at = now
            changed.append(p)
        StaffProfile.objects.bulk_update(changed, [*PROFILE_FIELDS, "name_pinyin", "name_initials", "mobile_suffixes",
                                                   "updated_at"], batch_size=2000)
        touched = create + update
        ids = [rec["profile"].pk for rec in touched]
        DepartmentMembership.objects.filter(staff_id__in=ids).delete()
        DepartmentMembership.objects.bulk_create(
            [DepartmentMembership(staff_id=rec["profile"].pk, department_id=self.departments[code].pk, is_primary=(j == 0))
             for rec in touched for j, code in enumerate([rec["department"], *rec["others"]])], batch_size=5000)
        names = {n for rec in touched for n in rec["tag_names"]}
        tag_ids = dict(Tag.objects.filter(code__in=names).values_list("code", "pk"))
        tag_ids.update(Tag.objects.filter(name__in=names).values_list("name", "pk"))  # a tag by its name wins
        for name in sorted(names - set(tag_ids)):  # a new tag: its name is its code
            tag_ids[name] = Tag.objects.create(code=name[:40], name=name[:40]).pk
        through = StaffProfile.tags.through
        through.objects.filter(staffprofile_id__in=ids).delete()
        through.objects.bulk_create([through(staffprofile_id=rec["profile"].pk, tag_id=tag_ids[n])
                                     for rec in touched for n in rec["tag_names"]], batch_size=5000)
        self.tick(len(update), _("已更新人员。"))


def import_rows(actor, dept_rows: list[Row], staff_rows: list[Row], *, mode: str = "all_or_nothing",
                dry_run: bool = False, progress: Progress | None = None, source: str = "excel") -> Report:
    """Validate and (unless `dry_run`) write department and staff rows; see the module docstring.
    Who: `org.manage` (actor None is the system: sync jobs). Audited as `org.import` (one record
    listing the staff numbers created and updated)."""
    from jianlian.org.services import require_manage

    require_manage(actor)
    if mode not in MODES:
        raise DomainError("INVALID_IMPORT_MODE", _("导入方式只能是「全部成功才导入」或「仅导入正确的行」。"), "mode")
    report = Report(dry_run=dry_run, mode=mode, rows=len(dept_rows) + len(staff_rows))
    with transaction.atomic():
        engine = _Engine(actor, report, progress)
        engine.total = len(staff_rows) * 2
        valid_depts = engine.check_departments(dept_rows)
        valid_staff = engine.check_staff(staff_rows)
        refuse = bool(report.errors) and mode == "all_or_nothing"
        if refuse or dry_run:
            engine.report.dry_run = dry_run
            sid = transaction.savepoint()
            engine.report.dry_run = True  # count departments without writing
            engine.write_departments(valid_depts)
            engine.classify(valid_staff)
            engine.report.dry_run = dry_run
            transaction.savepoint_rollback(sid)
            report.applied = False
            engine.finish(_("校验完成。"))
            return report
        engine.write_departments(valid_depts)
        create, update = engine.classify(valid_staff)
        engine.write_staff(create, update)
        report.applied = True
        audit.record("org.import", actor=actor, object_type="org.staffprofile", after={
            "source": source, "mode": mode, "departments": report.departments, "staff": report.staff,
            "errors": len(report.errors), "created": [rec["staff_no"] for rec in create],
            "updated": [rec["staff_no"] for rec in update]})
    engine.finish(_("导入完成。"))
    return report


def import_workbook(actor, data: bytes, *, mode: str = "all_or_nothing", dry_run: bool = False,
                    progress: Progress | None = None) -> Report:
    """Import an uploaded workbook (see `import_rows`)."""
    from jianlian.org.services import require_manage

    require_manage(actor)
    depts, staff = read_workbook(data)
    return import_rows(actor, depts, staff, mode=mode, dry_run=dry_run, progress=progress)


def queue_import(actor, data: bytes, *, mode: str) -> ImportJob:
    """Store the workbook and start the background import (progress on `jobProgress(taskId)`).
    Who: `org.manage`. The file is checked to be readable before it is queued."""
    from jianlian.org import tasks
    from jianlian.org.services import require_manage

    require_manage(actor)
    if mode not in MODES:
        raise DomainError("INVALID_IMPORT_MODE", _("导入方式只能是「全部成功才导入」或「仅导入正确的行」。"), "mode")
    read_workbook(data)
    job = ImportJob.objects.create(file=data, mode=mode, created_by_id=getattr(actor, "pk", None))
    result = tasks.import_workbook.apply_async(kwargs={"job_id": job.pk})
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.task_id = str(result.id)
    return job


def run_job(job_id: int, progress: Progress | None = None) -> dict:
    from jianlian.identity.models import User

    job = ImportJob.objects.get(pk=job_id)
    if job.status == ImportJob.Status.DONE:
        return job.report
    actor = User.objects.filter(pk=job.created_by_id).first() if job.created_by_id else None
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    try:
        report = import_workbook(actor, bytes(job.file), mode=job.mode, progress=progress).as_dict()
        status = ImportJob.Status.DONE
    except DomainError as e:
        report, status = {"errors": e.as_dicts(), "applied": False}, ImportJob.Status.FAILED
    ImportJob.objects.filter(pk=job.pk).update(status=status, report=report, finished_at=timezone.now())
    return report
