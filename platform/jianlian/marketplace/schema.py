"""GraphQL for the marketplace: browse and search the catalog, publish, install / upgrade /
uninstall (as jobs), mandate, visibility, the workbench with live badges, and launching external
apps. Thin resolvers over `services` and `external`."""

from __future__ import annotations

import graphene

from jianlian.access.helpers import require_tenant
from jianlian.api.base import BaseMutation, GlobalID, PermissionField, require_user
from jianlian.api.permissions import CURRENT_TENANT, SIGNED_IN, Perm, unit_in
from jianlian.api.connection import CountableConnection, connection_args, paginate
from jianlian.api.types import ModelType
from jianlian.core.i18n import pick
from jianlian.marketplace import external, manifest as manifests, services
from tenants.context import current_tenant
from jianlian.marketplace.models import (
    App, AppCategory, AppKind, AppVersion, InstallJob, InstallStatus, Installation, JobAction, JobStatus, Mandate,
    WebhookDelivery,
)

AppKindEnum = graphene.Enum.from_enum(AppKind, description="应用类型。")
AppCategoryEnum = graphene.Enum.from_enum(AppCategory, description="工作台分类（行政办公、临床业务、公共卫生、运营管理）。")
InstallStatusEnum = graphene.Enum.from_enum(InstallStatus, description="安装状态。")
JobActionEnum = graphene.Enum.from_enum(JobAction, description="安装任务的操作。")
JobStatusEnum = graphene.Enum.from_enum(JobStatus, description="安装任务的状态。")


class AppVersionType(ModelType):
    """A version of an app with its change notes."""

    class Meta:
        model = AppVersion
        name = "AppVersion"
        fields = ("version", "notes", "notes_en", "released_at")


class AppPermissionType(graphene.ObjectType):
    """A permission an external app requests, as its installer is asked to consent to it."""

    code = graphene.String(required=True, description="权限代码。")
    label = graphene.String(required=True, description="权限名称。")
    patient_data = graphene.Boolean(required=True, description="是否涉及患者数据。")
    grantable = graphene.Boolean(required=True, description="当前用户在本单位是否持有该权限（只能授予自己持有的权限）。")

    class Meta:
        name = "AppPermission"


class AppType(ModelType):
    """An app on the shelf of the marketplace."""

    kind = AppKindEnum(required=True, description="内置或外部应用。")
    category = AppCategoryEnum(required=True, description="分类。")
    publisher = graphene.Field("jianlian.hierarchy.schema.OrgUnitType", description="发布单位；内置应用为空（全省）。")
    depends = graphene.List(graphene.NonNull(graphene.String), required=True, description="依赖的应用标识。")
    permissions = graphene.List(graphene.NonNull(graphene.String), required=True, description="定义或申请的权限代码。")
    requested_permissions = graphene.List(
        graphene.NonNull(AppPermissionType), required=True,
        description="外部应用申请的权限（名称，以及当前用户能否授予），安装前请求同意时展示；内置应用为空。")
    versions = graphene.List(graphene.NonNull(AppVersionType), required=True, description="版本与更新说明，新的在前。")
    installation = graphene.Field(lambda: InstallationType, description="在本单位的安装情况；未安装为空。")
    display_name = graphene.String(required=True, description="按请求语言（Accept-Language）显示的名称；无英文名称时为中文。")
    display_description = graphene.String(required=True, description="按请求语言显示的简介（内置应用的英文简介来自其清单）；无英文时为中文。")

    class Meta:
        model = App
        name = "App"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "key", "name", "name_en", "description", "icon", "version", "launch_url", "created_at")

    @staticmethod
    def resolve_publisher(app, info):
        return app.publisher

    @staticmethod
    def resolve_display_name(app, info):
        return pick(app.name, app.name_en)

    @staticmethod
    def resolve_display_description(app, info):
        module = manifests.registry().get(app.key) if app.kind == AppKind.BUILTIN else None
        return pick(app.description, module.description_en if module else "")

    @staticmethod
    def resolve_requested_permissions(app, info):
        if app.kind != AppKind.EXTERNAL:
            return []
        return [AppPermissionType(**p) for p in external.requested_permissions(info.context.user, current_tenant(), app)]

    @staticmethod
    def resolve_versions(app, info):
        return app.versions.all()[:20]

    @staticmethod
    def resolve_installation(app, info):
        tenant = current_tenant()
        return services.installation(tenant, app.key) if tenant else None

    @classmethod
    def access_node(cls, info, viewer, pk):
        return services.catalog_for(current_tenant()).filter(pk=pk).first()


