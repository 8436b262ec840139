"""Reshaping the department tree in the workbench (issue 17 item 8): rename and move a department
over GraphQL, audited, with clear errors, and the MPTT tree consistent after every move."""

from __future__ import annotations

import pytest
from graphql_relay import to_global_id

from jianlian.audit.models import AuditRecord
from jianlian.org.models import Department
from tenants.context import tenant_context
from tests.factories import make_department
from tests.utils import error_code, gql

RENAME = """mutation($input: RenameDepartmentInput!) { renameDepartment(input: $input) {
  department { name code } errors { field code message } } }"""
MOVE = """mutation($input: MoveDepartmentInput!) { moveDepartment(input: $input) {
  department { code parent { code } } errors { field code message } } }"""


@pytest.fixture
def tree(db, shared_province):
    p = shared_province
    with tenant_context(p.tenant_a):
        clinical = make_department("G-LC", "临床科室", unit=p.lead_a, kind="group", category="clinical")
        functional = make_department("G-ZN", "职能科室", unit=p.lead_a, kind="group", category="functional")
        internal = make_department("NK", "内科", unit=p.lead_a, parent=clinical)
        ward = make_department("NK-1", "内科一病区", unit=p.lead_a, parent=internal, kind="ward")
        surgery = make_department("WK", "外科", unit=p.lead_a, parent=clinical)
        other_unit = make_department("FS-G", "分水临床", unit=p.member_a1, kind="group")
    return {k: to_global_id("Department", v.pk) for k, v in {
        "clinical": clinical, "functional": functional, "internal": internal, "ward": ward, "surgery": surgery,
        "other_unit": other_unit}.items()}


def _consistent(tenant) -> None:
    """Nested sets as stored equal those rebuilt from the parent links."""
    with tenant_context(tenant):
        stored = list(Department.objects.order_by("pk").values_list("pk", "tree_id", "lft", "rght", "depth"))
        Department.objects.rebuild()
        assert list(Department.objects.order_by("pk").values_list("pk", "tree_id", "lft", "rght", "depth")) == stored


def test_an_admin_renames_and_moves_departments_and_the_tree_stays_consistent(client, shared_province, tree):
    p = shared_province
    admin = p.users["tenant_admin"]
    # given / when: renamed
    _, body = gql(client, RENAME, {"input": {"department": tree["internal"], "name": " 大内科 "}}, user=admin,
                  HTTP_X_TENANT="tonglu")
    # then: new name, same code, audited
    assert body["data"]["renameDepartment"] == {"department": {"name": "大内科", "code": "NK"}, "errors": []}
    # when: the internal department (with its ward) moves under the functional group
    _, body = gql(client, MOVE, {"input": {"department": tree["internal"], "parent": tree["functional"]}}, user=admin,
                  HTTP_X_TENANT="tonglu")
    assert body["data"]["moveDepartment"] == {"department": {"code": "NK", "parent": {"code": "G-ZN"}}, "errors": []}
    _consistent(p.tenant_a)
    with tenant_context(p.tenant_a):
        ward = Department.objects.get(code="NK-1")
        assert ward.get_ancestors().filter(code="G-ZN").exists()
        assert list(AuditRecord.objects.filter(action__in=("org.rename_department", "org.move_department"))
                    .order_by("pk").values_list("action", flat=True)) == ["org.rename_department", "org.move_department"]
    # and to the top of the unit
    _, body = gql(client, MOVE, {"input": {"department": tree["surgery"]}}, user=admin, HTTP_X_TENANT="tonglu")
    assert body["data"]["moveDepartment"] == {"department": {"code": "WK", "parent": None}, "errors": []}
    _consistent(p.tenant_a)


@pytest.mark.parametrize("target", ["ward", "internal", "other_unit"])
def test_moves_that_make_no_sense_are_refused_with_a_field_error(client, shared_province, tree, target):
    admin = shared_province.users["tenant_admin"]
    # under its own ward, under itself, into another unit
    _, body = gql(client, MOVE, {"input": {"department": tree["internal"], "parent": tree[target]}}, user=admin,
                  HTTP_X_TENANT="tonglu")
    [error] = body["data"]["moveDepartment"]["errors"]
    assert (error["field"], error["code"]) == ("parent", "INVALID_DEPARTMENT_MOVE") and error["message"]
    _consistent(shared_province.tenant_a)


def test_renaming_needs_a_name_and_the_organisation_permission(client, shared_province, tree):
    p = shared_province
    _, body = gql(client, RENAME, {"input": {"department": tree["internal"], "name": "  "}}, user=p.users["tenant_admin"],
                  HTTP_X_TENANT="tonglu")
    assert [(e["field"], e["code"]) for e in body["data"]["renameDepartment"]["errors"]] == [("name", "REQUIRED")]
    _, body = gql(client, RENAME, {"input": {"department": tree["internal"], "name": "大内科"}}, user=p.users["doctor"],
                  HTTP_X_TENANT="tonglu")
    assert error_code(body) == "PERMISSION_DENIED"
