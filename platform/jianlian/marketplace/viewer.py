"""`viewer`: what the signed-in person may use in the workspace of the request — the permission
codes they hold there and the apps installed there. The workbench builds its menu from it; every
action is still checked by the server on its own object."""

from __future__ import annotations

import graphene

from jianlian.api.base import PermissionField
from jianlian.api.permissions import PUBLIC


class ViewerType(graphene.ObjectType):
    """The signed-in person in this workspace (a tenant, or the province console)."""

    class Meta:
        name = "Viewer"

    permissions = graphene.List(
        graphene.NonNull(graphene.String), required=True,
        description="您在整个工作区持有的权限代码（授予在本租户单位或其上级；省级控制台为省级单位）。",
    )
    permissions_within = graphene.List(
        graphene.NonNull(graphene.String), required=True,
        description="您在工作区某一部分持有的权限代码（含授予在其下级单位的），例如只管本单位。",
    )
    installed_apps = graphene.List(
        graphene.NonNull(graphene.String), required=True,
        description="本租户已安装（未停用）的应用标识；省级控制台为空。",
    )

    @staticmethod
    def resolve_permissions(viewer, info):
        from jianlian.access.checks import permissions_at

        return sorted(permissions_at(viewer["user"], viewer["unit"]))

    @staticmethod
    def resolve_permissions_within(viewer, info):
        from jianlian.access.checks import permissions_within

        return sorted(permissions_within(viewer["user"], viewer["unit"]))

    @staticmethod
    def resolve_installed_apps(viewer, info):
        from jianlian.marketplace.models import InstallStatus, Installation

        if viewer["tenant"] is None:
            return []
        return list(Installation.objects.filter(tenant=viewer["tenant"], status=InstallStatus.INSTALLED)
                    .order_by("app__key").values_list("app__key", flat=True))


class Query(graphene.ObjectType):
    viewer = PermissionField(
        ViewerType, permissions=PUBLIC,
        description="当前登录者在本工作区可以使用什么：权限代码与已安装的应用（工作台据此显示菜单）；未登录时为空。",
    )

    @staticmethod
    def resolve_viewer(root, info):
        from jianlian.access.helpers import workspace_node
        from tenants.context import current_tenant

        user = info.context.user
        if not getattr(user, "is_authenticated", False):
            return None
        return {"user": user, "tenant": current_tenant(), "unit": workspace_node()}
