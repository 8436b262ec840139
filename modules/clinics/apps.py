from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClinicsConfig(AppConfig):
    name = "modules.clinics"
    label = "clinics"
    verbose_name = _("门诊排班")
    default_auto_field = "django.db.models.BigAutoField"
