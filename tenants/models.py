from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin


class TenantKind(models.TextChoices):
    COMMUNITY = "community", _("县域医共体")
    HOSPITAL = "hospital", _("独立医院")


class TenantStatus(models.TextChoices):
    PROVISIONING = "provisioning", _("开通中")
    ACTIVE = "active", _("正常")
    SUSPENDED = "suspended", _("已暂停")
    ARCHIVED = "archived", _("已归档")


# Lifecycle: which status may follow which.
TRANSITIONS = {
    TenantStatus.PROVISIONING: {TenantStatus.ACTIVE, TenantStatus.ARCHIVED},
    TenantStatus.ACTIVE: {TenantStatus.SUSPENDED, TenantStatus.ARCHIVED},
    TenantStatus.SUSPENDED: {TenantStatus.ACTIVE, TenantStatus.ARCHIVED},
    TenantStatus.ARCHIVED: set(),
}


class Tenant(TenantMixin):
    """A county medical community (owning its lead unit and, through it, the member units) or a
    standalone hospital, with its own PostgreSQL schema."""

    auto_create_schema = False  # provisioning (tenants.provisioning) creates the schema

    slug = models.SlugField(_("标识"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=TenantKind.choices)
    org_unit = models.OneToOneField(
        "hierarchy.OrgUnit", verbose_name=_("对应组织单元"), on_delete=models.PROTECT, related_name="tenant"
    )
    status = models.CharField(_("状态"), max_length=16, choices=TenantStatus.choices, default=TenantStatus.PROVISIONING)
    status_reason = models.CharField(_("状态说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    status_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("租户")
        verbose_name_plural = _("租户")

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def schema_for(slug: str) -> str:
        return "t_" + slug.replace("-", "_")


class Domain(DomainMixin):
    """Extra host names of a tenant (its subdomain of BASE_DOMAIN needs no row)."""

    class Meta:
        verbose_name = _("域名")
        verbose_name_plural = _("域名")
