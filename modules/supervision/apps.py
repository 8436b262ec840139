from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "modules.supervision"
    label = "supervision"
    verbose_name = _("监管在线")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from modules.supervision import errors  # noqa: F401 — registers the error codes
        from modules.supervision import handlers  # noqa: F401 — registers the bus handlers
