from django.contrib import admin

from jianlian.core.admin_base import ReadOnlyAdmin
from tenants.models import Domain, Tenant


@admin.register(Tenant)
class TenantAdmin(ReadOnlyAdmin):
    list_display = ("name", "slug", "kind", "status", "org_unit", "created_at")
    list_filter = ("kind", "status")
    search_fields = ("name", "slug")


@admin.register(Domain)
class DomainAdmin(ReadOnlyAdmin):
    list_display = ("domain", "tenant", "is_primary")
