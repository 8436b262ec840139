import graphene

from jianlian.api import dataloaders
from jianlian.api.base import BaseMutation, GlobalID, PermissionField, require_user
from jianlian.api.permissions import SIGNED_IN, Perm, tenant_in, unit_in
from jianlian.api.connection import CountableConnection, connection_args, paginate
from jianlian.api.types import ModelType
from jianlian.hierarchy.models import OrgUnit
from tenants import provisioning
from tenants.models import Tenant, TenantKind, TenantStatus

TenantStatusEnum = graphene.Enum.from_enum(TenantStatus, description="租户状态。")
TenantKindEnum = graphene.Enum.from_enum(TenantKind, description="租户类型。")


class TenantType(ModelType):
    """A county medical community or a standalone hospital, with its own schema."""

    status = TenantStatusEnum(required=True, description="状态。")
    kind = TenantKindEnum(required=True, description="类型。")
    org_unit = graphene.Field("jianlian.hierarchy.schema.OrgUnitType", required=True, description="对应的组织单元。")

    class Meta:
        model = Tenant
        name = "Tenant"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "slug", "name", "status_reason", "created_at")

    @staticmethod
    def resolve_org_unit(tenant, info):
        return dataloaders.by_id(info.context, OrgUnit).load(tenant.org_unit_id)

    @classmethod
    def get_node(cls, info, id):
        user = require_user(info)
        return _visible_tenants(user).filter(pk=id).first()


class TenantConnection(CountableConnection):
    """A page of tenants."""

    class Meta:
        node = TenantType


def _visible_tenants(user):
    from jianlian.access.checks import scope_nodes

    managed = scope_nodes(user, "platform.manage_tenants")
    return Tenant.objects.filter(org_unit__in=managed) | Tenant.objects.filter(
        memberships__user=user, memberships__is_active=True
    )


class Query(graphene.ObjectType):
    tenants = PermissionField(
        TenantConnection, required=True, args=connection_args(status=TenantStatusEnum(description="只看该状态。")),
        permissions=SIGNED_IN, description="本人所属或有权管理的租户，按标识排序。",
    )
    current_tenant = PermissionField(TenantType, permissions=SIGNED_IN,
                                     description="本次请求所在的租户；省级控制台为空。")

    @staticmethod
    def resolve_tenants(root, info, first=None, after=None, status=None):
        qs = Tenant.objects.filter(pk__in=_visible_tenants(info.context.user).values("pk"))
        if status:
            qs = qs.filter(status=status.value)
        return paginate(qs, TenantConnection, first=first, after=after, order=("slug",))

    @staticmethod
    def resolve_current_tenant(root, info):
        from tenants.context import current_tenant

        return current_tenant()


class CreateTenantInput(graphene.InputObjectType):
    """A tenant for a community lead unit or a standalone hospital."""

    org_unit = GlobalID("OrgUnit", required=True, description="医共体牵头单位或独立医院。")
    slug = graphene.String(required=True, description="租户标识：3–40位小写字母、数字、连字符。")
    name = graphene.String(description="名称；默认取单位名称。")


class CreateTenant(BaseMutation):
    tenant = graphene.Field(TenantType, description="新开通的租户。")

    class Meta:
        description = "为单位开通租户。"
        permissions = Perm("platform.manage_tenants", at=unit_in("org_unit"))
        error_codes = ("INVALID_SLUG", "RESERVED_SLUG", "SLUG_TAKEN", "TENANT_EXISTS", "INVALID_TENANT_NODE",
                       "INVALID_NAME", "TEMPLATE_MISSING", "TEMPLATE_STALE")

    class Arguments:
        input = CreateTenantInput(required=True)

    @classmethod
    def perform(cls, info, input):
        tenant = provisioning.create_tenant(info.context.user, input["org_unit"], input["slug"], name=input.get("name") or "")
        return CreateTenant(tenant=tenant, errors=[])


class SetTenantStatusInput(graphene.InputObjectType):
    """A tenant's new lifecycle status."""

    id = GlobalID("Tenant", required=True, description="租户。")
    status = TenantStatusEnum(required=True, description="新状态。")
    reason = graphene.String(description="原因（暂停时会告知用户）。")


class SetTenantStatus(BaseMutation):
    tenant = graphene.Field(TenantType, description="变更后的租户。")

    class Meta:
        description = "暂停、恢复或归档租户（数据保留）。"
        permissions = Perm("platform.manage_tenants", at=tenant_in("id"))
        error_codes = ("INVALID_STATUS", "INVALID_TRANSITION", "TOO_LONG")

    class Arguments:
        input = SetTenantStatusInput(required=True)

    @classmethod
    def perform(cls, info, input):
        return SetTenantStatus(tenant=provisioning.set_status(info.context.user, input["id"], input["status"],
                                                              input.get("reason") or ""), errors=[])


class Mutation(graphene.ObjectType):
    create_tenant = CreateTenant.Field()
    set_tenant_status = SetTenantStatus.Field()
