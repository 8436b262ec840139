from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "jianlian.access"
    label = "access"
    verbose_name = _("成员与权限")
