from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "jianlian.notifications"
    label = "notifications"
    verbose_name = _("消息通知")

    def ready(self):
        from jianlian.core.error_codes import register

        for code, description in [
            ("NO_RECIPIENTS", "The notification reaches nobody."),
            ("SENDER_NOT_WHITELISTED", "The sender may not push to a whole tenant or a range."),
            ("INVALID_KIND", "Unknown notification type."),
            ("INVALID_PRIORITY", "Unknown notification priority."),
            ("UNKNOWN_RECIPIENT", "A named recipient is not a member of this tenant."),
            ("INVALID_LINK", "The link must be a relative path or an http(s) address."),
        ]:
            register(code, description)
