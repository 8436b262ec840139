from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    """Everything else (error codes, bus and hand-over handlers) is declared in manifest.py."""

    name = "modules.referrals"
    label = "referrals"
    verbose_name = _("双向转诊")
    default_auto_field = "django.db.models.BigAutoField"
