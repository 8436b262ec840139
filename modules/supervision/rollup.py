"""Rolling up: every value counts once for each node on the path it was reported under, one
statement per month, into `Aggregate` rows by element, option and the reporting units' level.
Every write marks its month stale (`mark_stale`); the periodic task `rollup` recomputes the stale
months and then evaluates the threshold alerts for them."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from jianlian.hierarchy.models import UnitPlacement
from modules.supervision.models import DataValue, RollupState
from modules.supervision.periods import last_month
from modules.supervision.placement import paths_at

LEAF_LEVELS = ("member", "hospital")  # levels that never have units below them


def mark_stale(month: dt.date) -> None:
    """The month's aggregates no longer match its values (in the writer's transaction)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO supervision_rollupstate AS s (period, stale) VALUES (%s, true)
               ON CONFLICT (period) DO UPDATE SET stale = true WHERE NOT s.stale""", [month])


def refresh_paths(month: dt.date) -> int:
    """Re-home the month's values of units placed anew since the month began (a move recorded
    after a value was entered for the month it happened in), so that every value of the month
    sits where its unit was at the month's end. Earlier months are not touched: their placement
    is history. Marks the month stale when something moved. Returns how many values moved."""
    start = timezone.make_aware(dt.datetime.combine(month, dt.time.min))
    placed = list(UnitPlacement.objects.filter(valid_from__gte=start).values_list("unit_id", flat=True).distinct())
    if not placed:
        return 0
    moved = 0
    units = DataValue.objects.filter(period=month, path__overlap=placed).values_list("unit_id", flat=True).distinct()
    for unit_id, path in paths_at(list(units), month).items():
        moved += DataValue.objects.filter(period=month, unit_id=unit_id).exclude(path=path).update(path=path)
    if moved:
        mark_stale(month)
    return moved


def rollup(months: list[dt.date] | None = None) -> list[dt.date]:
    """Recompute the aggregates of the given months (default: every stale one) for every node,
    from the values and the paths they were reported under, in one statement per month: each
    value counts once for each node on its path. Leaf units (members, standalone hospitals) get
    no aggregate rows: their own values are what they aggregate to. Months another rollup is working on are
    skipped (SKIP LOCKED). Values of the current and the last month are re-homed first when their
    unit moved since they were entered (`refresh_paths`). Who: the periodic task `rollup`, benchmarks, operators. Returns the
    months done."""
    done = []
    with transaction.atomic():
        for m in months or []:
            RollupState.objects.get_or_create(period=m)
        for m in months or [timezone.localdate().replace(day=1), last_month()]:  # moves only touch recent months
            refresh_paths(m)
        qs = RollupState.objects.select_for_update(skip_locked=True)
        qs = qs.filter(period__in=months) if months else qs.filter(stale=True)
        for state in qs.order_by("period"):
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM supervision_aggregate WHERE period = %s", [state.period])
                cursor.execute(
                    """INSERT INTO supervision_aggregate (node_id, element_id, option, level, period, value, units)
                       SELECT n.node, v.element_id, v.option, u.level, v.period,
                              CASE WHEN e.aggregation = 'average' THEN AVG(v.value) ELSE SUM(v.value) END, COUNT(*)
                       FROM supervision_datavalue v
                       JOIN supervision_dataelement e ON e.id = v.element_id
                       JOIN hierarchy_orgunit u ON u.id = v.unit_id
                       CROSS JOIN LATERAL unnest(v.path) AS n(node)
                       WHERE v.period = %s AND NOT (n.node = v.unit_id AND u.level = ANY(%s))
                       GROUP BY n.node, v.element_id, v.option, u.level, v.period, e.aggregation""",
                    [state.period, list(LEAF_LEVELS)])
            state.stale, state.rolled_up_at = False, timezone.now()
            state.save(update_fields=["stale", "rolled_up_at"])
            done.append(state.period)
        if done:
            from modules.supervision.alerts import check_alerts  # alerts read the aggregates written here

            check_alerts(done)
    return done
