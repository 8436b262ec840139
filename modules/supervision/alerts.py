"""Threshold alerts: a supervisor watches an indicator over a subtree and is told when a county,
community or hospital below crosses it in a month (once per alert, node and month), after each
roll-up."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from jianlian.access.checks import has_perm
from jianlian.audit import service as audit
from jianlian.core.errors import DomainError, PermissionDeniedError
from jianlian.core.i18n import pick
from jianlian.hierarchy.models import OrgUnit
from modules.supervision.aggregates import indicator_values
from modules.supervision.definitions import catalogue
from modules.supervision.models import Alert, AlertFiring, Indicator, Operator
from modules.supervision.notices import notify
from modules.supervision.periods import parse_period

ALERT_LEVELS = ("county", "lead", "hospital")  # what a supervisor watches below their node
_COMPARE = {"<=": lambda a, b: a <= b, "<": lambda a, b: a < b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b,
            ">=": lambda a, b: a >= b, ">": lambda a, b: a > b}


def save_alert(user, *, indicator: str, node_id: int, operator: str, threshold, active: bool = True) -> "Alert":
    """Watch an indicator over a subtree: a supervisor (supervision.view_aggregates at the node)
    is told when a county, community or hospital below it crosses the threshold in a month. The
    same indicator, node and operator again changes that alert's threshold and whether it is
    active. Raises UNKNOWN_INDICATOR, INVALID_OPERATOR, INVALID_VALUE. Audited."""

    node = OrgUnit.objects.filter(pk=node_id).first()
    if node is None or not has_perm(user, "supervision.view_aggregates", node):
        raise PermissionDeniedError()
    ind = Indicator.objects.filter(code=str(indicator or "").strip()).first()
    problems = []
    if ind is None:
        problems.append(DomainError("UNKNOWN_INDICATOR", _("没有这个指标。"), "indicator"))
    if operator not in Operator.values:
        problems.append(DomainError("INVALID_OPERATOR", _("运算符只能是 <、<=、=、!=、>=、>。"), "operator"))
    try:
        number = Decimal(str(threshold))
        if not number.is_finite() or abs(number) >= Decimal("1e14"):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        problems.append(DomainError("INVALID_VALUE", _("阈值必须是数字。"), "threshold"))
    if problems:
        raise DomainError.many(problems)
    with transaction.atomic():
        alert = Alert.objects.select_for_update().filter(indicator=ind, node=node, operator=operator).order_by("pk").first()
        if alert is None:
            alert = Alert.objects.create(indicator=ind, node=node, operator=operator, threshold=number,
                                         active=bool(active), created_by=user.pk)
        else:
            alert.threshold, alert.active = number, bool(active)
            alert.save(update_fields=["threshold", "active"])
        audit.record("supervision.alert", actor=user, object_type="supervision.alert", object_id=str(alert.pk),
                     after={"indicator": ind.code, "node": node.pk, "operator": operator, "threshold": str(number),
                            "active": bool(active)})
    return alert


def _watched(user, node_id: int) -> OrgUnit:
    node = OrgUnit.objects.filter(pk=node_id).first()
    if node is None or not has_perm(user, "supervision.view_aggregates", node):
        raise PermissionDeniedError()
    return node


def alerts(user, node_id: int) -> list["Alert"]:
    """The alerts set at the node or below it. Who: supervision.view_aggregates at the node."""

    node = _watched(user, node_id)
    return list(Alert.objects.filter(node__tree_id=node.tree_id, node__lft__gte=node.lft, node__rght__lte=node.rght)
                .select_related("indicator", "node").order_by("pk"))


def alert_firings(user, node_id: int, period_text=None) -> list["AlertFiring"]:
    """The crossings at the node or below it (of a period's months, when given), newest first.
    Who: supervision.view_aggregates at the node."""

    node = _watched(user, node_id)
    firings = AlertFiring.objects.filter(node__tree_id=node.tree_id, node__lft__gte=node.lft, node__rght__lte=node.rght)
    if period_text:
        period = parse_period(period_text)
        firings = firings.filter(period__gte=period.start, period__lt=period.end)
    return list(firings.select_related("alert__indicator", "node").order_by("-period", "-fired_at", "-pk"))


def check_alerts(months: list[dt.date]) -> int:
    """After a roll-up: evaluate every active alert for the months, at each county, community and
    hospital below its node, and tell the alert node's supervisors of each new crossing (once per
    alert, node and month). Returns how many fired."""

    fired = 0
    elements = catalogue()
    for alert in Alert.objects.filter(active=True).select_related("indicator", "node"):
        root = alert.node
        nodes = OrgUnit.objects.filter(tree_id=root.tree_id, lft__gte=root.lft, rght__lte=root.rght, level__in=ALERT_LEVELS)
        for month in months:
            period = parse_period(month.strftime("%Y-%m"))
            for node in nodes:
                [row] = indicator_values(node, period, [alert.indicator], elements=elements)
                value = row["value"]
                if value is None or not _COMPARE[alert.operator](Decimal(str(value)), alert.threshold):
                    continue
                firing, created = AlertFiring.objects.get_or_create(alert=alert, node=node, period=month,
                                                                    defaults={"value": Decimal(str(value))})
                if created:
                    fired += 1
                    indicator = lambda: pick(alert.indicator.name, alert.indicator.name_en)  # noqa: E731
                    notify(root, "supervision.view_aggregates",
                           lambda: _("指标预警：%(node)s %(indicator)s") % {"node": node.name, "indicator": indicator()},
                           lambda: _("%(period)s %(node)s 的「%(indicator)s」为 %(value)s，%(op)s 预警阈值 %(threshold)s。") % {
                               "period": month.strftime("%Y-%m"), "node": node.name, "indicator": indicator(),
                               "value": value, "op": Operator(alert.operator).label, "threshold": alert.threshold})
    return fired
