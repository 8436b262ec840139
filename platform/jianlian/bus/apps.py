from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BusConfig(AppConfig):
    name = "jianlian.bus"
    label = "bus"
    verbose_name = _("跨租户消息")
