from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "modules.learning"
    label = "learning"
    verbose_name = _("学习中心")
    default_auto_field = "django.db.models.BigAutoField"