class AppConnection(CountableConnection):
    """A page of apps."""

    class Meta:
        node = AppType


class InstallationType(ModelType):
    """An app in this tenant."""

    status = InstallStatusEnum(required=True, description="状态。")
    app = graphene.Field(AppType, required=True, description="应用。")
    visibility = graphene.JSONString(required=True, description="可见范围 {users, units, roles, …}；为空表示全员可见。")
    granted_permissions = graphene.List(graphene.NonNull(graphene.String), required=True, description="授予外部应用的权限。")
    upgrade_available = graphene.Boolean(required=True, description="有新版本可升级。")

    class Meta:
        model = Installation
        name = "Installation"
        fields = ("version", "mandated", "installed_at", "updated_at")

    @staticmethod
    def resolve_upgrade_available(inst, info):
        from jianlian.marketplace.manifest import get

        m = get(inst.app.key)
        return bool(m and inst.status == InstallStatus.INSTALLED and m.version != inst.version)


class InstallJobType(ModelType):
    """A background install / upgrade / uninstall job; its progress is live on `jobProgress(taskId: id)`."""

    id = graphene.ID(required=True, description="任务ID，也是 jobProgress 订阅的 taskId。")
    action = JobActionEnum(required=True, description="操作。")
    status = JobStatusEnum(required=True, description="状态。")
    app = graphene.Field(AppType, required=True, description="应用。")
    error_code = graphene.String(description="失败时的错误代码。")

    class Meta:
        model = InstallJob
        name = "InstallJob"
        fields = ("done", "total", "message", "error", "created_at", "finished_at")

    @staticmethod
    def resolve_error_code(job, info):
        return job.error_code or None


def _visible_mandates(info):
    """The mandates covering the tenant, or (on the province console) those made at nodes where
    the viewer holds `marketplace.mandate`."""
    tenant = current_tenant()
    qs = Mandate.objects.select_related("app", "node")
    if tenant is not None:
        node = tenant.org_unit
        return qs.filter(node__tree_id=node.tree_id, node__lft__lte=node.lft, node__rght__gte=node.rght)
    from jianlian.access.checks import scope_nodes

    return qs.filter(node__in=scope_nodes(info.context.user, "marketplace.mandate"))


class MandateType(ModelType):
    """An app a higher level requires for its subtree."""

    app = graphene.Field(AppType, required=True, description="应用。")
    node = graphene.Field("jianlian.hierarchy.schema.OrgUnitType", required=True, description="要求统一安装的辖区。")
    tenant_count = graphene.Int(required=True, description="辖区内在用的单位（租户）数。")
    installed_count = graphene.Int(required=True, description="其中已安装该应用的单位数；与 tenantCount 相等即已全部完成。")
    pending_tenants = graphene.List(graphene.NonNull("tenants.schema.TenantType"), required=True,
                                    description="尚未安装该应用的单位（最多20个），后台任务完成或失败前会在这里。")

    class Meta:
        model = Mandate
        name = "Mandate"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "created_at")

    @staticmethod
    def _coverage(mandate) -> services.MandateCoverage:
        if not hasattr(mandate, "_jl_coverage"):
            mandate._jl_coverage = services.mandate_coverage(mandate)
        return mandate._jl_coverage

    @staticmethod
    def resolve_tenant_count(mandate, info):
        return MandateType._coverage(mandate).total

    @staticmethod
    def resolve_installed_count(mandate, info):
        return MandateType._coverage(mandate).installed

    @staticmethod
    def resolve_pending_tenants(mandate, info):
        return MandateType._coverage(mandate).pending[:20]

    @classmethod
    def access_node(cls, info, viewer, pk):
        return _visible_mandates(info).filter(pk=pk).first()


