from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayslipsConfig(AppConfig):
    name = "modules.payslips"
    label = "payslips"
    verbose_name = _("工资条")
    default_auto_field = "django.db.models.BigAutoField"
