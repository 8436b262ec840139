"""Benchmark: payslip publication to 10,000 staff (issue 21).

Printed, beside a naive baseline measured in the same run on the same 10,000 people:
- import: the workbook read, every row checked, each payslip sealed (AES-GCM) and written in one
  transaction (`importer.import_batch`);
- publish: one status change and one notification with 10,000 deliveries (`services.publish`);
- time until all are readable: import + publish, then every payslip unsealed to prove it;
- naive: one payslip at a time — sealed, saved and notified person by person (a notification per
  person), what a straightforward loop does.
BENCH_PAYSLIPS_STAFF lowers the 10,000.
"""

from __future__ import annotations

import io
import os
import time

import pytest

from tests.bench.conftest import Row, assert_clean_start, build_county, delete_tree, print_table

STAFF = int(os.environ.get("BENCH_PAYSLIPS_STAFF", 10_000))
TARGET_S = 60.0


def _staff(tenant, unit) -> list[int]:
    """STAFF accounts, memberships and staff profiles, by COPY."""
    from django.utils import timezone

    from jianlian.access.models import Membership
    from jianlian.demo.seed import _People, copy_rows, insert_rows, insert_users
    from jianlian.org.models import StaffProfile
    from tenants.context import tenant_context

    people = _People(seed=21)
    ids = insert_users([people.user(f"bench.pay.{i}", f"职工{i:05d}", False, "330122", people.unusable_password)
                        for i in range(STAFF)])
    now = timezone.now()
    copy_rows(Membership, [{"user_id": u, "tenant_id": tenant.pk, "unit_id": unit.pk, "staff_no": f"P{i:05d}",
                            "is_primary": True, "is_active": True, "joined_at": now} for i, u in enumerate(ids)])
    with tenant_context(tenant):
        insert_rows(StaffProfile, [{"user_id": u, "staff_no": f"P{i:05d}", "name": f"职工{i:05d}", "name_pinyin": "",
                                    "name_initials": "", "mobile": "", "mobile_reversed": "", "unit_id": unit.pk,
                                    "status": "active", "employment_type": "own", "created_at": now, "updated_at": now}
                                   for i, u in enumerate(ids)])
    return ids


def _workbook() -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("工资表")
    ws.append(["工号", "姓名", "基本工资", "绩效工资", "津贴补贴", "个人所得税", "实发合计"])
    for i in range(STAFF):
        ws.append([f"P{i:05d}", f"职工{i:05d}", 5200 + i % 700, 3800.5, 600, 235.07, 9365.43 + i % 700])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def hospital(bench_db):
    from django.db import connection

    from jianlian.access.models import Role, RoleGrant
    from jianlian.identity.models import User
    from jianlian.marketplace.services import install, sync_catalog
    from tenants.provisioning import create_tenant, ensure_template

    assert_clean_start()
    ensure_template()
    sync_catalog()
    root, [lead] = build_county(1, prefix="工资条基准")
    tenant = create_tenant(None, lead, "benchpay")
    install(None, tenant, "payslips")
    ids = _staff(tenant, lead)
    office = User.objects.get(pk=ids[0])
    RoleGrant.objects.create(user=office, node=lead, role=Role.objects.get(tenant=tenant, code="payroll_office"))
    yield {"tenant": tenant, "ids": ids, "office": office}
    connection.set_schema_to_public()
    delete_tree(root)
    User.objects.filter(pk__in=ids).delete()


def test_publication_to_10000_staff_beside_a_naive_loop(hospital):
    import json

    from django.db import connection, transaction

    from jianlian.notifications import services as notes
    from jianlian.notifications.models import Delivery
    from modules.payslips import crypto, importer, services
    from modules.payslips.models import Batch, Payslip
    from tenants.context import tenant_context

    h = hospital
    data = _workbook()
    with tenant_context(h["tenant"]):
        t0 = time.perf_counter()
        report = importer.import_batch(h["office"], data, month="2026-11", mode="all_or_nothing")
        t_import = time.perf_counter() - t0
        assert report.applied and report.created == STAFF, report.errors[:3]
        t1 = time.perf_counter()
        services.publish(h["office"], report.batch.pk)
        t_publish = time.perf_counter() - t1
        t2 = time.perf_counter()
        readable = sum(1 for s in Payslip.objects.filter(batch=report.batch).only("batch_id", "user_id", "sealed").iterator(2000)
                       if services.lines_of(s))
        t_verify = time.perf_counter() - t2
        total = time.perf_counter() - t0
        assert readable == STAFF
        assert Delivery.objects.filter(user_id__in=h["ids"]).count() == STAFF

        # naive: person by person, the same items, a notification each
        rows = [json.dumps([["基本工资", str(5200 + i % 700)], ["实发合计", str(9365.43 + i % 700)]]).encode() for i in range(STAFF)]
        schema = connection.schema_name
        n0 = time.perf_counter()
        batch = Batch.objects.create(month="2026-10", title="naive", status="published")
        for uid, plain in zip(h["ids"], rows):
            with transaction.atomic():
                Payslip.objects.create(batch=batch, user_id=uid, staff_no="", name="", sealed=crypto.seal(schema, batch.pk, uid, plain))
                notes.notify([uid], sender_name="工资条", title="naive 已发放", link="/payslips")
        naive = time.perf_counter() - n0

    def s(x):
        return f"{x:.1f} s"

    print_table(f"工资条 (payslips): publication to {STAFF:,} staff", [
        Row(f"time until all {STAFF:,} are readable (import + publish)", s(t_import + t_publish), f"≤ {TARGET_S:.0f} s",
            t_import + t_publish <= TARGET_S, headline=True),
        Row("  import: read, check, seal, write (one transaction)", s(t_import)),
        Row("  publish: status + one notice with 10,000 deliveries", s(t_publish)),
        Row("  every payslip unsealed afterwards (proof, not counted)", s(t_verify)),
        Row("  naive: seal, save and notify one person at a time", s(naive), f"≤ {TARGET_S:.0f} s", naive <= TARGET_S, ref=True),
    ], notes=[f"end to end including the proof: {total:.1f} s"])
