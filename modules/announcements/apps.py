from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnouncementsConfig(AppConfig):
    name = "modules.announcements"
    label = "announcements"
    verbose_name = _("公告与新闻")
    default_auto_field = "django.db.models.BigAutoField"
