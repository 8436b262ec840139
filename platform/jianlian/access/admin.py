from django.contrib import admin

from jianlian.access.models import Membership, Role, RoleGrant
from jianlian.core.admin_base import ReadOnlyAdmin


@admin.register(Role)
class RoleAdmin(ReadOnlyAdmin):
    list_display = ("name", "code", "tenant", "aggregates_only", "is_builtin")
    list_filter = ("is_builtin", "aggregates_only")


@admin.register(RoleGrant)
class RoleGrantAdmin(ReadOnlyAdmin):
    list_display = ("user", "role", "node", "granted_at")
    list_select_related = ("user", "role", "node")
    search_fields = ("user__username", "user__real_name", "node__name")


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("user", "tenant", "unit", "staff_no", "is_primary", "is_active")
    list_select_related = ("user", "tenant", "unit")
    search_fields = ("user__username", "user__real_name", "staff_no")
