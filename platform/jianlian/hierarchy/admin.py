from django.contrib import admin
from mptt.admin import MPTTModelAdmin

from jianlian.core.admin_base import ReadOnlyAdmin
from jianlian.hierarchy.models import OrgUnit, UnitPlacement


@admin.register(OrgUnit)
class OrgUnitAdmin(ReadOnlyAdmin, MPTTModelAdmin):
    list_display = ("name", "level", "unit_type", "division_code", "credit_code", "is_active")
    list_filter = ("level", "unit_type", "is_active")
    search_fields = ("name", "short_name", "division_code", "credit_code")


@admin.register(UnitPlacement)
class UnitPlacementAdmin(ReadOnlyAdmin):
    list_display = ("unit", "parent", "valid_from", "valid_to", "reason")
    list_select_related = ("unit", "parent")
