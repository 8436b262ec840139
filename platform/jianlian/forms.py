"""Forms: JSON Schema (what the data is) plus a UI schema (how it is shown), validated here with
`jsonschema` — the server is the authority; the browser's validation is a convenience.

Field kinds and how they are written (the designer writes these; `templates_builtin.py` has
examples of each):

| kind | JSON Schema | UI schema |
| --- | --- | --- |
| text / multi-line | `{"type": "string", "maxLength": 200}` | `"ui:widget": "textarea"` for multi-line |
| number / money | `{"type": "number", "minimum": 0}` (`"multipleOf": 0.01` for money) | `"ui:widget": "money"` |
| date | `{"type": "string", "format": "date"}` | |
| date range with duration | `{"type": "object", "x-kind": "dateRange", "properties": {"start", "end"}}` — the server adds `days` | |
| single / multiple choice | `{"enum": [...]}` / `{"type": "array", "items": {"enum": [...]}, "uniqueItems": true}` | |
| person / department picker | `{"type": "array", "items": {"type": "integer"}, "x-kind": "person" or "department"}` | |
| attachment / image | `{"type": "array", "x-kind": "file", "items": {"type": "object", "properties": {"name", "url"}}}` | |
| detail table (明细) with sum | `{"type": "array", "x-kind": "table", "x-sum": {"of": "amount", "into": "total"}, "items": {...}}` | |
| description text | no property; `"ui:description"` in the UI schema | |
| conditional visibility | JSON Schema `if` / `then` (a field required only when another has a value) | `"ui:hidden"` rules for the client |

Errors name the field as a path under the input field `data` (`data.items.0.amount`),
each with a stable code (REQUIRED, TOO_LONG, INVALID) and a Chinese message.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import SchemaError

from jianlian.core.errors import DomainError

KEY_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,39}$")  # camelCase: keys are error paths
MAX_FIELDS = 80
_checker = FormatChecker()


def check_form_schema(schema, field: str = "formSchema") -> dict:
    """A form definition we can render and validate: an object schema whose properties each have
    a title and a safe key. Raises INVALID_FORM_SCHEMA naming the offending property."""
    def bad(message, where=""):
        raise DomainError("INVALID_FORM_SCHEMA", message, f"{field}.{where}" if where else field)

    if not isinstance(schema, dict) or schema.get("type") != "object" or not isinstance(schema.get("properties"), dict):
        bad(_("表单须是一个对象（type 为 object，含 properties）。"))
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as e:
        bad(_("表单定义不符合 JSON Schema：%(detail)s") % {"detail": e.message[:200]}, ".".join(str(p) for p in e.path))
    props = schema["properties"]
    if not props or len(props) > MAX_FIELDS:
        bad(_("表单须有 1 到 %(n)s 个字段。") % {"n": MAX_FIELDS})
    for key, prop in props.items():
        if not KEY_RE.match(key):
            bad(_("字段代码只能由字母和数字组成，且以字母开头（如 leaveType）。"), f"properties.{key}")
        if not isinstance(prop, dict) or not str(prop.get("title") or "").strip():
            bad(_("每个字段都要有标题（title）。"), f"properties.{key}")
        if prop.get("x-kind") == "table" and prop.get("x-sum"):
            into = prop["x-sum"].get("into")
            if into not in props:
                bad(_("明细合计的目标字段不存在。"), f"properties.{key}")
    return schema


def _pointer(path, root: str = "data") -> str:
    return ".".join([root, *[str(p) for p in path]])


def _message(error) -> tuple[str, str, list]:
    """(code, message, path) of one jsonschema error, in words a user understands."""
    path = list(error.absolute_path)
    v = error.validator
    if v == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        return "REQUIRED", _("此项为必填。"), path + missing[:1]
    if v == "maxLength":
        return "TOO_LONG", _("不能超过%(n)s个字。") % {"n": error.validator_value}, path
    if v == "minLength":
        return "REQUIRED", _("此项为必填。"), path
    if v in ("minimum", "exclusiveMinimum"):
        return "INVALID", _("不能小于%(n)s。") % {"n": error.validator_value}, path
    if v in ("maximum", "exclusiveMaximum"):
        return "INVALID", _("不能大于%(n)s。") % {"n": error.validator_value}, path
    if v == "enum":
        return "INVALID", _("请从选项中选择。"), path
    if v == "format":
        return "INVALID", _("日期格式不正确（应为 YYYY-MM-DD）。") if error.validator_value == "date" else _("格式不正确。"), path
    if v == "type":
        return "INVALID", _("类型不正确。"), path
    if v in ("minItems", "maxItems"):
        return "INVALID", _("条数不符合要求。"), path
    if v == "additionalProperties":
        return "INVALID", _("表单中有未定义的字段。"), path
    if v == "multipleOf":
        return "INVALID", _("最多保留两位小数。"), path
    return "INVALID", _("填写的内容不正确。"), path


def _computed(schema: dict, data: dict, problems: list[DomainError], root: str = "data") -> dict:
    """Fill in what the server computes: days of a date range, sums of detail tables."""
    out = dict(data)
    for key, prop in schema["properties"].items():
        value = out.get(key)
        if prop.get("x-kind") == "dateRange" and isinstance(value, dict):
            try:
                start, end = dt.date.fromisoformat(value.get("start")), dt.date.fromisoformat(value.get("end"))
            except (TypeError, ValueError):
                continue  # the schema's format check reports it
            if end < start:
                problems.append(DomainError("INVALID", _("结束日期不能早于开始日期。"), _pointer([key, "end"], root)))
                continue
            days = (end - start).days + 1
            if value.get("startHalf") == "pm":
                days -= 0.5
            if value.get("endHalf") == "am":
                days -= 0.5
            out[key] = {**value, "days": days}
        if prop.get("x-kind") == "table" and prop.get("x-sum") and isinstance(value, list):
            of, into = prop["x-sum"]["of"], prop["x-sum"]["into"]
            total = sum((Decimal(str(row.get(of) or 0)) for row in value if isinstance(row, dict)), Decimal(0))
            out[into] = float(total.quantize(Decimal("0.01")))
    return out


def _pickers(schema: dict, data: dict, problems: list[DomainError], root: str = "data") -> None:
    """Person and department pickers must name people and departments of this tenant."""
    from jianlian.org.models import Department, StaffProfile

    for key, prop in schema["properties"].items():
        kind, value = prop.get("x-kind"), data.get(key)
        if kind not in ("person", "department") or not isinstance(value, list) or not value:
            continue
        ids = {v for v in value if isinstance(v, int)}
        if kind == "person":
            known = set(StaffProfile.objects.filter(user_id__in=ids).values_list("user_id", flat=True))
            message = _("所选人员不在本单位。")
        else:
            known = set(Department.objects.filter(pk__in=ids).values_list("pk", flat=True))
            message = _("所选科室不存在。")
        for i, v in enumerate(value):
            if v not in known:
                problems.append(DomainError("INVALID", message, _pointer([key, i], root)))


def validate_data(schema: dict, data, *, field: str = "data") -> dict:
    """The submission checked against the form: every problem at once, each with its field; the
    computed values filled in. Raises DomainError (with all problems) when anything is wrong."""
    if not isinstance(data, dict):
        raise DomainError("INVALID", _("表单内容须是一个对象。"), field)
    validator = Draft202012Validator(schema, format_checker=_checker)
    found: dict[str, DomainError] = {}
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        code, message, path = _message(error)
        pointer = _pointer(path, field)
        found.setdefault(pointer, DomainError(code, message, pointer))  # one message per field
    if found:
        raise DomainError.many([found[k] for k in sorted(found)])
    problems: list[DomainError] = []
    out = _computed(schema, data, problems, field)
    _pickers(schema, out, problems, field)
    if problems:
        raise DomainError.many(problems)
    return out


def visible_data(data: dict, rights: dict) -> dict:
    """The data without the fields hidden from this reader."""
    return {k: v for k, v in data.items() if rights.get(k) != "hidden"}


def merge_edits(schema: dict, data: dict, edits, rights: dict) -> dict:
    """An approver's changes (input field `edits`) to the fields editable at their node,
    validated as a whole; problems are named under `edits`."""
    if not isinstance(edits, dict):
        raise DomainError("INVALID", _("表单内容须是一个对象。"), "edits")
    problems = [DomainError("FIELD_NOT_EDITABLE", _("此字段在当前节点不可修改。"), _pointer([k], "edits"))
                for k in edits if rights.get(k) != "editable"]
    if problems:
        raise DomainError.many(problems)
    return validate_data(schema, {**data, **edits}, field="edits")
