"""A year of supervision values for the demo province (never in production: only the demo seed
calls this), so that the dashboards, league tables and heat maps show something on a fresh
machine: twelve months of visits, admissions, beds, chronic-disease management, family-doctor
contracts and referrals for every community and hospital, most months approved up the tree
(some late, a few never reported), last month waiting for approval.

The numbers are made up but keep the validation rules (discharges within admissions and beds,
managed within patients), deterministic (one seeded random generator), and written once: a second
run finds the year there and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from jianlian.hierarchy.models import OrgUnit
from modules.supervision.datasets import REPORTING_LEVELS, due_at, get_data_set
from modules.supervision.definitions import catalogue
from modules.supervision.periods import last_month, months_back
from modules.supervision.placement import paths_at
from modules.supervision.rollup import mark_stale, rollup
from modules.supervision.models import STEP_LEVEL, Approval, DataValue, Origin, Step

# Size of a unit relative to a county lead hospital.
SCALE = {"lead": 1.0, "member": 0.22, "hospital": 1.8}


def _unit_month(rng: random.Random, level: str, n: int, month: dt.date) -> list[tuple[str, str, int]]:
    """(element, option, value) of one unit's month: a little growth, winter busier."""
    s = SCALE[level] * rng.uniform(0.7, 1.3)
    season = 1 + 0.12 * (month.month in (1, 2, 12)) - 0.06 * (month.month in (7, 8))
    grow = 1 + 0.01 * n
    outpatient = int(9000 * s * season * grow)
    admissions = int(700 * s * season * grow) if level != "member" else int(90 * s * 4 * season)
    beds = int(420 * s) if level != "member" else int(45 * s * 4)
    rows = [
        ("visits", "outpatient", outpatient),
        ("visits", "emergency", int(outpatient * rng.uniform(0.05, 0.12))),
        ("inpatient_admissions", "", admissions),
        ("discharges", "male", int(admissions * 0.47)),
        ("discharges", "female", int(admissions * 0.5)),
        ("beds", "", beds),
        ("staff", "", int(beds * 1.4)),
        ("medical_income", "", int(outpatient * 260 + admissions * 7800)),
        ("referrals.up", "", int(outpatient * rng.uniform(0.002, 0.006))),
        ("referrals.down", "", int(admissions * rng.uniform(0.02, 0.06))),
    ]
    if level == "member":
        patients = int(3200 * rng.uniform(0.8, 1.2))
        population = int(32000 * rng.uniform(0.8, 1.2))
        contracted = population * rng.uniform(0.3, 0.42) * (1 + 0.004 * n)
        rows += [
            ("chronic_patients", "", patients),
            ("chronic_managed", "", int(patients * rng.uniform(0.55, 0.8))),
            ("resident_population", "", population),
            ("contracted_residents", "0_14", int(contracted * 0.12)),
            ("contracted_residents", "15_64", int(contracted * 0.5)),
            ("contracted_residents", "65_plus", int(contracted * 0.38)),
        ]
    return rows


def _approval(rng: random.Random, data_set, unit: OrgUnit, month: dt.date, last: dt.date, top: int) -> Approval | None:
    """Most past months approved as far as the unit's chain goes, some late, a few never
    reported; last month submitted by about half, on time so far."""
    due = due_at(data_set, month)
    if month == last:
        if rng.random() < 0.5:
            return None
        at = min(timezone.now(), due - dt.timedelta(days=1))
        return Approval(data_set=data_set, unit=unit, period=month, step=Step.SUBMITTED, submitted_at=at, on_time=at <= due)
    roll = rng.random()
    if roll < 0.07:
        return None
    late = rng.random() < 0.15
    at = due + dt.timedelta(days=rng.randint(1, 12)) if late else due - dt.timedelta(days=rng.randint(1, 8))
    step = Step.SUBMITTED if roll < 0.12 else top
    return Approval(data_set=data_set, unit=unit, period=month, step=step, submitted_at=at, on_time=not late)


def seed_year(say=None, today: dt.date | None = None) -> int:
    """Write the twelve months up to last month for every reporting unit, unless that year has
    values already; roll them up. Returns the values written."""
    last = last_month(today)
    months = months_back(last, 12)
    units = list(OrgUnit.objects.filter(level__in=REPORTING_LEVELS, is_active=True).order_by("pk"))
    if not units or DataValue.objects.filter(period__in=months).exists():
        return 0
    data_set = get_data_set(None)  # the standard monthly set (seeds it where missing)
    elements = catalogue()
    rng = random.Random(2026)
    paths = paths_at([u.pk for u in units], last)
    levels = dict(OrgUnit.objects.filter(pk__in={n for p in paths.values() for n in p}).values_list("pk", "level"))
    now = timezone.now()
    values, approvals = [], []
    for unit in units:
        above = {levels.get(n) for n in paths[unit.pk]}
        top = max([int(s) for s, level in STEP_LEVEL.items() if level in above] or [int(Step.SUBMITTED)])
        for n, month in enumerate(months):
            for code, option, value in _unit_month(rng, unit.level, n, month):
                values.append(DataValue(unit=unit, element=elements[code], option=option, period=month,
                                        value=Decimal(max(0, value)), path=paths[unit.pk], origin=Origin.IMPORT,
                                        updated_at=now))
            if (a := _approval(rng, data_set, unit, month, last, top)) is not None:
                approvals.append(a)
    with transaction.atomic():
        DataValue.objects.bulk_create(values, batch_size=5000)
        Approval.objects.bulk_create(approvals, batch_size=5000, ignore_conflicts=True)
        for month in months:
            mark_stale(month)
    rollup(months)
    if say is not None:
        say(f"监管在线：已生成 {len(units)} 个单位近12个月的 {len(values)} 个数据值。")
    return len(values)
