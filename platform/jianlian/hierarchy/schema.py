import graphene
from django.utils.translation import gettext as _

from jianlian.api import dataloaders
from jianlian.api.base import BaseMutation, GlobalID, PermissionField, auth_error, decode_id, require_user
from jianlian.api.permissions import SIGNED_IN, Perm, unit_in
from jianlian.api.execution import then
from jianlian.api.connection import CountableConnection, connection_args, paginate
from jianlian.api.types import ModelType
from jianlian.core.errors import DomainError
from jianlian.hierarchy import services
from jianlian.hierarchy.models import Level, OrgUnit, UnitType

LevelEnum = graphene.Enum.from_enum(Level, description="组织层级（五级 + 独立医院）。")
UnitTypeEnum = graphene.Enum.from_enum(UnitType, description="单位类型。")


class OrgUnitType(ModelType):
    """A node of the province's organisation tree."""

    level = LevelEnum(required=True, description="层级。")
    unit_type = UnitTypeEnum(required=True, description="单位类型。")
    parent = graphene.Field(lambda: OrgUnitType, description="上级单位；省级为空。")
    children = graphene.Field(
        lambda: OrgUnitConnection, required=True, args=connection_args(), description="直接下级（分页）。"
    )
    tenant_slug = graphene.String(description="若本单位开通了租户，租户标识。")
    child_levels = graphene.List(graphene.NonNull(LevelEnum), required=True,
                                 description="可在本单位之下新增的层级；为空表示不能有下级单位（成员单位中只有乡镇卫生院可设村卫生室）。")

    class Meta:
        model = OrgUnit
        name = "OrgUnit"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "name", "short_name", "division_code", "credit_code", "is_active")

    @staticmethod
    def resolve_parent(unit, info):
        return dataloaders.by_id(info.context, OrgUnit).load(unit.parent_id) if unit.parent_id else None

    @staticmethod
    def resolve_children(unit, info, first=None, after=None):
        return paginate(OrgUnit.objects.filter(parent_id=unit.pk), OrgUnitConnection, first=first, after=after,
                        order=("lft",))

    @staticmethod
    def resolve_child_levels(unit, info):
        from jianlian.hierarchy.models import child_levels

        return child_levels(unit)

    @staticmethod
    def resolve_tenant_slug(unit, info):
        from tenants.models import Tenant

        return then(dataloaders.by_field(info.context, Tenant, "org_unit_id").load(unit.pk), lambda t: t.slug if t else None)

    @classmethod
    def access_node(cls, info, viewer, pk):
        return OrgUnit.objects.filter(pk=pk).first()  # the tree is every signed-in person's address book


class OrgUnitConnection(CountableConnection):
    """A page of organisation units."""

    class Meta:
        node = OrgUnitType


class Query(graphene.ObjectType):
    org_units = PermissionField(
        OrgUnitConnection, required=True, permissions=SIGNED_IN,
        args=connection_args(
            parent=graphene.ID(description="上级单位ID；为空时返回顶级（省）。"),
            level=LevelEnum(description="只返回该层级（在上级的整个下级范围内）。"),
            search=graphene.String(description="按名称或简称模糊查找。"),
        ),
        description="组织层级：某单位的下级单位，按树的顺序。",
    )

    @staticmethod
    def resolve_org_units(root, info, parent=None, level=None, search=None, first=None, after=None):
        qs = OrgUnit.objects.all()
        if parent:
            try:
                node = OrgUnit.objects.filter(pk=decode_id(parent, "OrgUnit", "parent")).first()
            except DomainError as e:
                raise auth_error(e.code, e.message) from None
            if node is None:
                raise auth_error("NOT_FOUND", _("对象不存在或您无权访问。"))
            qs = node.get_descendants() if (level or search) else qs.filter(parent_id=node.pk)
        elif not (level or search):
            qs = qs.filter(parent__isnull=True)
        if level:
            qs = qs.filter(level=getattr(level, "value", level))
        if search:
            from django.db.models import Q

            qs = qs.filter(Q(name__icontains=search.strip()) | Q(short_name__icontains=search.strip()))
        return paginate(qs, OrgUnitConnection, first=first, after=after, order=("tree_id", "lft"))


class CreateOrgUnitInput(graphene.InputObjectType):
    """A new unit of the organisation tree."""

    parent = GlobalID("OrgUnit", description="上级单位ID（省级单位为空）。")
    level = LevelEnum(required=True, description="层级。")
    name = graphene.String(required=True, description="单位名称。")
    short_name = graphene.String(description="简称。")
    unit_type = UnitTypeEnum(required=True, description="单位类型。")
    division_code = graphene.String(description="GB/T 2260 行政区划代码（仅卫生健康行政部门）。")
    credit_code = graphene.String(description="统一社会信用代码（GB 32100）。")


class CreateOrgUnit(BaseMutation):
    org_unit = graphene.Field(OrgUnitType, description="新建的单位。")

    class Meta:
        description = "新增组织单元（省级单位没有上级，只能由超级管理员新增）。"
        permissions = Perm("platform.manage_hierarchy", at=unit_in("parent"))
        error_codes = ("INVALID_NAME", "TOO_LONG", "INVALID_LEVEL", "LEVEL_VIOLATION", "INVALID_UNIT_TYPE",
                       "INVALID_DIVISION_CODE", "DIVISION_LEVEL_MISMATCH", "DIVISION_PREFIX_MISMATCH",
                       "DIVISION_CODE_NOT_APPLICABLE", "DIVISION_CODE_TAKEN", "INVALID_CREDIT_CODE", "CREDIT_CODE_TAKEN")

    class Arguments:
        input = CreateOrgUnitInput(required=True)

    @classmethod
    def perform(cls, info, input):
        unit = services.create_unit(
            info.context.user, parent=input.get("parent"), level=input["level"], name=input["name"],
            unit_type=input["unit_type"], short_name=input.get("short_name") or "",
            division_code=input.get("division_code") or "", credit_code=input.get("credit_code") or "",
        )
        return CreateOrgUnit(org_unit=unit, errors=[])


class MoveOrgUnitInput(graphene.InputObjectType):
    """Where a unit (and its subtree) moves to."""

    id = GlobalID("OrgUnit", required=True, description="要移动的单位。")
    new_parent = GlobalID("OrgUnit", required=True, description="新的上级单位。")
    reason = graphene.String(description="调整原因。")


class MoveOrgUnit(BaseMutation):
    org_unit = graphene.Field(OrgUnitType, description="移动后的单位。")

    class Meta:
        description = "把单位（连同下级）移到新的上级之下，保留隶属历史并记审计。原上级处也须有同一权限。"
        permissions = Perm("platform.manage_hierarchy", at=unit_in("id", "new_parent"))
        error_codes = ("TOO_LONG", "SAME_PARENT", "CYCLE", "LEVEL_VIOLATION", "DIVISION_PREFIX_MISMATCH")

    class Arguments:
        input = MoveOrgUnitInput(required=True)

    @classmethod
    def perform(cls, info, input):
        return MoveOrgUnit(org_unit=services.move_unit(info.context.user, input["id"], input["new_parent"],
                                                       input.get("reason") or ""), errors=[])


class Mutation(graphene.ObjectType):
    create_org_unit = CreateOrgUnit.Field()
    move_org_unit = MoveOrgUnit.Field()
