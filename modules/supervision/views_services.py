"""Supervision online: what the workbench's approval and dashboard pages read — a supervisor's
scope and drill-down, indicator trends, completeness and timeliness heat maps, an approval queue
that says what the reader may do, the step timeline of a unit's month, and the Excel export.

Reads only: every write stays in services.py. Every function takes the reader first and checks
them with `services.access_node` (supervisors see their subtree, units their own), so a
supervisor of another city gets PERMISSION_DENIED, never someone else's numbers.

Why the trend reads months together: a year of a node's indicators is one read of the rolled-up
`Aggregate` rows for the months whose rollup is current, plus one grouped statement over the
values for the months that are stale (or for a leaf unit, which has no aggregate rows) — never one
query per month and indicator.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict

from django.db import connection
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from jianlian.access.checks import has_perm
from jianlian.core.errors import DomainError
from jianlian.hierarchy.models import Level, OrgUnit, UnitPlacement
from modules.supervision import formulas, services
from modules.supervision.models import (
    STEP_LEVEL, Aggregate, Approval, ApprovalEvent, EntryReopening, Indicator, RollupState, Step,
)

SCOPE_PERMS = ("supervision.view_aggregates", "supervision.approve", "supervision.report")
MAX_MONTHS = 36


def _month_label(d: dt.date) -> str:
    return d.strftime("%Y-%m")


def months_back(until: dt.date, count: int) -> list[dt.date]:
    """`count` months ending with `until`'s month, oldest first."""
    out, d = [], until.replace(day=1)
    for _i in range(count):
        out.append(d)
        d = (d - dt.timedelta(days=1)).replace(day=1)
    return list(reversed(out))


def _month_range(first: dt.date, last: dt.date) -> list[dt.date]:
    out, d = [], first.replace(day=1)
    while d <= last and len(out) < MAX_MONTHS:
        out.append(d)
        d = services._next_month(d)
    return out


# --- scope and drill-down ----------------------------------------------------------------------

def scope(user) -> list[OrgUnit]:
    """The topmost nodes where the reader may look at supervision data (a grant of view,
    approve or report that no other such grant of theirs covers), where their pages start."""
    from jianlian.access.checks import _grants

    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return list(OrgUnit.objects.filter(parent__isnull=True).order_by("tree_id"))
    grants = [g for g in _grants(user) if any(p in g.perms for p in SCOPE_PERMS)]
    top = [g for g in grants if not any(o is not g and o.tree_id == g.tree_id and o.lft <= g.lft and g.rght <= o.rght
                                        and (o.lft, o.rght) != (g.lft, g.rght) for o in grants)]
    ids = list(dict.fromkeys(g.node_id for g in top))
    nodes = {u.pk: u for u in OrgUnit.objects.filter(pk__in=ids)}
    return [nodes[i] for i in ids if i in nodes]


def node_view(user, node_id: int) -> dict:
    """A node with the ancestors the reader may also see (root first, for a breadcrumb) and its
    active children (to drill down)."""
    node = services.access_node(user, node_id)
    ancestors = [a for a in node.get_ancestors() if services.can_view(user, a)]
    children = list(node.get_children().filter(is_active=True))
    return {"node": node, "ancestors": ancestors, "children": children}


# --- trends ------------------------------------------------------------------------------------

def monthly_aggregates(node: OrgUnit, months: list[dt.date], element_ids=None) -> dict[dt.date, dict]:
    """`services.aggregate` for each of the months at once: {month: {(element, option, level): value}}.
    Current months come from the rollup in one query, the rest from the values in one more."""
    out: dict[dt.date, dict] = {m: {} for m in months}
    rest = list(months)
    if node.level not in services.LEAF_LEVELS:
        fresh = set(RollupState.objects.filter(period__in=months, stale=False).values_list("period", flat=True))
        if fresh:
            rows = Aggregate.objects.filter(node_id=node.pk, period__in=fresh)
            if element_ids is not None:
                rows = rows.filter(element_id__in=list(element_ids))
            for eid, option, level, period, value in rows.values_list("element_id", "option", "level", "period", "value"):
                out[period][(eid, option, level)] = value
            rest = [m for m in months if m not in fresh]
    if not rest:
        return out
    # One month at a time, a LAST element has one value per unit and option: its sum, as a SUM.
    params: list = [node.pk, rest]
    only = ""
    if element_ids is not None:
        only = " AND v.element_id = ANY(%s)"
        params.append(list(element_ids))
    with connection.cursor() as cursor:
        cursor.execute(f"""
            SELECT v.period, v.element_id, v.option, u.level,
                   (CASE WHEN e.aggregation = 'average' THEN AVG(v.value) ELSE SUM(v.value) END)::float
            FROM supervision_datavalue v
            JOIN supervision_dataelement e ON e.id = v.element_id
            JOIN hierarchy_orgunit u ON u.id = v.unit_id
            WHERE v.path @> ARRAY[%s]::bigint[] AND v.period = ANY(%s){only}
            GROUP BY v.period, v.element_id, v.option, u.level, e.aggregation""", params)
        for period, eid, option, level, value in cursor.fetchall():
            out[period][(eid, option, level)] = value
    return out


