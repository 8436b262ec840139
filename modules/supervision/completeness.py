"""Completeness and timeliness — one rule, read by the dashboard's per-unit list
(`completeness`), the approval queue built on it, and the heat map (`heatmap`), so they cannot
disagree.

The rule: for a node, a data set and a month, the units expected to report are the active units
under the node (in the tree as it is now) that the data set is assigned to, together with every
unit that reported the data set's elements under the node that month (as the tree was then: a
unit that moved away keeps its past months under its old community). A unit has submitted when
its approval is SUBMITTED or further; it was on time when it submitted by the data set's due
date; it is missing once the due date has passed without a submission. The heat map groups the
units by the child of the node they sat under that month (their values' path, or the tree as it
is now for a unit without values).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from jianlian.core.errors import DomainError
from jianlian.hierarchy.models import OrgUnit
from modules.supervision.access import access_node
from modules.supervision.datasets import REPORTING_LEVELS, data_set_period, due_at, get_data_set
from modules.supervision.models import Approval, DataSet, DataValue, Step
from modules.supervision.periods import month_label, month_range, parse_period


@dataclass
class Report:
    """One expected unit's month of a data set."""

    unit: OrgUnit
    path: list[int] | None  # where it reported under the node that month (None: no values; the tree as it is now)
    values: int
    approval: Approval | None

    @property
    def step(self) -> int:
        return self.approval.step if self.approval else Step.OPEN

    @property
    def complete(self) -> bool:
        return self.step >= Step.SUBMITTED

    @property
    def on_time(self) -> bool:
        return bool(self.approval and self.approval.on_time)


def reports(node: OrgUnit, ds: DataSet, months: list[dt.date]) -> dict[dt.date, list[Report]]:
    """The expected units of each month under the node (the rule above), with their values and
    approvals; a fixed number of queries whatever the span."""
    current = [u for u in node.get_descendants(include_self=True).filter(level__in=ds.levels, is_active=True)
               if ds.assigned_to(u)]
    element_ids = list(ds.elements.values_list("pk", flat=True))
    reported: dict[tuple[int, dt.date], tuple[list[int], int]] = {}
    for unit_id, period, path, n in DataValue.objects.filter(path__contains=[node.pk], period__in=months, element_id__in=element_ids
                                                             ).values_list("unit_id", "period", "path").annotate(n=Count("id")):
        reported[(unit_id, period)] = (path, n + reported.get((unit_id, period), (None, 0))[1])
    units = {u.pk: u for u in current}
    moved_in = {unit_id for unit_id, _m in reported} - set(units)
    units.update({u.pk: u for u in OrgUnit.objects.filter(pk__in=moved_in)})
    approvals = {(a.unit_id, a.period): a for a in Approval.objects.filter(data_set=ds, period__in=months, unit_id__in=list(units))}
    out = {}
    for m in months:
        expected = current + [units[i] for i in sorted(moved_in) if (i, m) in reported]
        out[m] = [Report(u, *(reported.get((u.pk, m)) or (None, 0)), approval=approvals.get((u.pk, m))) for u in expected]
    return out


def completeness(user, node_id: int, period_text, data_set: str | None = None) -> list[dict]:
    """Per expected unit under the node for a period of the data set (default: the standard
    monthly one): whether it submitted (complete), on time, its step and how many of the data
    set's values it has. Who: whoever may see the node."""
    node = access_node(user, node_id)
    ds = get_data_set(data_set)
    month = data_set_period(ds, period_text).start
    return [{"unit": r.unit, "values": r.values, "complete": r.complete, "on_time": r.on_time, "step": r.step,
             "approval": r.approval} for r in reports(node, ds, [month])[month]]


def unit_status(approval: Approval | None, due: dt.datetime, now: dt.datetime) -> str:
    """on_time, late (submitted after the due date), missing (due and not submitted) or pending."""
    if approval is not None and approval.step >= Step.SUBMITTED:
        return "on_time" if approval.on_time else "late"
    return "missing" if now > due else "pending"


def heatmap(user, node_id: int, period_from, period_to) -> dict:
    """Completeness and timeliness of the node's children (the node itself first when it
    reports too) for each month from `period_from` to `period_to` of the standard monthly data
    set: per cell how many units are expected, how many submitted, on time, late and missing
    (the rule above). Who: whoever may see the node."""
    node = access_node(user, node_id)
    first = parse_period(period_from, "periodFrom").start
    last = parse_period(period_to, "periodTo").months[-1]
    if last < first:
        raise DomainError("INVALID_PERIOD", _("结束期间不能早于开始期间。"), "periodTo")
    span = month_range(first, last)
    ds = get_data_set(None)  # the standard monthly set: the heat map is by month
    by_month = reports(node, ds, span)
    rows = ([node] if node.level in REPORTING_LEVELS else []) + list(node.get_children().filter(is_active=True))
    row_ids = {r.pk for r in rows}
    # a unit that reported under a child no longer below the node still counts under that child
    strays = {r.path[r.path.index(node.pk) + 1] for reps in by_month.values() for r in reps
              if r.path and r.unit.pk != node.pk and r.path[r.path.index(node.pk) + 1] not in row_ids}
    rows += list(OrgUnit.objects.filter(pk__in=strays).order_by("tree_id", "lft"))

    def row_of(r: Report) -> int | None:
        if r.unit.pk == node.pk:
            return node.pk
        if r.path:
            return r.path[r.path.index(node.pk) + 1]
        u = r.unit
        return next((x.pk for x in rows if x.pk != node.pk and x.tree_id == u.tree_id and x.lft <= u.lft and u.rght <= x.rght), None)

    dues = {m: due_at(ds, m) for m in span}
    now = timezone.now()
    cells = {(r.pk, m): {"expected": 0, "submitted": 0, "on_time": 0, "late": 0, "missing": 0} for r in rows for m in span}
    for m in span:
        for rep in by_month[m]:
            row_id = row_of(rep)
            if row_id is None:
                continue
            cell = cells[(row_id, m)]
            status = unit_status(rep.approval, dues[m], now)
            cell["expected"] += 1
            if status in ("on_time", "late"):
                cell["submitted"] += 1
            if status != "pending":
                cell[status] += 1
    return {"node": node, "months": [month_label(m) for m in span],
            "rows": [{"node": r, "cells": [cells[(r.pk, m)] for m in span]} for r in rows]}
