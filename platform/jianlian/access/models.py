from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from jianlian.access.permissions import REGISTRY, is_patient_data


class Role(models.Model):
    """A named set of permission codes. Province-wide roles have no tenant; each tenant gets its
    own editable copies of the per-tenant built-in roles when it is provisioned."""

    tenant = models.ForeignKey("tenants.Tenant", null=True, blank=True, on_delete=models.CASCADE, related_name="roles")
    code = models.CharField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=60)
    name_en = models.CharField(_("英文名称"), max_length=60, blank=True)
    permissions = ArrayField(models.CharField(max_length=80), verbose_name=_("权限"), default=list, blank=True)
    aggregates_only = models.BooleanField(_("仅汇总数据"), default=False)
    is_builtin = models.BooleanField(_("内置"), default=False)

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "code"], name="role_code_per_tenant", nulls_distinct=False),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        unknown = [c for c in self.permissions if c not in REGISTRY]
        if unknown:
            raise ValidationError({"permissions": _("未知的权限代码：%(codes)s") % {"codes": ", ".join(unknown)}}, code="UNKNOWN_PERMISSION")
        if self.aggregates_only:
            patient = [c for c in self.permissions if is_patient_data(c)]
            if patient:
                raise ValidationError(
                    {"permissions": _("监管类角色只能查看汇总数据，不能授予患者数据权限：%(codes)s") % {"codes": ", ".join(patient)}},
                    code="PATIENT_DATA_FORBIDDEN",
                )


class RoleGrant(models.Model):
    """A role granted to a person at a node of the hierarchy, covering that node's subtree."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants")
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="grants")
    node = models.ForeignKey("hierarchy.OrgUnit", on_delete=models.CASCADE, related_name="grants")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [models.UniqueConstraint(fields=["user", "role", "node"], name="rolegrant_unique")]


class Membership(models.Model):
    """A person's place in a tenant: the unit they work at, and their staff number there."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey("hierarchy.OrgUnit", on_delete=models.PROTECT, related_name="memberships")
    staff_no = models.CharField(_("工号"), max_length=32, blank=True)
    is_primary = models.BooleanField(_("主要任职"), default=True)
    is_active = models.BooleanField(_("有效"), default=True)
    joined_at = models.DateTimeField(_("加入时间"), auto_now_add=True)
    left_at = models.DateTimeField(_("离开时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("成员关系")
        verbose_name_plural = _("成员关系")
        constraints = [
            models.UniqueConstraint(fields=["user", "tenant", "unit"], name="membership_unique"),
            models.UniqueConstraint(
                fields=["tenant", "staff_no"], condition=~models.Q(staff_no=""), name="membership_staff_no_per_tenant"
            ),
        ]
        indexes = [models.Index(fields=["tenant", "is_active"])]


class SecondmentRequest(models.Model):
    """A secondment (借调/下沉) of a person into another tenant, waiting for that tenant's consent.

    It lives in the public schema, beside the memberships it would create, so that the receiving
    tenant sees it; the lifecycle event it belongs to stays in the sending tenant's schema
    (`event_id`) and is applied only once the receiving tenant's organisation managers accept
    (jianlian.org.secondments)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待对方同意")
        ACCEPTED = "accepted", _("已同意")
        DECLINED = "declined", _("已拒绝")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    staff_name = models.CharField(_("姓名"), max_length=50)
    from_tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    to_tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="secondment_requests")
    unit = models.ForeignKey("hierarchy.OrgUnit", on_delete=models.CASCADE, related_name="+")
    event_id = models.BigIntegerField(_("变动ID"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("借调申请")
        verbose_name_plural = _("借调申请")
        indexes = [models.Index(fields=["to_tenant", "status"])]
