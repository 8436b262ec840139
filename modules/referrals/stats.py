"""Referral statistics as supervision data elements: counts (and medians) per unit and month,
never patient data. The supervision app collects these (manifest `data_elements`)."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict

from modules.referrals.models import Referral, Side


def _month_range(period: dt.date) -> tuple[dt.date, dt.date]:
    start = period.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    return start, end


def monthly(period: dt.date) -> list[dict]:
    """[{unit_id, element, period: "YYYY-MM", value}] for referrals submitted in that month, in
    the current tenant: up / down / lateral sent per sending unit; received, accepted, acceptance
    rate (%) and median minutes to accept and to arrive per receiving unit."""
    start, end = _month_range(period)
    label = start.strftime("%Y-%m")
    rows = Referral.objects.filter(submitted_at__date__gte=start, submitted_at__date__lt=end).values(
        "side", "direction", "from_unit_id", "to_unit_id", "submitted_at", "accepted_at", "arrived_at")
    values: dict[tuple[int, str], float] = defaultdict(float)
    accept_minutes, arrive_minutes = defaultdict(list), defaultdict(list)
    for r in rows:
        if r["side"] in (Side.OUTGOING, Side.INTERNAL):
            values[(r["from_unit_id"], f"referrals.{r['direction']}")] += 1
        if r["side"] in (Side.INCOMING, Side.INTERNAL):
            unit = r["to_unit_id"]
            values[(unit, "referrals.received")] += 1
            if r["accepted_at"]:
                values[(unit, "referrals.accepted")] += 1
                accept_minutes[unit].append((r["accepted_at"] - r["submitted_at"]).total_seconds() / 60)
            if r["arrived_at"]:
                arrive_minutes[unit].append((r["arrived_at"] - r["submitted_at"]).total_seconds() / 60)
    for (unit, element), n in list(values.items()):
        if element == "referrals.received" and n:
            values[(unit, "referrals.acceptance_rate")] = round(100 * values.get((unit, "referrals.accepted"), 0) / n, 1)
    for unit, xs in accept_minutes.items():
        values[(unit, "referrals.median_accept_minutes")] = round(statistics.median(xs), 1)
    for unit, xs in arrive_minutes.items():
        values[(unit, "referrals.median_arrive_minutes")] = round(statistics.median(xs), 1)
    return [{"unit_id": unit, "element": element, "period": label, "value": value}
            for (unit, element), value in sorted(values.items())]
