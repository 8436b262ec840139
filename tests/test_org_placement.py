"""Issue 17 item 6: people sit in a department (科室) or a ward (病区), never directly in a grouping
node (分组, such as 职能科室): onboarding, adding to a department, a transfer and the Excel import
refuse one with DEPARTMENT_IS_GROUP on the department field and a message naming it; a department
under the group is fine (docs/org-placement.md)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from jianlian.core.errors import DomainError
from jianlian.org import importer, services
from jianlian.org.models import StaffProfile
from tenants.context import tenant_context
from tests.factories import make_id_number
from tests.test_org import org, province  # noqa: F401 (fixtures)
from tests.test_org_import import DEPTS, _workbook


def _refused(call, **kw):
    with pytest.raises(DomainError) as e:
        call(**kw)
    return e.value


def test_a_grouping_node_holds_departments_not_people(province, org):  # noqa: F811
    p, admin = province, province.users["tenant_admin"]
    person = dict(staff_no="TL3001", name="顾晓萌", mobile="13911113333", id_number=make_id_number(),
                  unit_id=p.lead_a.pk, effective_at=timezone.now())
    with tenant_context(p.tenant_a):
        e = _refused(services.onboard, actor=admin, department_id=org["functional"].pk, **person)
        assert (e.code, e.field) == ("DEPARTMENT_IS_GROUP", "department") and "职能科室" in str(e.message)
        staff = services.onboard(admin, department_id=org["office"].pk, **person)
        assert staff.name == "顾晓萌"
        e = _refused(services.add_to_department, actor=admin, staff_id=staff.pk, department_id=org["clinical"].pk)
        assert (e.code, e.field) == ("DEPARTMENT_IS_GROUP", "department") and "临床科室" in str(e.message)
        e = _refused(services.schedule_transfer, actor=admin, staff_id=staff.pk, effective_at=timezone.now(),
                     department_id=org["functional"].pk)
        assert e.code == "DEPARTMENT_IS_GROUP"
        assert services.add_to_department(admin, staff.pk, org["ward"].pk).department_id == org["ward"].pk


def test_the_import_refuses_a_row_placed_in_a_group_and_keeps_the_others(province):  # noqa: F811
    admin = province.users["tenant_admin"]
    rows = [["TL0201", "祝一帆", make_id_number(), "13800002001", "NK", "G-YJ", "", "", "", "", "", "", "", "", ""],
            ["TL0202", "齐二帆", make_id_number(), "13800002002", "G-LC", "", "", "", "", "", "", "", "", "", ""],
            ["TL0203", "甘三帆", make_id_number(), "13800002003", "NK-1", "", "", "", "", "", "", "", "", "", ""]]
    with tenant_context(province.tenant_a):
        report = importer.import_workbook(admin, _workbook(DEPTS, rows), mode="valid_only")
        assert sorted((e["row"], e["column"], e["code"]) for e in report.errors) == [
            (2, "其他科室编码", "DEPARTMENT_IS_GROUP"), (3, "主科室编码", "DEPARTMENT_IS_GROUP")]
        assert "临床科室" not in next(e["message"] for e in report.errors if e["row"] == 2)
        assert "G-LC" in next(e["message"] for e in report.errors if e["row"] == 3)
        assert list(StaffProfile.objects.values_list("name", flat=True)) == ["甘三帆"]
