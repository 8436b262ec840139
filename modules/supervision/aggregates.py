"""Reading aggregates and computing indicators: a node's values for a period (from the roll-up
where it is current, from the values otherwise), and each indicator recomputed from the
aggregated numerator and denominator (never an average of the children's percentages).

Why a year's trend reads months together (`monthly_aggregates`): one read of the rolled-up rows
for the months whose roll-up is current, plus one grouped statement over the values for the
others (or for a leaf unit, which has no aggregate rows) — never one query per month."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import connection

from jianlian.hierarchy.models import OrgUnit
from modules.supervision import formulas
from modules.supervision.definitions import catalogue, knows
from modules.supervision.models import Aggregate, Aggregation, DataElement, Indicator, RollupState
from modules.supervision.periods import Period
from modules.supervision.rollup import LEAF_LEVELS


def aggregate(node: OrgUnit, period: Period, element_ids=None) -> dict[tuple[int, str, str], float]:
    """{(element_id, option, unit level): value} for the node's subtree in the period, as the
    tree was in each month: sums for SUM; for LAST, each unit's last month in the period, summed
    over units; for AVERAGE, the mean of all monthly values. A month whose rollup is current is
    read from the aggregates; anything else is computed from the values."""
    if (len(period.months) == 1 and node.level not in LEAF_LEVELS
            and RollupState.objects.filter(period=period.start, stale=False).exists()):
        rows = Aggregate.objects.filter(node_id=node.pk, period=period.start)
        if element_ids is not None:
            rows = rows.filter(element_id__in=list(element_ids))
        return {(e, o, lv): val for e, o, lv, val in rows.values_list("element_id", "option", "level", "value")}
    return compute_aggregate(node, period, element_ids)


def compute_aggregate(node: OrgUnit, period: Period, element_ids=None) -> dict[tuple[int, str, str], float]:
    """`aggregate` computed from the values (no rollup)."""
    params = [node.pk, period.start, period.end]
    only = ""
    if element_ids is not None:
        only = " AND v.element_id = ANY(%s)"
        params.append(list(element_ids))
    sql = f"""
        WITH v AS (
            SELECT v.unit_id, v.element_id, v.option, v.period, v.value, e.aggregation, u.level
            FROM supervision_datavalue v
            JOIN supervision_dataelement e ON e.id = v.element_id
            JOIN hierarchy_orgunit u ON u.id = v.unit_id
            WHERE v.path @> ARRAY[%s]::bigint[] AND v.period >= %s AND v.period < %s{only}
        ), last AS (
            SELECT DISTINCT ON (unit_id, element_id, option) element_id, option, level, value
            FROM v WHERE aggregation = 'last' ORDER BY unit_id, element_id, option, period DESC
        )
        SELECT element_id, option, level, SUM(value)::float FROM v WHERE aggregation = 'sum'
            GROUP BY element_id, option, level
        UNION ALL
        SELECT element_id, option, level, SUM(value)::float FROM last GROUP BY element_id, option, level
        UNION ALL
        SELECT element_id, option, level, AVG(value)::float FROM v WHERE aggregation = 'average'
            GROUP BY element_id, option, level
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(e, o, lv): val for e, o, lv, val in cursor.fetchall()}


def monthly_aggregates(node: OrgUnit, months: list[dt.date], element_ids=None) -> dict[dt.date, dict]:
    """`aggregate` for each of the months at once: {month: {(element, option, level): value}}.
    Current months come from the rollup in one query, the rest from the values in one more."""
    out: dict[dt.date, dict] = {m: {} for m in months}
    rest = list(months)
    if node.level not in LEAF_LEVELS:
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


class Lookup:
    """Resolves formula references against one aggregate: the element's total is the sum of its
    options (or, for AVERAGE elements, their mean); a level restricts to units of that level."""

    def __init__(self, agg: dict, elements: dict[str, DataElement]):
        self.elements = elements
        self.by = defaultdict(list)
        for (eid, option, level), value in agg.items():
            self.by[eid].append((option, level, value))

    def __call__(self, ref: formulas.Ref):
        el = self.elements.get(ref.element)
        if el is None:
            return None
        xs = [v for o, lv, v in self.by.get(el.pk, ()) if (not ref.option or o == ref.option) and (not ref.level or lv == ref.level)]
        if not xs:
            return None
        return sum(xs) / len(xs) if el.aggregation == Aggregation.AVERAGE else sum(xs)


def indicator_values(node: OrgUnit, period: Period, indicators=None, *, elements=None, agg=None) -> list[dict]:
    """Each indicator at the node for the period, recomputed from the aggregated numerator and
    denominator (never an average of the children's percentages)."""
    elements = elements or catalogue()
    indicators = list(indicators if indicators is not None else Indicator.objects.all())
    agg = agg if agg is not None else aggregate(node, period)
    lookup = Lookup(agg, elements)
    out = []
    for ind in indicators:
        num_f = formulas.parse(ind.numerator, knows(elements))
        den_f = formulas.parse(ind.denominator or "1", knows(elements))
        num, den = num_f.evaluate(lookup, period.days), den_f.evaluate(lookup, period.days)
        value = None
        if num is not None and den:
            value = round(num / den * ind.factor, 4)
        out.append({"indicator": ind, "numerator": num, "denominator": den, "value": value})
    return out
