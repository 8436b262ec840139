"""The marketplace's tables, all in the public schema: the catalog, which tenant installed what,
install jobs, mandates, external apps' tokens and their webhook delivery log.

A module's own data lives in each installing tenant's schema, never here.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppKind(models.TextChoices):
    BUILTIN = "builtin", _("内置应用")
    EXTERNAL = "external", _("外部应用")


class AppCategory(models.TextChoices):
    ADMINISTRATIVE = "administrative", _("行政办公")
    CLINICAL = "clinical", _("临床业务")
    PUBLIC_HEALTH = "public_health", _("公共卫生")
    MANAGEMENT = "management", _("运营管理")


class App(models.Model):
    """One app on the shelf. Built-in apps come from module manifests (`sync_catalog`); external
    apps are registered from a manifest document by a province, city or county. Visible to the
    tenants inside the publisher's subtree."""

    key = models.CharField(_("应用标识"), max_length=40, unique=True)
    kind = models.CharField(_("类型"), max_length=12, choices=AppKind.choices)
    name = models.CharField(_("名称"), max_length=60)
    name_en = models.CharField(_("英文名称"), max_length=80, blank=True)
    description = models.CharField(_("简介"), max_length=500, blank=True)
    category = models.CharField(_("分类"), max_length=20, choices=AppCategory.choices)
    icon = models.CharField(_("图标"), max_length=500, blank=True)
    version = models.CharField(_("当前版本"), max_length=20)
    # Built-in apps have no publisher row: the platform publishes them to the whole province.
    publisher = models.ForeignKey("hierarchy.OrgUnit", verbose_name=_("发布单位"), on_delete=models.PROTECT,
                                  related_name="published_apps", null=True, blank=True)
    depends = models.JSONField(_("依赖应用"), default=list, blank=True)
    permissions = models.JSONField(_("定义或申请的权限"), default=list, blank=True)
    # External apps only.
    launch_url = models.URLField(_("启动地址"), max_length=500, blank=True)
    webhooks = models.JSONField(_("事件订阅"), default=list, blank=True)
    is_listed = models.BooleanField(_("上架"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("应用")
        verbose_name_plural = _("应用")

    def __str__(self) -> str:
        return self.name


class AppVersion(models.Model):
    """A version of an app with its change notes (newest first)."""

    app = models.ForeignKey(App, on_delete=models.CASCADE, related_name="versions")
    version = models.CharField(_("版本"), max_length=20)
    notes = models.CharField(_("更新说明"), max_length=1000, blank=True)
    notes_en = models.CharField(_("英文更新说明"), max_length=1000, blank=True)
    released_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("应用版本")
        verbose_name_plural = _("应用版本")
        constraints = [models.UniqueConstraint(fields=["app", "version"], name="appversion_unique")]
        ordering = ["-released_at", "-pk"]


class InstallStatus(models.TextChoices):
    INSTALLED = "installed", _("已安装")
    DISABLED = "disabled", _("已停用")  # uninstalled, data kept: reinstall restores it


class Installation(models.Model):
    """An app in a tenant. A row exists from the first successful install; uninstall keeps it as
    `disabled` (its tables and data stay in the tenant's schema); purge deletes it."""

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="installations")
    app = models.ForeignKey(App, on_delete=models.PROTECT, related_name="installations")
    status = models.CharField(_("状态"), max_length=12, choices=InstallStatus.choices, default=InstallStatus.INSTALLED)
    version = models.CharField(_("已安装版本"), max_length=20)
    mandated = models.BooleanField(_("上级统一要求"), default=False)
    # Who sees the app inside the tenant: {"users": [...], "units": [...], "roles": [...], ...}.
    # Empty means everyone in the tenant.
    visibility = models.JSONField(_("可见范围"), default=dict, blank=True)
    granted_permissions = models.JSONField(_("授予的权限"), default=list, blank=True)
    webhook_secret = models.CharField(max_length=64, blank=True)
    installed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    installed_at = models.DateTimeField(_("安装时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("应用安装")
        verbose_name_plural = _("应用安装")
        constraints = [models.UniqueConstraint(fields=["tenant", "app"], name="installation_unique")]
        indexes = [models.Index(fields=["app", "status"])]

    def __str__(self) -> str:
        return f"{self.app_id}@{self.tenant_id}"


class JobAction(models.TextChoices):
    INSTALL = "install", _("安装")
    UPGRADE = "upgrade", _("升级")
    UNINSTALL = "uninstall", _("卸载（保留数据）")
    PURGE = "purge", _("卸载并清除数据")


class JobStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("进行中")
    SUCCEEDED = "succeeded", _("成功")
    FAILED = "failed", _("失败")


class InstallJob(models.Model):
    """The status row of one install / upgrade / uninstall / purge, run in the background. Its
    progress is also sent live to `jobProgress(taskId: <id>)` inside the tenant."""

    id = models.CharField(primary_key=True, max_length=40)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="install_jobs")
    app = models.ForeignKey(App, on_delete=models.CASCADE, related_name="jobs")
    action = models.CharField(_("操作"), max_length=12, choices=JobAction.choices)
    status = models.CharField(_("状态"), max_length=12, choices=JobStatus.choices, default=JobStatus.PENDING)
    done = models.PositiveIntegerField(_("已完成步骤"), default=0)
    total = models.PositiveIntegerField(_("总步骤"), default=0)
    message = models.CharField(_("进度说明"), max_length=200, blank=True)
    error_code = models.CharField(_("错误代码"), max_length=60, blank=True)
    error = models.CharField(_("错误说明"), max_length=500, blank=True)
    options = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("安装任务")
        verbose_name_plural = _("安装任务")
        indexes = [models.Index(fields=["tenant", "-created_at"])]

    @staticmethod
    def new_id() -> str:
        return "job_" + secrets.token_hex(12)


class Mandate(models.Model):
    """A higher level requires an app for every tenant in its subtree, new tenants included."""

    app = models.ForeignKey(App, on_delete=models.CASCADE, related_name="mandates")
    node = models.ForeignKey("hierarchy.OrgUnit", on_delete=models.CASCADE, related_name="app_mandates")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("统一安装要求")
        verbose_name_plural = _("统一安装要求")
        constraints = [models.UniqueConstraint(fields=["app", "node"], name="mandate_unique")]


class AppToken(models.Model):
    """An external app's API token for one tenant, carrying only the permissions granted at
    install. Only its SHA-256 is stored; the token is shown once."""

    PREFIX = "jla_"

    installation = models.ForeignKey(Installation, on_delete=models.CASCADE, related_name="tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    key_prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("应用令牌")
        verbose_name_plural = _("应用令牌")

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, installation) -> tuple["AppToken", str]:
        key = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(installation=installation, key_hash=cls.hash_key(key), key_prefix=key[:12])
        return token, key


class WebhookDelivery(models.Model):
    """One attempt to deliver an event to an external app's webhook."""

    installation = models.ForeignKey(Installation, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(_("事件"), max_length=100)
    url = models.URLField(max_length=500)
    message_id = models.CharField(_("消息ID"), max_length=64)
    attempt = models.PositiveIntegerField(_("第几次"), default=1)
    status_code = models.PositiveIntegerField(_("HTTP 状态"), null=True, blank=True)
    ok = models.BooleanField(_("成功"), default=False)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"), default=0)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("Webhook 投递记录")
        verbose_name_plural = _("Webhook 投递记录")
        indexes = [models.Index(fields=["installation", "-created_at"])]
