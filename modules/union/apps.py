from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnionConfig(AppConfig):
    name = "modules.union"
    label = "union"
    verbose_name = _("工会云")
    default_auto_field = "django.db.models.BigAutoField"
