"""GraphQL writes that reshape the department tree: rename and move (adding one is
`createDepartment` in `jianlian.org.mutations`). Each calls `jianlian.org.departments`."""

from __future__ import annotations

import graphene

from jianlian.api.base import BaseMutation, GlobalID
from jianlian.api.permissions import CURRENT_TENANT, Perm
from jianlian.org import departments
from jianlian.org.schema import DepartmentType, tenant_viewer


class RenameDepartmentInput(graphene.InputObjectType):
    """A department's new name."""

    department = GlobalID("Department", required=True, description="科室（Department ID）。")
    name = graphene.String(required=True, description="新名称（最多60字）。")


class RenameDepartment(BaseMutation):
    class Meta:
        description = "重命名科室（编码不变）。"
        permissions = Perm("org.manage", at=CURRENT_TENANT)
        error_codes = ("UNKNOWN_DEPARTMENT", "REQUIRED", "TOO_LONG")

    department = graphene.Field(DepartmentType, description="重命名后的科室。")

    class Arguments:
        input = RenameDepartmentInput(required=True)

    @classmethod
    def perform(cls, info, input):
        dept = departments.rename_department(tenant_viewer(info), input["department"], name=input["name"])
        return RenameDepartment(department=dept, errors=[])


class MoveDepartmentInput(graphene.InputObjectType):
    """Where a department goes."""

    department = GlobalID("Department", required=True, description="要移动的科室（Department ID）。")
    parent = GlobalID("Department", description="新的上级科室（Department ID）；为空时移到本单位顶级。")


class MoveDepartment(BaseMutation):
    class Meta:
        description = "移动科室（连同其下级科室和病区）到本单位的另一科室下，或移到顶级。"
        permissions = Perm("org.manage", at=CURRENT_TENANT)
        error_codes = ("UNKNOWN_DEPARTMENT", "INVALID_DEPARTMENT_MOVE")

    department = graphene.Field(DepartmentType, description="移动后的科室。")

    class Arguments:
        input = MoveDepartmentInput(required=True)

    @classmethod
    def perform(cls, info, input):
        dept = departments.move_department(tenant_viewer(info), input["department"], parent_id=input.get("parent"))
        return MoveDepartment(department=dept, errors=[])


class DepartmentMutation(graphene.ObjectType):
    rename_department = RenameDepartment.Field()
    move_department = MoveDepartment.Field()
