from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    """Everything else (error codes, bus handlers, demo data) is declared in manifest.py."""

    name = "modules.supervision"
    label = "supervision"
    verbose_name = _("监管在线")
    default_auto_field = "django.db.models.BigAutoField"