def _indicators(codes) -> list[Indicator]:
    if not codes:
        return list(Indicator.objects.all())
    found = {i.code: i for i in Indicator.objects.filter(code__in=list(codes))}
    missing = [c for c in codes if c not in found]
    if missing:
        raise DomainError("UNKNOWN_INDICATOR", _("没有这个指标：%(code)s。") % {"code": "、".join(missing)}, "indicators")
    return [found[c] for c in codes]


def trend(user, node_id: int, indicator_codes, until=None, months: int = 12) -> dict:
    """Each indicator at the node for each of the `months` months ending with `until` (default:
    last month), recomputed per month from that month's aggregated numerator and denominator.
    Who: whoever may see the node."""
    node = services.access_node(user, node_id)
    last = services.parse_month(until) if until else services.last_month()
    months = max(1, min(int(months or 12), MAX_MONTHS))
    span = months_back(last, months)
    indicators = _indicators(indicator_codes)
    elements = services._catalogue()
    wanted = set()
    for ind in indicators:
        for text in (ind.numerator, ind.denominator or "1"):
            wanted |= formulas.parse(text, services._known(elements)).elements
    element_ids = {elements[c].pk for c in wanted if c in elements}
    by_month = monthly_aggregates(node, span, element_ids)
    series = {ind.code: [] for ind in indicators}
    for m in span:
        period = services.parse_period(_month_label(m))
        for row in services.indicator_values(node, period, indicators, elements=elements, agg=by_month[m]):
            series[row["indicator"].code].append(row["value"])
    return {"node": node, "months": [_month_label(m) for m in span],
            "series": [{"indicator": ind, "values": series[ind.code]} for ind in indicators]}


# --- completeness and timeliness -----------------------------------------------------------------

def due_at(ds, month: dt.date) -> dt.datetime:
    """The end of the last day on which the data set's period starting at `month` is on time
    (`services.due_date`, as a moment in the active time zone)."""
    return timezone.make_aware(dt.datetime.combine(services.due_date(ds, services.parse_period(month)), dt.time.max))


def unit_status(approval: Approval | None, due: dt.datetime, now: dt.datetime) -> str:
    """on_time, late (submitted after the due date), missing (due and not submitted) or pending."""
    if approval is not None and approval.step >= Step.SUBMITTED:
        return "on_time" if approval.on_time else "late"
    return "missing" if now > due else "pending"


def heatmap(user, node_id: int, period_from, period_to) -> dict:
    """Completeness and timeliness of the node's children (the node itself first when it
    reports too) for each month from `period_from` to `period_to`: per cell how many reporting
    units the child has, how many submitted, on time, late and missing. Counted over the tree as
    it is now. Who: whoever may see the node."""
    node = services.access_node(user, node_id)
    first = services.parse_period(period_from, "periodFrom").start
    last = services.parse_period(period_to, "periodTo").months[-1]
    if last < first:
        raise DomainError("INVALID_PERIOD", _("结束期间不能早于开始期间。"), "periodTo")
    span = _month_range(first, last)
    rows = ([node] if node.level in services.REPORTING_LEVELS else []) + list(node.get_children().filter(is_active=True))
    units = list(node.get_descendants(include_self=True).filter(level__in=services.REPORTING_LEVELS, is_active=True)
                 .values_list("pk", "tree_id", "lft", "rght"))

    def row_of(tree_id, lft, rght, pk):
        if pk == node.pk:
            return node.pk
        for r in rows:
            if r.pk != node.pk and r.tree_id == tree_id and r.lft <= lft and rght <= r.rght:
                return r.pk
        return None

    unit_row = {pk: row_of(t, lo, hi, pk) for pk, t, lo, hi in units}
    ds = services.get_data_set(None)  # the standard monthly set: the heat map is by month
    approvals = {(a.unit_id, a.period): a for a in Approval.objects.filter(
        data_set=ds, unit_id__in=list(unit_row), period__in=span)}
    dues = {m: due_at(ds, m) for m in span}
    now = timezone.now()
    cells = {(r.pk, m): {"expected": 0, "submitted": 0, "on_time": 0, "late": 0, "missing": 0} for r in rows for m in span}
    for unit_id, row_id in unit_row.items():
        if row_id is None:
            continue
        for m in span:
            cell = cells[(row_id, m)]
            status = unit_status(approvals.get((unit_id, m)), dues[m], now)
            cell["expected"] += 1
            if status in ("on_time", "late"):
                cell["submitted"] += 1
            if status != "pending":
                cell[status] += 1
    return {"node": node, "months": [_month_label(m) for m in span],
            "rows": [{"node": r, "cells": [cells[(r.pk, m)] for m in span]} for r in rows]}


