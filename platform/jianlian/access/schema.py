"""GraphQL for role management inside a tenant (`jianlian.access.roles`): the grantable roles with
their holders, the units to grant at, and the grant and revoke mutations."""

from __future__ import annotations

import graphene
from graphql_relay import to_global_id

from jianlian.access import roles as services
from jianlian.api.base import BaseMutation, GlobalID, PermissionField, require_user
from jianlian.api.permissions import CURRENT_TENANT, Perm
from tenants.context import current_tenant

MANAGE = Perm(services.MANAGE_ROLES, at=CURRENT_TENANT)


class RolePermissionType(graphene.ObjectType):
    """One permission code a role carries, with its label."""

    code = graphene.String(required=True, description="权限代码，如 referrals.accept。")
    label = graphene.String(required=True, description="权限说明。")


class RoleGrantType(graphene.ObjectType):
    """A role held by a person at a unit (covering the unit's subtree)."""

    id = graphene.ID(required=True, description="授权ID（RoleGrant ID）。")
    user_id = graphene.ID(required=True, description="持有人账号（User ID）。")
    person_name = graphene.String(required=True, description="持有人姓名。")
    unit_id = graphene.ID(required=True, description="授予所在单位（OrgUnit ID）。")
    unit_name = graphene.String(required=True, description="授予所在单位名称。")
    granted_at = graphene.DateTime(required=True, description="授予时间。")

    @staticmethod
    def of(grant) -> RoleGrantType:
        return RoleGrantType(id=to_global_id("RoleGrant", grant.pk), user_id=to_global_id("User", grant.user_id),
                             person_name=grant.user.real_name or grant.user.username,
                             unit_id=to_global_id("OrgUnit", grant.node_id), unit_name=grant.node.name,
                             granted_at=grant.granted_at)


class TenantRoleType(graphene.ObjectType):
    """A role this tenant's admins may grant: a platform role or one an installed app defines."""

    id = graphene.ID(required=True, description="角色ID（Role ID）。")
    code = graphene.String(required=True, description="角色代码。")
    name = graphene.String(required=True, description="角色名称。")
    name_en = graphene.String(required=True, description="英文名称。")
    source_key = graphene.String(required=True, description="来源：platform 或应用标识（如 referrals）。")
    source_name = graphene.String(required=True, description="来源名称（平台或应用名称）。")
    source_name_en = graphene.String(required=True, description="来源英文名称。")
    permissions = graphene.List(graphene.NonNull(RolePermissionType), required=True, description="包含的权限。")
    grants = graphene.List(graphene.NonNull(RoleGrantType), required=True, description="在本单位（含下属单位）的授权。")


class GrantUnitType(graphene.ObjectType):
    """A unit of the tenant where roles may be granted."""

    id = graphene.ID(required=True, description="单位ID（OrgUnit ID）。")
    name = graphene.String(required=True, description="单位名称。")
    depth = graphene.Int(required=True, description="在本租户内的层次（0 为本单位）。")


class Query(graphene.ObjectType):
    tenant_roles = PermissionField(
        graphene.List(graphene.NonNull(TenantRoleType)), required=True, permissions=MANAGE,
        description="本租户可授予的角色（平台角色与已安装应用定义的角色）及各自的持有人。",
    )
    role_grant_units = PermissionField(
        graphene.List(graphene.NonNull(GrantUnitType)), required=True, permissions=MANAGE,
        description="可授予角色的单位：本租户的单位及其下属单位。",
    )

    @staticmethod
    def resolve_tenant_roles(root, info):
        tenant = current_tenant()
        pairs = services.grantable_roles(tenant)
        by_role: dict[int, list] = {}
        for grant in services.grants_in(tenant, [r.pk for r, _s in pairs]):
            by_role.setdefault(grant.role_id, []).append(RoleGrantType.of(grant))
        return [TenantRoleType(
            id=to_global_id("Role", role.pk), code=role.code, name=role.name, name_en=role.name_en or role.name,
            source_key=source.key, source_name=source.name_zh, source_name_en=source.name_en,
            permissions=[RolePermissionType(code=c, label=label) for c, label in services.permission_labels(role)],
            grants=by_role.get(role.pk, []),
        ) for role, source in pairs]

    @staticmethod
    def resolve_role_grant_units(root, info):
        root_unit = current_tenant().org_unit
        return [GrantUnitType(id=to_global_id("OrgUnit", u.pk), name=u.name, depth=u.depth - root_unit.depth)
                for u in root_unit.get_descendants(include_self=True)]


class GrantRoleInput(graphene.InputObjectType):
    """Whom to give which role, and where."""

    role = GlobalID("Role", required=True, description="角色（Role ID），见 tenantRoles。")
    user = GlobalID("User", required=True, description="人员账号（User ID，通讯录 Contact.userId）。")
    unit = GlobalID("OrgUnit", required=True, description="授予所在单位（OrgUnit ID）：覆盖其下属单位。")


class GrantRole(BaseMutation):
    class Meta:
        description = "授予角色：把平台或已安装应用定义的角色授予本租户的一名在职人员，在某单位生效。记入审计日志。"
        permissions = MANAGE
        error_codes = ("ROLE_NOT_GRANTABLE", "UNIT_OUTSIDE_TENANT", "NOT_A_MEMBER", "ALREADY_GRANTED")

    grant = graphene.Field(RoleGrantType, description="新的授权。")

    class Arguments:
        input = GrantRoleInput(required=True)

    @classmethod
    def perform(cls, info, input):
        grant = services.grant_role(require_user(info), role_id=input["role"], user_id=input["user"],
                                    unit_id=input["unit"])
        return GrantRole(grant=RoleGrantType.of(grant), errors=[])


class RevokeRoleInput(graphene.InputObjectType):
    """Which grant to take back."""

    grant = GlobalID("RoleGrant", required=True, description="授权（RoleGrant ID）。")


class RevokeRole(BaseMutation):
    class Meta:
        description = "收回角色授权。本单位最后一个可管理角色的授权不能收回。记入审计日志。"
        permissions = MANAGE
        error_codes = ("LAST_ROLE_ADMIN",)

    ok = graphene.Boolean(description="是否已收回。")

    class Arguments:
        input = RevokeRoleInput(required=True)

    @classmethod
    def perform(cls, info, input):
        services.revoke_role(require_user(info), grant_id=input["grant"])
        return RevokeRole(ok=True, errors=[])


class Mutation(graphene.ObjectType):
    grant_role = GrantRole.Field()
    revoke_role = RevokeRole.Field()
