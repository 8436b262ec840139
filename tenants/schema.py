import graphene
from django.utils.translation import gettext as _
from graphene_django import DjangoObjectType

from jianlian.api.base import BaseMutation, decode_id, require_user
from jianlian.core.errors import DomainError
from jianlian.hierarchy.models import OrgUnit
from tenants import provisioning
from tenants.models import Tenant, TenantKind, TenantStatus

TenantStatusEnum = graphene.Enum.from_enum(TenantStatus, description="租户状态。")
TenantKindEnum = graphene.Enum.from_enum(TenantKind, description="租户类型。")


class TenantType(DjangoObjectType):
    """A county medical community or a standalone hospital, with its own schema."""

    status = TenantStatusEnum(required=True)
    kind = TenantKindEnum(required=True)

    class Meta:
        model = Tenant
        name = "Tenant"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "slug", "name", "org_unit", "status_reason", "created_at")


class Query(graphene.ObjectType):
    tenants = graphene.List(graphene.NonNull(TenantType), required=True, description="本人所属或有权管理的租户。需登录。")
    current_tenant = graphene.Field(TenantType, description="本次请求所在的租户；省级控制台为空。")

    @staticmethod
    def resolve_tenants(root, info):
        from jianlian.access.checks import scope_nodes

        user = require_user(info)
        managed = scope_nodes(user, "platform.manage_tenants")
        qs = Tenant.objects.filter(org_unit__in=managed) | Tenant.objects.filter(
            memberships__user=user, memberships__is_active=True
        )
        return qs.select_related("org_unit").distinct().order_by("slug")

    @staticmethod
    def resolve_current_tenant(root, info):
        return getattr(info.context, "tenant", None)


class CreateTenantInput(graphene.InputObjectType):
    org_unit = graphene.ID(required=True, description="医共体牵头单位或独立医院。")
    slug = graphene.String(required=True, description="租户标识：3–40位小写字母、数字、连字符。")
    name = graphene.String()


class CreateTenant(BaseMutation):
    """为单位开通租户。需要该单位的 platform.manage_tenants 权限。"""

    tenant = graphene.Field(TenantType)

    class Arguments:
        input = CreateTenantInput(required=True)

    @classmethod
    def perform(cls, info, input):
        node = OrgUnit.objects.filter(pk=decode_id(input["org_unit"], "OrgUnit", "orgUnit")).first()
        if node is None:
            raise DomainError("NOT_FOUND", _("单位不存在。"), "orgUnit")
        tenant = provisioning.create_tenant(info.context.user, node, input["slug"], name=input.get("name") or "")
        return CreateTenant(tenant=tenant, errors=[])


class SetTenantStatusInput(graphene.InputObjectType):
    id = graphene.ID(required=True)
    status = TenantStatusEnum(required=True)
    reason = graphene.String()


class SetTenantStatus(BaseMutation):
    """暂停、恢复或归档租户（数据保留）。需要 platform.manage_tenants 权限。"""

    tenant = graphene.Field(TenantType)

    class Arguments:
        input = SetTenantStatusInput(required=True)

    @classmethod
    def perform(cls, info, input):
        from jianlian.core.errors import PermissionDeniedError

        tenant = Tenant.objects.select_related("org_unit").filter(pk=decode_id(input["id"], "Tenant")).first()
        if tenant is None:
            raise PermissionDeniedError()  # do not reveal whether it exists
        status = input["status"].value if hasattr(input["status"], "value") else input["status"]
        return SetTenantStatus(tenant=provisioning.set_status(info.context.user, tenant, status, input.get("reason") or ""), errors=[])


class Mutation(graphene.ObjectType):
    create_tenant = CreateTenant.Field()
    set_tenant_status = SetTenantStatus.Field()