# --- the approval queue --------------------------------------------------------------------------

def paths_at(unit_ids, month: dt.date) -> dict[int, list[int]]:
    """`services.path_at` for many units at once: each unit's chain (root first) at the end of
    the month, from the placement history, a couple of queries per level of the tree."""
    moment = timezone.make_aware(dt.datetime.combine(services._next_month(month), dt.time.min)) - dt.timedelta(microseconds=1)
    parent_of: dict[int, int | None] = {}
    frontier = set(unit_ids)
    while frontier:
        placements = defaultdict(list)
        for unit_id, parent_id, valid_from, valid_to in UnitPlacement.objects.filter(unit_id__in=frontier).order_by(
                "valid_from").values_list("unit_id", "parent_id", "valid_from", "valid_to"):
            placements[unit_id].append((parent_id, valid_from, valid_to))
        current = dict(OrgUnit.objects.filter(pk__in=frontier - set(placements)).values_list("pk", "parent_id"))
        for n in frontier:
            history = placements.get(n)
            if not history:
                parent_of[n] = current.get(n)
                continue
            # As path_at: before its history begins a unit sat where it was first placed.
            chosen = history[0][0]
            for parent_id, valid_from, valid_to in history:
                if valid_from <= moment:
                    chosen = parent_id
                    if valid_to is None or valid_to > moment:
                        break
            parent_of[n] = chosen
        frontier = {p for p in parent_of.values() if p is not None and p not in parent_of}
    out = {}
    for unit_id in unit_ids:
        chain, n = [], unit_id
        while n is not None and n not in chain:
            chain.append(n)
            n = parent_of.get(n)
        out[unit_id] = list(reversed(chain))
    return out


class _Approver:
    """`services.approves_at` for many nodes with the reader's grants read once."""

    def __init__(self, user):
        from jianlian.access.models import RoleGrant

        self.user = user
        self.direct = set(RoleGrant.objects.filter(user_id=user.pk, role__permissions__contains=["supervision.approve"])
                          .values_list("node_id", flat=True))

    def __call__(self, node: OrgUnit | None) -> bool:
        if node is None or not has_perm(self.user, "supervision.approve", node):
            return False
        return self.user.is_superuser or node.pk in self.direct


def may_act(approves, unit: OrgUnit, step: int, chain: list[tuple[int, OrgUnit]]) -> tuple[bool, bool]:
    """(may approve, may unapprove): the rules of `services.approve` and `services.unapprove`
    asked without acting, so the page offers only the buttons that will work."""
    following = [(s, n) for s, n in chain if s > step]
    can_approve = step >= Step.SUBMITTED and bool(following) and approves(following[0][1])
    if step == Step.OPEN:
        return can_approve, False
    steps = [Step.SUBMITTED] + [s for s, _n in chain]
    nodes = dict(chain)
    current = steps.index(step) if step in steps else len(steps) - 1
    if step == Step.SUBMITTED:
        allowed = [nodes.get(steps[1])] if len(steps) > 1 else [unit]
    else:
        allowed = [nodes.get(step), nodes.get(steps[current + 1]) if current + 1 < len(steps) else None]
    return can_approve, any(approves(n) for n in allowed)


def communities_of(units: list[OrgUnit], known: dict[int, OrgUnit] | None = None) -> dict[int, OrgUnit]:
    """`services._community_of` for many units at once, in the tree as it is now: a lead or a
    standalone hospital is its own community, a member belongs to its lead (its parent). One
    query at most, for the parents not already in `known`."""
    known = dict(known or {})
    missing = {u.parent_id for u in units if u.level not in ("lead", "hospital") and u.parent_id not in known}
    known.update({u.pk: u for u in OrgUnit.objects.filter(pk__in=missing)} if missing else {})
    return {u.pk: u if u.level in ("lead", "hospital") else known.get(u.parent_id, u) for u in units}


