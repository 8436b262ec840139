from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "modules.referrals"
    label = "referrals"
    verbose_name = _("双向转诊")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from modules.referrals import handlers  # noqa: F401 — registers the bus handlers
        from modules.referrals import errors  # noqa: F401 — registers the error codes
