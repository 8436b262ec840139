import graphene
from django.utils.translation import gettext as _
from graphene_django import DjangoObjectType

from jianlian.api.base import BaseMutation, decode_id, require_user
from jianlian.core.errors import DomainError
from jianlian.hierarchy import services
from jianlian.hierarchy.models import Level, OrgUnit, UnitType

LevelEnum = graphene.Enum.from_enum(Level, description="组织层级（五级 + 独立医院）。")
UnitTypeEnum = graphene.Enum.from_enum(UnitType, description="单位类型。")


class OrgUnitType(DjangoObjectType):
    """A node of the province's organisation tree."""

    level = LevelEnum(required=True, description="层级。")
    unit_type = UnitTypeEnum(required=True, description="单位类型。")
    children = graphene.List(graphene.NonNull(lambda: OrgUnitType), required=True, description="直接下级。")
    tenant_slug = graphene.String(description="若本单位开通了租户，租户标识。")
    path = graphene.List(graphene.NonNull(graphene.String), required=True, description="从省到本单位的名称路径。")

    class Meta:
        model = OrgUnit
        name = "OrgUnit"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "name", "short_name", "division_code", "credit_code", "parent", "is_active")

    @staticmethod
    def resolve_children(unit, info):
        return unit.get_children()

    @staticmethod
    def resolve_tenant_slug(unit, info):
        tenant = getattr(unit, "tenant", None) if hasattr(unit, "tenant") else None
        return tenant.slug if tenant else None

    @staticmethod
    def resolve_path(unit, info):
        return [u.name for u in unit.get_ancestors(include_self=True)]

    @classmethod
    def get_node(cls, info, id):
        require_user(info)
        return OrgUnit.objects.filter(pk=id).first()


class Query(graphene.ObjectType):
    org_units = graphene.List(
        graphene.NonNull(OrgUnitType), required=True,
        parent=graphene.ID(description="上级单位ID；为空时返回顶级（省）。"),
        level=LevelEnum(description="只返回该层级。"),
        description="组织层级：某单位的直接下级。需登录。",
    )

    @staticmethod
    def resolve_org_units(root, info, parent=None, level=None):
        require_user(info)
        qs = OrgUnit.objects.select_related("tenant")
        if parent:
            try:
                qs = qs.filter(parent_id=decode_id(parent, "OrgUnit", "parent"))
            except DomainError as e:
                from jianlian.api.base import auth_error

                raise auth_error(e.code, e.message) from None
        else:
            qs = qs.filter(parent__isnull=True)
        if level:
            qs = qs.filter(level=level.value if hasattr(level, "value") else level)
        return qs.order_by("tree_id", "lft")[:1000]


class CreateOrgUnitInput(graphene.InputObjectType):
    parent = graphene.ID(description="上级单位ID（省级单位为空）。")
    level = LevelEnum(required=True)
    name = graphene.String(required=True)
    short_name = graphene.String()
    unit_type = UnitTypeEnum(required=True)
    division_code = graphene.String(description="GB/T 2260 行政区划代码（仅卫生健康行政部门）。")
    credit_code = graphene.String(description="统一社会信用代码（GB 32100）。")


class CreateOrgUnit(BaseMutation):
    """新增组织单元。需要上级单位的 platform.manage_hierarchy 权限。"""

    org_unit = graphene.Field(OrgUnitType)

    class Arguments:
        input = CreateOrgUnitInput(required=True)

    @classmethod
    def perform(cls, info, input):
        parent = None
        if input.get("parent"):
            parent = OrgUnit.objects.filter(pk=decode_id(input["parent"], "OrgUnit", "parent")).first()
            if parent is None:
                raise DomainError("NOT_FOUND", _("上级单位不存在。"), "parent")
        unit = services.create_unit(
            info.context.user, parent=parent, level=_val(input["level"]), name=input["name"],
            unit_type=_val(input["unit_type"]), short_name=input.get("short_name") or "",
            division_code=input.get("division_code") or "", credit_code=input.get("credit_code") or "",
        )
        return CreateOrgUnit(org_unit=unit, errors=[])


class MoveOrgUnitInput(graphene.InputObjectType):
    id = graphene.ID(required=True)
    new_parent = graphene.ID(required=True)
    reason = graphene.String()


class MoveOrgUnit(BaseMutation):
    """把单位（连同下级）移到新的上级之下，保留隶属历史并记审计。需要新旧上级的 platform.manage_hierarchy 权限。"""

    org_unit = graphene.Field(OrgUnitType)

    class Arguments:
        input = MoveOrgUnitInput(required=True)

    @classmethod
    def perform(cls, info, input):
        unit = OrgUnit.objects.filter(pk=decode_id(input["id"], "OrgUnit")).first()
        parent = OrgUnit.objects.filter(pk=decode_id(input["new_parent"], "OrgUnit", "newParent")).first()
        if unit is None or parent is None:
            raise DomainError("NOT_FOUND", _("单位不存在。"), "id" if unit is None else "newParent")
        return MoveOrgUnit(org_unit=services.move_unit(info.context.user, unit, parent, input.get("reason") or ""), errors=[])


def _val(v):
    return v.value if hasattr(v, "value") else v


class Mutation(graphene.ObjectType):
    create_org_unit = CreateOrgUnit.Field()
    move_org_unit = MoveOrgUnit.Field()
