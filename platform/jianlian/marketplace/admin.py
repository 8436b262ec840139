from django.contrib import admin

from jianlian.core.admin_base import ReadOnlyAdmin
from jianlian.marketplace.models import App, InstallJob, Installation, Mandate, WebhookDelivery


@admin.register(App)
class AppAdmin(ReadOnlyAdmin):
    list_display = ("key", "name", "kind", "category", "version", "publisher", "is_listed")
    list_filter = ("kind", "category", "is_listed")
    search_fields = ("key", "name", "name_en")


@admin.register(Installation)
class InstallationAdmin(ReadOnlyAdmin):
    list_display = ("app", "tenant", "status", "version", "mandated", "installed_at")
    list_filter = ("status", "mandated", "app")
    search_fields = ("tenant__slug", "tenant__name", "app__key")


@admin.register(InstallJob)
class InstallJobAdmin(ReadOnlyAdmin):
    list_display = ("id", "app", "tenant", "action", "status", "done", "total", "error_code", "created_at")
    list_filter = ("action", "status")
    search_fields = ("tenant__slug", "app__key", "id")


@admin.register(Mandate)
class MandateAdmin(ReadOnlyAdmin):
    list_display = ("app", "node", "created_by", "created_at")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("installation", "event", "attempt", "status_code", "ok", "duration_ms", "created_at")
    list_filter = ("ok", "event")
