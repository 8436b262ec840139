"""Supervision online (监管在线): one import for callers outside the app (tests, benchmarks,
operators' shells). Each concept lives in its own module and the app's own code imports from
there:

    periods        month / quarter / year periods and month arithmetic
    definitions    the catalogue: data elements, indicators, validation rules, formulas
    datasets       data sets, due and lock dates, what locks a unit's period
    placement      where a unit sat (paths), approval chains, approvers, communities
    values         writing values (manual entry), importing (JSON / CSV / xlsx),
                   collection (installed apps' counts through the bus)
    rollup         aggregates up the tree; aggregates (reading them, indicators)
    actions        submit / approve / return / reopen, and which of them a reader has
    completeness   the one completeness and timeliness rule (dashboard, queue, heat map)
    queue          the approval queue and a period's history
    queries        dashboards, trends, league tables, entry forms; export (Excel)
    alerts         threshold alerts; notices; live (events after commit)

Where values live, and why: supervision facts are aggregates about units (no patient data) that
the province, cities and counties read across tenants, so definitions, values and approval state
live once in the public schema (manifest `public_models`).
"""

from modules.supervision.access import access_node, can_view, node_view, scope  # noqa: F401
from modules.supervision.actions import approve, available_actions, reopen_entry, submit, unapprove  # noqa: F401
from modules.supervision.aggregates import aggregate, compute_aggregate, indicator_values, monthly_aggregates  # noqa: F401
from modules.supervision.alerts import alert_firings, alerts, check_alerts, save_alert  # noqa: F401
from modules.supervision.collection import VALUES_MESSAGE, apply_collected, collect  # noqa: F401
from modules.supervision.completeness import completeness, heatmap, unit_status  # noqa: F401
from modules.supervision.datasets import (  # noqa: F401
    REPORTING_LEVELS, data_set_period, data_sets_for, due_at, due_date, get_data_set, lock_date, lock_reason,
    reopened_until, reporting_units, save_data_set,
)
from modules.supervision.definitions import catalogue, check_formula, ensure_standard_set, save_indicator, save_rule  # noqa: F401
from modules.supervision.export import export_workbook  # noqa: F401
from modules.supervision.importing import import_values, read_import  # noqa: F401
from modules.supervision.periods import Period, last_month, months_back, parse_month, parse_period  # noqa: F401
from modules.supervision.placement import approves_at, path_at, paths_at  # noqa: F401
from modules.supervision.queries import (  # noqa: F401
    approvals, dashboard, entry_form, league, run_validation, trend, unit_values,
)
from modules.supervision.queue import approval_events, approval_queue  # noqa: F401
from modules.supervision.rollup import LEAF_LEVELS, mark_stale, refresh_paths, rollup  # noqa: F401
from modules.supervision.values import save_value  # noqa: F401