class WebhookDeliveryType(ModelType):
    """One attempt to deliver an event to an external app."""

    class Meta:
        model = WebhookDelivery
        name = "WebhookDelivery"
        fields = ("event", "url", "message_id", "attempt", "status_code", "ok", "error", "duration_ms", "created_at")


class WorkbenchApp(graphene.ObjectType):
    """An app the current user can open, with its badge."""

    app = graphene.Field(AppType, required=True, description="应用。")
    badge = graphene.Int(description="待办数等角标；应用不提供时为空。")


class WorkbenchCategory(graphene.ObjectType):
    """One line of the workbench (seed 004: administrative office, clinical, public health, management)."""

    category = AppCategoryEnum(required=True, description="分类。")
    label = graphene.String(required=True, description="分类名称（按语言）。")
    apps = graphene.List(graphene.NonNull(WorkbenchApp), required=True, description="本分类中可打开的应用。")


class BadgeUpdate(graphene.ObjectType):
    """A new badge count for one app on the subscriber's workbench."""

    app_key = graphene.String(required=True, description="应用标识。")
    badge = graphene.Int(description="新的角标数。")


class Query(graphene.ObjectType):
    apps = PermissionField(
        AppConnection, required=True, permissions=SIGNED_IN,
        args=connection_args(search=graphene.String(description="按名称、标识或简介搜索。"),
                             category=AppCategoryEnum(description="只看该分类。")),
        description="应用市场：本单位可见的应用（省级控制台为全部），按分类与名称排序。",
    )
    app = PermissionField(AppType, key=graphene.String(required=True, description="应用标识。"), permissions=SIGNED_IN,
                          description="按标识取应用（须对本单位可见）。")
    installations = PermissionField(graphene.List(graphene.NonNull(InstallationType)), required=True,
                                    permissions=Perm("marketplace.manage", at=CURRENT_TENANT),
                                    description="本单位已安装或已停用的应用。")
    install_job = PermissionField(InstallJobType, id=graphene.ID(required=True, description="任务ID。"),
                                  permissions=Perm("marketplace.manage", at=CURRENT_TENANT), description="安装任务的状态。")
    mandates = PermissionField(graphene.List(graphene.NonNull(MandateType)), required=True, permissions=SIGNED_IN,
                               description="覆盖本单位（或本人辖区）的统一安装要求。")
    workbench = PermissionField(graphene.List(graphene.NonNull(WorkbenchCategory)), required=True, permissions=SIGNED_IN,
                                description="当前用户在本单位可打开的应用，按分类分组，带角标。")
    webhook_deliveries = PermissionField(
        graphene.List(graphene.NonNull(WebhookDeliveryType)), required=True,
        app=graphene.String(required=True, description="应用标识。"),
        permissions=Perm("marketplace.manage", at=CURRENT_TENANT), description="外部应用最近50次事件投递记录。",
    )

    @staticmethod
    def resolve_apps(root, info, first=None, after=None, search=None, category=None):
        qs = services.search_catalog(current_tenant(), text=search or "", category=getattr(category, "value", category) or "")
        return paginate(qs, AppConnection, first=first, after=after, order=("key",))

    @staticmethod
    def resolve_app(root, info, key):
        return services.catalog_for(current_tenant()).filter(key=key).first()

    @staticmethod
    def resolve_installations(root, info):
        tenant = require_tenant()
        return Installation.objects.filter(tenant=tenant).select_related("app").order_by("app__key")

    @staticmethod
    def resolve_install_job(root, info, id):
        tenant = require_tenant()
        return InstallJob.objects.filter(pk=id, tenant=tenant).select_related("app").first()

    @staticmethod
    def resolve_mandates(root, info):
        return _visible_mandates(info).order_by("-created_at", "-pk")

    @staticmethod
    def resolve_workbench(root, info):
        user = info.context.user
        groups: dict[str, list] = {}
        for inst, badge in services.workbench(user, current_tenant()):
            groups.setdefault(inst.app.category, []).append(WorkbenchApp(app=inst.app, badge=badge))
        return [WorkbenchCategory(category=c, label=str(AppCategory(c).label), apps=groups[c])
                for c in AppCategory.values if c in groups]

    @staticmethod
    def resolve_webhook_deliveries(root, info, app):
        tenant = require_tenant()
        return WebhookDelivery.objects.filter(installation__tenant=tenant, installation__app__key=app).order_by("-created_at")[:50]


