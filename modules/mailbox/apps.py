from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailboxConfig(AppConfig):
    name = "modules.mailbox"
    label = "mailbox"
    verbose_name = _("院长信箱")
    default_auto_field = "django.db.models.BigAutoField"
