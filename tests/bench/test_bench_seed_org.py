"""Benchmark 5: the organisation on the 300,000-staff scale seed — contact search by pinyin prefix
and by initials, and importing a 10,000-row workbook.

Runs after benchmark 4 (its file name sorts after test_bench_seed.py, and conftest runs both
"seed" files last), on the province that benchmark leaves behind; run alone, it seeds the full
province itself first. Figures:

1. Contact search in the largest real tenant of the seed (one medical community's or hospital's
   directory): `services.search_contacts(...)` plus the first page (21 rows by pinyin), as the
   `contacts` query runs it. Pinyin prefixes (2–6 letters of a real person's full pinyin) and
   initials (2–3 letters).
2. The same searches on a province-wide directory: a profile for every one of the seed's
   300,000 people in one tenant schema, the worst case; also by the last 4–6 digits of a mobile
   (encrypted at rest, found through blind indexes of its suffixes). Baseline in the same run, on the same
   rows: the naive query (ILIKE, which no btree index serves, so a sequential scan).
3. Importing a 10,000-row workbook (new people, 20 departments) in `valid_only` mode, parse
   included; then the same file again (idempotent: all unchanged). Baseline in the same run:
   onboarding people one by one through `services.onboard` (200 of them), extrapolated.

Targets (2 cores): search p95 ≤ 30 ms; import ≤ 30 s.
"""

from __future__ import annotations

import io
import random
import sys

import pytest

from tests.bench.conftest import Row, fmt_s, percentile, print_table, stopwatch

EXPECTED_STAFF = 300_000
SEARCH_SAMPLES = 400
BASELINE_SAMPLES = 40
IMPORT_ROWS = 10_000
BASELINE_ONBOARD = 200
SEARCH_TARGET_MS = 30
IMPORT_TARGET_S = 30


@pytest.fixture(scope="module")
def province(bench_db):
    from jianlian.identity.models import User

    if User.objects.count() < EXPECTED_STAFF:
        from jianlian.demo.seed import seed_province

        print("\n[bench] the scale seed is not there (run alone?): seeding it first", flush=True)
        seed_province(scale="full", stdout=sys.stdout)
    from tests.factories import make_user

    viewer = make_user("基准查看人")
    viewer.is_superuser = True
    viewer.save(update_fields=["is_superuser"])
    return viewer


def _ms(xs):
    return f"{percentile(xs, 50) * 1000:.2f} / {percentile(xs, 95) * 1000:.2f} ms"


def _queries(rng: random.Random, n: int):
    from jianlian.org.models import StaffProfile

    sample = list(StaffProfile.objects.order_by("?").values_list("name_pinyin", "name_initials")[:n])
    pinyin = [p[: rng.randint(2, min(6, len(p)))] for p, _i in sample]
    initials = [i[: rng.randint(2, max(2, min(3, len(i))))] for _p, i in sample]
    return pinyin, initials


def _time_search(viewer, queries) -> tuple[list[float], int]:
    from jianlian.org import services

    times, found = [], 0
    for q in queries:
        if hasattr(viewer, "_jl_contact_units"):
            del viewer._jl_contact_units  # a new request each time: its scope is worked out again
        with stopwatch() as took:
            rows = list(services.search_contacts(viewer, q).order_by("name_pinyin", "pk")[:21])
        times.append(took())
        found += bool(rows)
    return times, found


def _time_naive(queries) -> list[float]:
    from django.db.models import Q

    from jianlian.org.models import StaffProfile

    times = []
    for q in queries:
        with stopwatch() as took:
            list(StaffProfile.objects.filter(Q(name_pinyin__istartswith=q) | Q(name_initials__istartswith=q))
                 .filter(status__in=("active", "seconded")).order_by("name_pinyin", "pk")[:21])
        times.append(took())
    return times


def _bench_tenant(slug: str, name: str):
    from jianlian.hierarchy.models import OrgUnit
    from jianlian.hierarchy.services import create_unit
    from tenants.provisioning import create_tenant

    root = OrgUnit.objects.get(parent__isnull=True)
    unit = create_unit(None, parent=root, level="hospital", name=name, unit_type="general_hospital")
    return create_tenant(None, unit, slug), unit