# --- mutations -----------------------------------------------------------------------------------

class AppJobInput(graphene.InputObjectType):
    """An app of this tenant to act on."""

    app = graphene.String(required=True, description="应用标识。")


class UninstallAppInput(graphene.InputObjectType):
    """Uninstall: keep the data (default) or purge it."""

    app = graphene.String(required=True, description="应用标识。")
    purge = graphene.Boolean(description="同时清除数据（不可恢复）。")
    confirm = graphene.String(description="清除数据时须输入应用标识以确认。")


class _JobMutation(BaseMutation):
    class Meta:
        abstract = True

    job = graphene.Field(InstallJobType, description="已排队的任务；用 jobProgress(taskId: job.id) 订阅进度。")
    action = None

    @classmethod
    def perform(cls, info, input):
        tenant = require_tenant()
        options = {}
        action = cls.action
        if action == JobAction.UNINSTALL and input.get("purge"):
            action, options = JobAction.PURGE, {"confirm": input.get("confirm") or ""}
        job = services.start_job(info.context.user, tenant, input["app"], action, **options)
        return cls(job=job, errors=[])


class InstallApp(_JobMutation):
    class Meta:
        description = "在本单位安装应用（及其依赖），后台执行。"
        permissions = Perm("marketplace.manage", at=CURRENT_TENANT)

    action = JobAction.INSTALL

    class Arguments:
        input = AppJobInput(required=True)


class UpgradeApp(_JobMutation):
    class Meta:
        description = "把已安装的应用升级到当前版本，后台执行。"
        permissions = Perm("marketplace.manage", at=CURRENT_TENANT)

    action = JobAction.UPGRADE

    class Arguments:
        input = AppJobInput(required=True)


class UninstallApp(_JobMutation):
    class Meta:
        description = "卸载应用：默认保留数据（重新安装即恢复）；purge 并确认后清除数据。"
        permissions = Perm("marketplace.manage", at=CURRENT_TENANT)

    action = JobAction.UNINSTALL

    class Arguments:
        input = UninstallAppInput(required=True)


class InstallExternalAppInput(graphene.InputObjectType):
    """An external app and the permissions to grant it (a subset of what it requested, each held by you)."""

    app = graphene.String(required=True, description="应用标识。")
    permissions = graphene.List(graphene.NonNull(graphene.String), description="授予的权限代码。")


class InstallExternalApp(BaseMutation):
    class Meta:
        description = "安装外部应用并签发本单位范围的 API 令牌（只显示这一次）。"
        permissions = Perm("marketplace.manage", at=CURRENT_TENANT)

    installation = graphene.Field(InstallationType, description="安装情况。")
    api_token = graphene.String(description="应用的 API 令牌，只显示这一次，请妥善保存。")

    class Arguments:
        input = InstallExternalAppInput(required=True)

    @classmethod
    def perform(cls, info, input):
        inst, token = external.install_external(info.context.user, require_tenant(), input["app"],
                                                list(input.get("permissions") or []))
        return cls(installation=inst, api_token=token, errors=[])


class RegisterExternalAppInput(graphene.InputObjectType):
    """An external app's manifest document, published for a province, city or county's subtree."""

    publisher = GlobalID("OrgUnit", required=True, description="发布单位（省、市、县卫生健康部门）。")
    manifest = graphene.JSONString(required=True, description="应用描述：key、name、version、category、launchUrl、permissions、webhooks。")


class RegisterExternalApp(BaseMutation):
    class Meta:
        description = "发布外部应用（或其新版本）到辖区的应用市场。"
        permissions = Perm("marketplace.publish", at=unit_in("publisher"))

    app = graphene.Field(AppType, description="上架的应用。")

    class Arguments:
        input = RegisterExternalAppInput(required=True)

    @classmethod
    def perform(cls, info, input):
        return cls(app=external.register_external_app(info.context.user, input["publisher"], input["manifest"]), errors=[])


