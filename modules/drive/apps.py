from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DriveConfig(AppConfig):
    name = "modules.drive"
    label = "drive"
    verbose_name = _("云盘")
    default_auto_field = "django.db.models.BigAutoField"
