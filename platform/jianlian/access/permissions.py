"""The registry of permission codes and the built-in roles.

Codes are namespaced by app (`platform.manage_tenants`, `referrals.accept`). A code marked
`patient_data` reads or changes patient-identifiable data; a role marked aggregates-only (the
supervisors') can never hold one. Modules add their codes through their manifests (issue 4),
which call `register`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Permission:
    code: str
    label: str
    patient_data: bool = False


REGISTRY: dict[str, Permission] = {}


def register(code: str, label, patient_data: bool = False) -> Permission:
    app, _sep, name = code.partition(".")
    if not app or not name or not code.replace(".", "").replace("_", "").isalnum():
        raise ValueError(f"permission code must be 'app.action': {code!r}")
    perm = Permission(code, label, patient_data)
    REGISTRY[code] = perm
    return perm


for _code, _label, _patient in [
    ("platform.manage_tenants", _("管理租户（开通、暂停、归档）"), False),
    ("platform.manage_hierarchy", _("管理组织层级"), False),
    ("platform.manage_users", _("管理人员账号与成员关系"), False),
    ("platform.manage_roles", _("管理角色与授权"), False),
    ("platform.view_audit", _("查看审计日志"), False),
    ("platform.view_hierarchy", _("查看组织层级"), False),
    ("platform.use", _("使用工作台"), False),
    ("notifications.manage_senders", _("管理消息推送白名单"), False),
    ("marketplace.manage", _("管理本单位的应用（安装、升级、卸载、可见范围）"), False),
    ("marketplace.publish", _("向辖区发布应用"), False),
    ("marketplace.mandate", _("要求辖区统一安装应用"), False),
    ("supervision.view_aggregates", _("查看监管汇总指标"), False),
    ("supervision.report", _("填报监管数据"), False),
    ("supervision.approve", _("审核监管数据"), False),
    ("patients.view", _("查看患者信息"), True),
    ("referrals.view", _("查看转诊单（含患者信息）"), True),
    ("referrals.create", _("发起转诊"), True),
    ("referrals.accept", _("接收转诊"), True),
    ("referrals.view_statistics", _("查看转诊统计"), False),
]:
    register(_code, _label, _patient)


def is_patient_data(code: str) -> bool:
    perm = REGISTRY.get(code)
    return bool(perm and perm.patient_data)


@dataclass(frozen=True)
class BuiltinRole:
    code: str
    name_zh: str
    name_en: str
    permissions: tuple[str, ...]
    aggregates_only: bool = False
    per_tenant: bool = False  # seeded into every tenant at provisioning, editable there


SUPERVISOR_PERMS = ("platform.view_hierarchy", "platform.use", "supervision.view_aggregates", "supervision.approve",
                    "referrals.view_statistics",
                    "marketplace.publish", "marketplace.mandate")

BUILTIN_ROLES = [
    BuiltinRole(
        "province_admin", "省级管理员", "Province administrator",
        ("platform.manage_tenants", "platform.manage_hierarchy", "platform.manage_users", "platform.manage_roles",
         "platform.view_audit", "platform.view_hierarchy", "platform.use", "supervision.view_aggregates",
         "supervision.approve", "referrals.view_statistics", "marketplace.manage", "marketplace.publish", "marketplace.mandate"),
        aggregates_only=True,
    ),
    BuiltinRole("city_supervisor", "市级监管员", "City supervisor", SUPERVISOR_PERMS, aggregates_only=True),
    BuiltinRole("county_supervisor", "县级监管员", "County supervisor", SUPERVISOR_PERMS, aggregates_only=True),
    BuiltinRole(
        "tenant_admin", "医共体/医院管理员", "Tenant administrator",
        ("platform.manage_users", "platform.manage_roles", "platform.view_audit", "platform.view_hierarchy",
         "platform.use", "supervision.report", "referrals.view_statistics", "notifications.manage_senders",
         "marketplace.manage"),
        per_tenant=True,
    ),
    BuiltinRole(
        "unit_admin", "单位管理员", "Unit administrator",
        ("platform.manage_users", "platform.view_hierarchy", "platform.use", "supervision.report"),
        per_tenant=True,
    ),
    BuiltinRole(
        "doctor", "医生", "Doctor",
        ("platform.use", "platform.view_hierarchy", "patients.view", "referrals.view", "referrals.create",
         "referrals.accept"),
        per_tenant=True,
    ),
    BuiltinRole("staff", "职工", "Staff", ("platform.use", "platform.view_hierarchy"), per_tenant=True),
]
BUILTIN_BY_CODE = {r.code: r for r in BUILTIN_ROLES}
