from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "modules.meetings"
    label = "meetings"
    verbose_name = _("会议室")
    default_auto_field = "django.db.models.BigAutoField"
