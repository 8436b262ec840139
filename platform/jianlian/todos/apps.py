from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TodosConfig(AppConfig):
    name = "jianlian.todos"
    label = "todos"
    verbose_name = _("待办中心")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from jianlian.core.error_codes import register

        register("INVALID_TODO_VIEW", "Unknown to-do view.")
        from jianlian.todos import services  # noqa: F401 — registers the hand-over handler
