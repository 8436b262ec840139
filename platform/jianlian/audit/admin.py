from django.contrib import admin

from jianlian.audit.models import AuditRecord
from jianlian.core.admin_base import ReadOnlyAdmin


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyAdmin):
    list_display = ("seq", "at", "actor_label", "action", "object_type", "object_id", "outcome", "ip")
    list_filter = ("action", "outcome")
    search_fields = ("actor_label", "object_id", "request_id")
