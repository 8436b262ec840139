from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Operators browse here; every write goes through the audited actions (GraphQL, commands),
    so the admin cannot change data behind the audit log's back."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
