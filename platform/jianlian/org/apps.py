from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Permission codes of this app, and the built-in roles that get them.
PERMISSIONS = (
    ("org.manage", _("管理组织架构、人员档案与导入导出")),
    ("org.view_contacts", _("查看通讯录")),
    ("org.view_hidden_fields", _("查看通讯录中被隐藏的联系方式")),
)
ROLE_PERMISSIONS = {
    "tenant_admin": ("org.manage", "org.view_contacts", "org.view_hidden_fields"),
    "unit_admin": ("org.view_contacts",),
    "doctor": ("org.view_contacts",),
    "staff": ("org.view_contacts",),
}
ERROR_CODES = (
    ("UNKNOWN_DEPARTMENT", "No department with that code or id in this tenant."),
    ("DEPARTMENT_CODE_TAKEN", "Another department of the tenant has this code."),
    ("DEPARTMENT_NOT_EMPTY", "The department still has sub-departments or members."),
    ("INVALID_DEPARTMENT_KIND", "Unknown department kind or category."),
    ("DEPARTMENT_IS_GROUP", "A grouping node (分组) gathers departments; people go to a department or ward under it."),
    ("INVALID_DEPARTMENT_MOVE", "A department cannot move under itself, its own sub-department, a ward or another unit."),
    ("STAFF_NO_TAKEN", "Another staff profile of the tenant has this staff number."),
    ("DUPLICATE_STAFF_NO", "The same staff number appears twice in one file."),
    ("INVALID_STAFF_NO", "A staff number must be 1-32 letters, digits or hyphens."),
    ("STAFF_NOT_FOUND", "No staff profile by that id or number in this tenant."),
    ("ALREADY_ONBOARDED", "The account already has a staff profile in this tenant."),
    ("INVALID_EFFECTIVE_DATE", "The effective time is missing or too far in the past."),
    ("STAFF_HAS_LEFT", "The person has left; no further change can be scheduled."),
    ("INVALID_EMPLOYMENT_TYPE", "Unknown employment type."),
    ("UNKNOWN_UNIT", "The unit is not part of this tenant (or the named tenant)."),
    ("UNKNOWN_TAG", "No tag with that code in this tenant."),
    ("TAG_CODE_TAKEN", "Another tag of the tenant has this code."),
    ("INVALID_GROUP_RULE", "A dynamic group's rule names unknown fields or values."),
    ("INVALID_FILE", "The uploaded file is not a readable .xlsx workbook of the template."),
    ("FILE_TOO_LARGE", "The uploaded file is larger than allowed."),
    ("IMPORT_HAS_ERRORS", "All-or-nothing import refused: the file has errors."),
    ("INVALID_IMPORT_MODE", "Unknown import mode."),
    ("INVALID_PHONE", "Not a valid office phone number."),
    ("INVALID_DIRECTORY", "The external directory's data could not be read."),
    ("ID_NUMBER_MISMATCH", "The ID number differs from that of the person already holding this staff number."),
    ("NO_SUCCESSOR", "Nobody can take over the person's pending work."),
    ("EVENT_NOT_PENDING", "The lifecycle event was already applied or cancelled."),
    ("REQUEST_DECIDED", "The secondment request was already accepted or declined."),
)


class OrgConfig(AppConfig):
    name = "jianlian.org"
    label = "org"
    verbose_name = _("组织在线")

    def ready(self):
        import dataclasses

        from jianlian.access import permissions
        from jianlian.core.error_codes import register as register_code

        for code, label in PERMISSIONS:
            permissions.register(code, label)
        for code, description in ERROR_CODES:
            register_code(code, description)
        # Extend the built-in roles (seeded into each new tenant) by this app's codes; existing
        # tenants get them from migration 0002.
        for i, role in enumerate(permissions.BUILTIN_ROLES):
            extra = tuple(c for c in ROLE_PERMISSIONS.get(role.code, ()) if c not in role.permissions)
            if extra:
                permissions.BUILTIN_ROLES[i] = dataclasses.replace(role, permissions=role.permissions + extra)
        permissions.BUILTIN_BY_CODE.update({r.code: r for r in permissions.BUILTIN_ROLES})
        from jianlian.org import handover, tasks  # noqa: F401  (registers the built-in hand-over and the tasks)
