from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RostersConfig(AppConfig):
    name = "modules.rosters"
    label = "rosters"
    verbose_name = _("排班")
    default_auto_field = "django.db.models.BigAutoField"