def approval_queue(user, node_id: int, period_text, data_set: str | None = None) -> list[dict]:
    """Every unit under the node the data set (default: the standard monthly one) is assigned to,
    for a period (as `services.completeness`), with its step, whether it was on time, when it was
    submitted, the step that comes next, whether the reader may approve or unapprove it, and its
    entry lock: why entry is closed (`services.lock_reason`), the lock date, the end of an active
    reopening and whether the reader may reopen it (past the lock date, not submitted, an approver
    at its community or above, as `services.reopen_entry`). Who: whoever may see the node."""
    rows = services.completeness(user, node_id, period_text, data_set)
    ds = services.get_data_set(data_set)
    period = services.data_set_period(ds, period_text)
    month = period.start
    paths = paths_at([r["unit"].pk for r in rows], month)
    nodes = {u.pk: u for u in OrgUnit.objects.filter(pk__in={n for p in paths.values() for n in p})}
    approvals = {a.unit_id: a for a in Approval.objects.filter(data_set=ds, period=month, unit_id__in=list(paths))}
    approves = _Approver(user)
    today = timezone.localdate()
    last_day = services.lock_date(ds, period)
    past_lock = last_day is not None and today > last_day
    reopened, communities = {}, {}
    if past_lock:  # the reopenings and communities matter only once the lock date has passed
        reopened = dict(EntryReopening.objects.filter(data_set=ds, period=month, unit_id__in=list(paths), until__gte=today)
                        .values("unit_id").annotate(last=Max("until")).values_list("unit_id", "last"))
        communities = communities_of([r["unit"] for r in rows], nodes)
    out = []
    for r in rows:
        unit = r["unit"]
        by_level = {}
        for n in paths[unit.pk]:
            if n in nodes:
                by_level.setdefault(nodes[n].level, nodes[n])
        chain = [(step, by_level[level]) for step, level in STEP_LEVEL.items() if level in by_level]
        step = int(r["step"])
        can_approve, can_unapprove = may_act(approves, unit, step, chain)
        following = [s for s, _n in chain if s > step]
        a = approvals.get(unit.pk)
        submitted = step >= Step.SUBMITTED
        until = reopened.get(unit.pk)
        out.append({**r, "submitted_at": a.submitted_at if a else None,
                    "on_time": a.on_time if a and submitted else None,
                    "next_step": (Step.SUBMITTED if step == Step.OPEN else following[0] if following else None),
                    "can_approve": can_approve, "can_unapprove": can_unapprove,
                    "lock_reason": "SUBMITTED" if submitted else "PAST_LOCK_DATE" if past_lock and until is None else None,
                    "lock_date": last_day, "reopened_until": until,
                    "can_reopen": past_lock and not submitted
                    and has_perm(user, "supervision.approve", communities[unit.pk])})
    return out


def approval_events(user, unit_id: int, period_text, data_set: str | None = None) -> list[ApprovalEvent]:
    """The steps a unit's period of the data set (default: the standard monthly one) went
    through, oldest first, with who took each and why. Who: whoever may see the unit."""
    unit = services.access_node(user, unit_id)
    ds = services.get_data_set(data_set)
    month = services.data_set_period(ds, period_text).start
    return list(ApprovalEvent.objects.filter(approval__data_set=ds, approval__unit=unit, approval__period=month)
                .select_related("actor"))


# --- league table and the Excel export ------------------------------------------------------------

def league(user, node_id: int, period_text, indicator_code: str) -> dict:
    """The node's children ranked by one indicator for the period (highest first; those without
    a value last, unranked). Who: whoever may see the node."""
    [indicator] = _indicators([indicator_code])
    board = services.dashboard(user, node_id, period_text)
    ranked = []
    for r in board["rows"][1:]:
        value = next(v for v in r["values"] if v["indicator"].pk == indicator.pk)
        ranked.append({"node": r["node"], **value})
    ranked.sort(key=lambda x: (x["value"] is None, -(x["value"] or 0)))
    for i, x in enumerate(ranked, start=1):
        x["rank"] = i if x["value"] is not None else None
    return {"period": board["period"], "node": board["rows"][0]["node"], "indicator": indicator,
            "rows": ranked, "board": board}


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