class MandateAppInput(graphene.InputObjectType):
    """Require an app for every tenant under a node."""

    app = graphene.String(required=True, description="应用标识。")
    node = GlobalID("OrgUnit", required=True, description="辖区（省、市、县或医共体）。")


class MandateApp(BaseMutation):
    class Meta:
        description = "要求辖区内所有单位统一安装某应用（含以后新开通的单位）。"
        permissions = Perm("marketplace.mandate", at=unit_in("node"))

    mandate = graphene.Field(MandateType, description="统一安装要求。")

    class Arguments:
        input = MandateAppInput(required=True)

    @classmethod
    def perform(cls, info, input):
        return cls(mandate=services.mandate(info.context.user, input["app"], input["node"]), errors=[])


class SetAppVisibilityInput(graphene.InputObjectType):
    """Who in this tenant sees an app; all lists empty means everyone."""

    app = graphene.String(required=True, description="应用标识。")
    users = GlobalID("User", many=True, description="人员。")
    units = GlobalID("OrgUnit", many=True, description="单位（含下级）。")
    roles = graphene.List(graphene.NonNull(graphene.String), description="角色代码。")
    departments = GlobalID("Department", many=True, description="科室（含下级科室）。")
    tags = GlobalID("Tag", many=True, description="标签（如护士长）。")
    groups = GlobalID("Group", many=True, description="群组（含按规则的动态群组）。")


class SetAppVisibility(BaseMutation):
    class Meta:
        description = "设置应用在本单位的可见范围。"
        permissions = Perm("marketplace.manage", at=CURRENT_TENANT)

    installation = graphene.Field(InstallationType, description="安装情况。")

    class Arguments:
        input = SetAppVisibilityInput(required=True)

    @classmethod
    def perform(cls, info, input):
        visibility = {k: list(input.get(k) or []) for k in ("users", "units", "roles", "departments", "tags", "groups")}
        inst = services.set_visibility(info.context.user, require_tenant(), input["app"], visibility)
        return cls(installation=inst, errors=[])


class LaunchAppInput(graphene.InputObjectType):
    """An installed external app to open."""

    app = graphene.String(required=True, description="应用标识。")


class LaunchApp(BaseMutation):
    class Meta:
        description = "打开外部应用：返回启动地址和5分钟内有效的签名启动令牌（可用 /.well-known/jwks.json 验证）。本人须能看见该应用。"
        permissions = SIGNED_IN

    launch_url = graphene.String(description="应用的启动地址。")
    launch_token = graphene.String(description="签名的启动令牌（JWT，RS256）。")
    expires_at = graphene.Int(description="令牌过期时间（Unix 秒）。")

    class Arguments:
        input = LaunchAppInput(required=True)

    @classmethod
    def perform(cls, info, input):
        url, token, exp = external.launch(info.context.user, require_tenant(), input["app"])
        return cls(launch_url=url, launch_token=token, expires_at=exp, errors=[])


class Mutation(graphene.ObjectType):
    install_app = InstallApp.Field()
    upgrade_app = UpgradeApp.Field()
    uninstall_app = UninstallApp.Field()
    install_external_app = InstallExternalApp.Field()
    register_external_app = RegisterExternalApp.Field()
    mandate_app = MandateApp.Field()
    set_app_visibility = SetAppVisibility.Field()
    launch_app = LaunchApp.Field()


class Subscription(graphene.ObjectType):
    workbench_badge = graphene.Field(BadgeUpdate, required=True,
                                     description="本人工作台上某个应用的角标变化（本单位内）。")

    @staticmethod
    async def subscribe_workbench_badge(root, info):
        from channels.db import database_sync_to_async

        from jianlian.realtime.events import user_group
        from jianlian.realtime.subscriptions import listen, require_socket_user

        user = require_socket_user(info)
        tenant = info.context.tenant
        schema = tenant.schema_name if tenant else "public"
        async for payload in listen(info, groups=[user_group(user.pk, schema)], names={services.BADGE_EVENT}):
            count = await database_sync_to_async(services.badge_count)(user, tenant, payload["app"])
            yield BadgeUpdate(app_key=payload["app"], badge=count)
