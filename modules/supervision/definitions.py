"""Definitions: the catalogue of data elements, indicators and validation rules, and their
formulas, checked against the catalogue when saved. Who may change them: province-level holders
of supervision.approve (actor None for seeds)."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _

from jianlian.access.checks import has_perm
from jianlian.audit import service as audit
from jianlian.core.errors import DomainError, PermissionDeniedError
from jianlian.hierarchy.models import OrgUnit
from modules.supervision import formulas, standard
from modules.supervision.models import DataElement, DataSet, Indicator, Operator, ValidationRule

CODE_RE = re.compile(r"^[a-z][a-z0-9_.]{1,59}$")


def catalogue() -> dict[str, DataElement]:
    return {e.code: e for e in DataElement.objects.all()}


def knows(elements: dict[str, DataElement]):
    def known(code: str, option: str):
        e = elements.get(code)
        if e is None:
            return f"unknown data element {code}"
        if option and option not in e.options():
            return f"data element {code} has no option {option}"
        return None

    return known


def check_formula(text: str, field_name: str, elements: dict[str, DataElement] | None = None) -> formulas.Formula:
    """Parse a formula against the catalogue; INVALID_FORMULA (with the reason) otherwise."""
    try:
        return formulas.parse(text, knows(elements if elements is not None else catalogue()))
    except formulas.FormulaError as e:
        raise DomainError("INVALID_FORMULA", _("公式有误：%(reason)s。请使用 #{数据元代码}、#{代码.分类选项}、数字与 + - * / ( )。")
                          % {"reason": e.args[0]}, field_name) from None


def formula_problems(*formulas_and_fields: tuple[str, str]) -> list[DomainError]:
    """Every formula's problem at once (one per field)."""
    elements, problems = catalogue(), []
    for text, field_name in formulas_and_fields:
        try:
            check_formula(text, field_name, elements)
        except DomainError as e:
            problems.append(e)
    return problems


def require_definitions_manager(user) -> None:
    root = OrgUnit.objects.filter(parent__isnull=True, level="province").first()
    if user is not None and not (root and has_perm(user, "supervision.approve", root)):
        raise PermissionDeniedError()


def check_code(code: str) -> str:
    code = (code or "").strip()
    if not CODE_RE.match(code):
        raise DomainError("INVALID_CODE", _("代码须为2–60位小写字母、数字、点或下划线，以字母开头。"), "code")
    return code


def save_indicator(user, *, code: str, name: str, numerator: str, denominator: str = "1", factor: int = 1,
                   unit_label: str = "", source: str = "", description: str = "") -> Indicator:
    """Add or change an indicator; both formulas are validated against the catalogue first.
    Who: province-level holders of supervision.approve (actor None for seeds). Audited."""
    require_definitions_manager(user)
    code = check_code(code)
    problems = []
    name, source = (name or "").strip(), (source or "").strip()
    if not name or len(name) > 150:
        problems.append(DomainError("INVALID", _("请填写指标名称（不超过150字）。"), "name"))
    if not source or len(source) > 300:
        problems.append(DomainError("REQUIRED", _("请注明指标定义的来源（文件名称与文号）。"), "source"))
    if factor not in (1, 100, 1000, 10000, 100000):
        problems.append(DomainError("INVALID", _("系数只能是1、100（百分比）、1000（千分比）、10000或100000。"), "factor"))
    problems += formula_problems((numerator, "numerator"), (denominator or "1", "denominator"))
    if problems:
        raise DomainError.many(problems)
    with transaction.atomic():
        before = Indicator.objects.filter(code=code).values("numerator", "denominator", "factor").first()
        ind, _created = Indicator.objects.update_or_create(code=code, defaults=dict(
            name=name, numerator=numerator.strip(), denominator=(denominator or "1").strip(), factor=factor,
            unit_label=unit_label, source=source, description=description))
        audit.record("supervision.save_indicator", actor=user, object_type="supervision.indicator", object_id=code,
                     before=before, after={"numerator": ind.numerator, "denominator": ind.denominator, "factor": factor})
    return ind


def save_rule(user, *, code: str, name: str, left: str, operator: str, right: str, instruction: str = "") -> ValidationRule:
    """Add or change a validation rule (left side, operator, right side). Who: as save_indicator."""
    require_definitions_manager(user)
    code = check_code(code)
    if operator not in Operator.values:
        raise DomainError("INVALID", _("运算符只能是 <=、<、==、!=、>=、>。"), "operator")
    problems = formula_problems((left, "left"), (right, "right"))
    if problems:
        raise DomainError.many(problems)
    with transaction.atomic():
        rule, _c = ValidationRule.objects.update_or_create(code=code, defaults=dict(
            name=(name or code)[:150], left=left.strip(), operator=operator, right=right.strip(), instruction=instruction[:300]))
        audit.record("supervision.save_rule", actor=user, object_type="supervision.rule", object_id=code,
                     after={"left": rule.left, "operator": operator, "right": rule.right})
    return rule


def ensure_standard_set() -> None:
    """Load the national monitoring set (standard.py) and the standard monthly data set where they
    are missing; never overwrites what the province has edited. Idempotent (the data migrations
    and tests call it)."""
    with transaction.atomic():
        standard.load(DataElement, Indicator, ValidationRule)
        standard.load_topics(DataElement)
        standard.load_data_set(DataSet, DataElement)
