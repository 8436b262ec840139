from django.contrib import admin

from jianlian.core.admin_base import ReadOnlyAdmin
from jianlian.identity.models import User


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ("username", "real_name", "masked_mobile", "masked_id_number", "status", "last_login")
    list_filter = ("status", "is_staff")
    search_fields = ("username", "real_name")
    exclude = ("password", "id_number", "id_number_index", "mobile", "mobile_index")
    readonly_fields = ("masked_mobile", "masked_id_number")

    def get_search_results(self, request, queryset, search_term):
        """A whole mobile number finds its account through the blind index (the column is encrypted)."""
        from jianlian.core.validators import normalize_mobile
        from jianlian.identity.models import mobile_blind_index

        results, duplicates = super().get_search_results(request, queryset, search_term)
        mobile = normalize_mobile(search_term or "")
        if len(mobile) == 11 and mobile.isdigit():
            results |= queryset.filter(mobile_index=mobile_blind_index(mobile))
        return results, duplicates
