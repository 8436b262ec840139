"""Reads: a node's indicators and its children's (the dashboard and the league table), a trend
over months, the validation rules a unit's values break, its values and entry form, and the
approval state under a node. Every function takes the reader first and checks them
(`access.access_node`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from jianlian.access.checks import has_perm
from jianlian.core.errors import DomainError
from modules.supervision import formulas
from modules.supervision.access import access_node
from modules.supervision.aggregates import Lookup, aggregate, indicator_values, monthly_aggregates
from modules.supervision.datasets import (
    data_set_period, due_date, get_data_set, lock_date, lock_reason, not_assigned, reopened_until,
)
from modules.supervision.definitions import catalogue, knows
from modules.supervision.models import DISAGGREGATIONS, Approval, DataValue, Indicator, Topic, ValidationRule
from modules.supervision.periods import MAX_MONTHS, last_month, month_label, months_back, parse_month, parse_period
from modules.supervision.queue import period_state


def dashboard(user, node_id: int, period_text) -> dict:
    """A supervisor's view of one node: its indicators, and the same for each child (a league
    table), for the period. Who: supervision.view_aggregates at the node (or a unit's own)."""
    node = access_node(user, node_id)
    period = parse_period(period_text)
    elements = catalogue()
    indicators = list(Indicator.objects.all())
    rows = [{"node": node, "values": indicator_values(node, period, indicators, elements=elements)}]
    for child in node.get_children():
        rows.append({"node": child, "values": indicator_values(child, period, indicators, elements=elements)})
    return {"period": period, "rows": rows}


def _indicators(codes) -> list[Indicator]:
    if not codes:
        return list(Indicator.objects.all())
    found = {i.code: i for i in Indicator.objects.filter(code__in=list(codes))}
    missing = [c for c in codes if c not in found]
    if missing:
        raise DomainError("UNKNOWN_INDICATOR", _("没有这个指标：%(code)s。") % {"code": "、".join(missing)}, "indicators")
    return [found[c] for c in codes]


def league(user, node_id: int, period_text, indicator_code: str) -> dict:
    """The node's children ranked by one indicator for the period (highest first; those without
    a value last, unranked). Who: whoever may see the node."""
    [indicator] = _indicators([indicator_code])
    board = dashboard(user, node_id, period_text)
    ranked = []
    for r in board["rows"][1:]:
        value = next(v for v in r["values"] if v["indicator"].pk == indicator.pk)
        ranked.append({"node": r["node"], **value})
    ranked.sort(key=lambda x: (x["value"] is None, -(x["value"] or 0)))
    for i, x in enumerate(ranked, start=1):
        x["rank"] = i if x["value"] is not None else None
    return {"period": board["period"], "node": board["rows"][0]["node"], "indicator": indicator,
            "rows": ranked, "board": board}


def trend(user, node_id: int, indicator_codes, until=None, months: int = 12) -> dict:
    """Each indicator at the node for each of the `months` months ending with `until` (default:
    last month), recomputed per month from that month's aggregated numerator and denominator.
    Who: whoever may see the node."""
    node = access_node(user, node_id)
    last = parse_month(until) if until else last_month()
    months = max(1, min(int(months or 12), MAX_MONTHS))
    span = months_back(last, months)
    indicators = _indicators(indicator_codes)
    elements = catalogue()
    wanted = set()
    for ind in indicators:
        for text in (ind.numerator, ind.denominator or "1"):
            wanted |= formulas.parse(text, knows(elements)).elements
    element_ids = {elements[c].pk for c in wanted if c in elements}
    by_month = monthly_aggregates(node, span, element_ids)
    series = {ind.code: [] for ind in indicators}
    for m in span:
        period = parse_period(month_label(m))
        for row in indicator_values(node, period, indicators, elements=elements, agg=by_month[m]):
            series[row["indicator"].code].append(row["value"])
    return {"node": node, "months": [month_label(m) for m in span],
            "series": [{"indicator": ind, "values": series[ind.code]} for ind in indicators]}


def run_validation(user, unit_id: int, period_text) -> list[dict]:
    """The validation rules that a unit's values for the period violate: [{rule, left, right}].
    A rule whose sides have no data is skipped. Who: whoever may see the unit's values."""
    node = access_node(user, unit_id)
    period = parse_period(period_text)
    elements = catalogue()
    lookup = Lookup(aggregate(node, period), elements)
    ops = {"<=": lambda a, b: a <= b, "<": lambda a, b: a < b, "==": lambda a, b: abs(a - b) < 1e-9,
           "!=": lambda a, b: abs(a - b) >= 1e-9, ">=": lambda a, b: a >= b, ">": lambda a, b: a > b}
    out = []
    for rule in ValidationRule.objects.all():
        left = formulas.parse(rule.left, knows(elements)).evaluate(lookup, period.days)
        right = formulas.parse(rule.right, knows(elements)).evaluate(lookup, period.days)
        if left is None or right is None:
            continue
        if not ops[rule.operator](left, right):
            out.append({"rule": rule, "left": left, "right": right})
    return out


def unit_values(user, unit_id: int, period_text, data_set: str | None = None) -> list[DataValue]:
    """The values a unit reported for a period of a data set (default: every element, monthly).
    Who: whoever may see the unit."""
    unit = access_node(user, unit_id)
    values = DataValue.objects.filter(unit=unit).select_related("element").order_by("element__code", "option")
    if data_set:
        ds = get_data_set(data_set)
        values = values.filter(element__in=ds.elements.all())
    else:
        ds = get_data_set(None)
    return list(values.filter(period=data_set_period(ds, period_text).start))


def approvals(user, node_id: int, period_text, data_set: str | None = None) -> list[Approval]:
    """The approval state of every unit under the node for a period of a data set (default: the
    standard monthly one; an approver's queue). Who: whoever may see the node."""
    node = access_node(user, node_id)
    ds = get_data_set(data_set)
    month = data_set_period(ds, period_text).start
    return list(Approval.objects.filter(data_set=ds, period=month, unit__in=node.get_descendants(include_self=True))
                .select_related("unit", "data_set"))


def entry_form(user, data_set, unit_id: int, period_text) -> dict:
    """What the entry form of a unit's period of a data set shows: the data set, the period, its
    due and lock dates, whether it is locked and why (`lock_reason`), the approval step, one row
    per element (its options, with the current values, comments and outlier flags) and the
    validation rules the values break, the return the period stands at (its reason) and the
    actions the reader has (`queue.period_state`). Who: supervision.report at the unit, or whoever may see
    its aggregates (`can_report` False: read-only). NOT_ASSIGNED when the data set is not the unit's."""
    unit = access_node(user, unit_id)
    ds = get_data_set(data_set)
    period = data_set_period(ds, period_text)
    if not ds.assigned_to(unit):
        raise not_assigned(ds, unit)
    # Grouped by topic (Topic's order: visits, admissions, beds and staff, money, chronic care,
    # population, referrals, other), within one in the catalogue's order. Codes would scatter them.
    topics = list(Topic.values)
    elements = sorted(ds.elements.order_by("pk"), key=lambda e: topics.index(e.topic) if e.topic in topics else len(topics))
    values = {(v.element_id, v.option): v for v in DataValue.objects.filter(unit=unit, period=period.start, element__in=elements)}
    rows = []
    for el in elements:
        labels = dict(DISAGGREGATIONS.get(el.disaggregation, []))
        cells = [{"option": o, "label": labels.get(o, o), "value": values.get((el.pk, o))} for o in (el.options() or [""])]
        rows.append({"element": el, "cells": cells})
    state = period_state(user, unit, ds, period)
    approval = state["approval"]
    return {"can_report": has_perm(user, "supervision.report", unit), "data_set": ds, "unit": unit, "period": period, "due_date": due_date(ds, period),
            "lock_date": lock_date(ds, period), "reopened_until": reopened_until(ds, unit.pk, period.start),
            "lock_reason": lock_reason(ds, unit.pk, period), "step": state["step"], "returned": state["returned"],
            "available_actions": state["available_actions"],
            "on_time": approval.on_time if approval else None, "rows": rows,
            "violations": run_validation(user, unit.pk, period.label)}