def test_contact_search_and_import(province):
    from django.db import connection

    from jianlian.access.models import Membership
    from jianlian.demo.seed import copy_rows
    from jianlian.identity.crypto import encrypt
    from jianlian.identity.models import User, mobile_suffix_indexes
    from jianlian.org import services
    from jianlian.org.models import StaffProfile
    from jianlian.org.pinyin import name_keys
    from tenants.context import tenant_context
    from tenants.models import Tenant

    viewer, rng = province, random.Random(20261201)
    rows = []

    # 1. the largest real tenant
    largest = max(Tenant.objects.all(), key=lambda t: Membership.objects.filter(tenant=t, is_primary=True).count())
    with tenant_context(largest):
        size = StaffProfile.objects.count()
        pinyin, initials = _queries(rng, SEARCH_SAMPLES)
        _time_search(viewer, pinyin[:20])  # warm the caches
        t_pinyin, hit_p = _time_search(viewer, pinyin)
        t_initials, hit_i = _time_search(viewer, initials)
    target = f"p95 ≤ {SEARCH_TARGET_MS} ms"
    ok = lambda xs: percentile(xs, 95) * 1000 <= SEARCH_TARGET_MS  # noqa: E731
    rows += [
        Row(f"largest tenant ({largest.slug}, {size:,} profiles): pinyin prefix p50 / p95", _ms(t_pinyin), target,
            ok(t_pinyin), headline=True),
        Row(f"largest tenant ({largest.slug}): initials p50 / p95", _ms(t_initials), target, ok(t_initials), headline=True),
    ]

    # 2. every seeded person in one directory
    tenant, unit = _bench_tenant("benchorg", "基准全省通讯录医院")
    people = list(User.objects.filter(memberships__is_primary=True).values_list("pk", "real_name", "mobile").distinct()[:EXPECTED_STAFF])
    with stopwatch() as loaded, tenant_context(tenant):
        from django.utils import timezone

        now = timezone.now()
        batch = []
        for pk, name, mobile in people:
            p, i = name_keys(name)
            batch.append({"user_id": pk, "staff_no": f"P{pk}", "name": name, "name_pinyin": p, "name_initials": i,
                          "mobile": encrypt(mobile), "mobile_suffixes": mobile_suffix_indexes(mobile), "unit_id": unit.pk, "status": "active",
                          "employment_type": "own", "created_at": now, "updated_at": now})
            if len(batch) == 20_000:
                copy_rows(StaffProfile, batch)
                batch = []
        if batch:
            copy_rows(StaffProfile, batch)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE org_staffprofile")
    with tenant_context(tenant):
        total = StaffProfile.objects.count()
        pinyin, initials = _queries(rng, SEARCH_SAMPLES)
        _time_search(viewer, pinyin[:20])
        t_pinyin, hit_p = _time_search(viewer, pinyin)
        t_initials, hit_i = _time_search(viewer, initials)
        # the last 4–6 digits of a real person's mobile (encrypted: blind indexes of the suffixes)
        digits = [m[-rng.randint(4, 6):] for _pk, _n, m in rng.sample(people, SEARCH_SAMPLES)]
        _time_search(viewer, digits[:20])
        t_digits, hit_d = _time_search(viewer, digits)
        naive_p = _time_naive(pinyin[:BASELINE_SAMPLES])
        naive_i = _time_naive(initials[:BASELINE_SAMPLES])
        plan = " ".join(line.strip() for line in
                        services.search_contacts(viewer, "zhang").order_by("name_pinyin", "pk")[:21].explain().splitlines()[:4])
    rows += [
        Row(f"province-wide directory ({total:,} profiles): pinyin prefix p50 / p95", _ms(t_pinyin), target,
            ok(t_pinyin), headline=True),
        Row(f"province-wide directory ({total:,} profiles): initials p50 / p95", _ms(t_initials), target,
            ok(t_initials), headline=True),
        Row(f"province-wide directory ({total:,} profiles): last mobile digits p50 / p95", _ms(t_digits), target,
            ok(t_digits), headline=True),
        Row("baseline: naive ILIKE scan, pinyin prefix p50 / p95", _ms(naive_p), target, ok(naive_p), ref=True),
        Row("baseline: naive ILIKE scan, initials p50 / p95", _ms(naive_i), target, ok(naive_i), ref=True),
        Row("searches that found someone (pinyin / initials / mobile digits)",
            f"{hit_p}/{len(pinyin)} / {hit_i}/{len(initials)} / {hit_d}/{len(digits)}"),
        Row(f"loading {total:,} profiles into one schema (COPY, pinyin computed)", fmt_s(loaded())),
    ]

    # 3. import a 10,000-row workbook
    from openpyxl import Workbook

    from jianlian.core.validators import id_number_check_char
    from jianlian.org import importer

    imp_tenant, _imp_unit = _bench_tenant("benchimport", "基准导入医院")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("科室")
    ws.append([h for _k, h, _r in importer.DEPARTMENT_COLUMNS])
    ws.append(["G2", "临床科室", "", "分组", "临床", ""])
    codes = [f"G2-{i:02d}" for i in range(1, 20)]
    for code in codes:
        ws.append([code, f"临床{code}", "G2", "科室", "", ""])
    ws = wb.create_sheet("人员")
    ws.append([h for _k, h, _r in importer.STAFF_COLUMNS])
    names = [n for _pk, n, _m in people[:IMPORT_ROWS]]
    for i in range(IMPORT_ROWS):
        first17 = f"330122{2005 + i % 4}{1 + i % 12:02d}{1 + i % 28:02d}{i // 84:03d}"  # unique for i < 84,000
        ws.append([f"B{i:06d}", names[i], first17 + id_number_check_char(first17), f"166{i:08d}", codes[i % len(codes)],
                   "", "", "护士", "", "护师", "", "本院职工", "0571-8888", "", "护士长" if i % 50 == 0 else ""])
    out = io.BytesIO()
    wb.save(out)
    data = out.getvalue()
    with tenant_context(imp_tenant):
        with stopwatch() as first:
            report = importer.import_workbook(None, data, mode="valid_only")
        with stopwatch() as again:
            second = importer.import_workbook(None, data, mode="valid_only")
        from django.utils import timezone
        from tests.factories import make_id_number

        dept = services.create_department(None, unit_id=imp_tenant.org_unit_id, code="ONE", name="逐条导入科室")
        with stopwatch() as one_by_one:
            for i in range(BASELINE_ONBOARD):
                services.onboard(None, staff_no=f"O{i:05d}", name=names[i], mobile=f"167{i:08d}", id_number=make_id_number(born="20090101"),
                                 unit_id=imp_tenant.org_unit_id, department_id=dept.pk, effective_at=timezone.now())
    assert report.staff["created"] == IMPORT_ROWS and not report.errors, report.errors[:3]
    assert second.staff["unchanged"] == IMPORT_ROWS
    projected = one_by_one() * IMPORT_ROWS / BASELINE_ONBOARD
    rows += [
        Row(f"import {IMPORT_ROWS:,}-row workbook (valid_only, parse included)", fmt_s(first()), f"≤ {IMPORT_TARGET_S} s",
            first() <= IMPORT_TARGET_S, headline=True),
        Row(f"re-import the same workbook (all {IMPORT_ROWS:,} unchanged)", fmt_s(again()), f"≤ {IMPORT_TARGET_S} s",
            again() <= IMPORT_TARGET_S),
        Row(f"baseline: onboard one by one, {BASELINE_ONBOARD} people", fmt_s(one_by_one())),
        Row(f"baseline: projected for {IMPORT_ROWS:,} people one by one", fmt_s(projected), f"≤ {IMPORT_TARGET_S} s",
            projected <= IMPORT_TARGET_S, ref=True),
    ]
    print_table("5. organisation on the 300,000-staff seed", rows, [f"query plan (pinyin prefix): {plan}"[:300]])
