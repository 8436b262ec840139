from django.contrib import admin

from jianlian.core.admin_base import ReadOnlyAdmin
from jianlian.identity.models import User


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ("username", "real_name", "masked_mobile", "masked_id_number", "status", "last_login")
    list_filter = ("status", "is_staff")
    search_fields = ("username", "real_name", "mobile")
    exclude = ("password", "id_number", "id_number_index", "mobile")
    readonly_fields = ("masked_mobile", "masked_id_number")
