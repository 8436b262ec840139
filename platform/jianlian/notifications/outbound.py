"""SMS and e-mail copies of notifications, behind the pluggable backends (SMS_BACKEND,
EMAIL_BACKEND; console backends in development). Runs after the notification commits; a failed
channel is logged and never undoes the in-app delivery."""

from __future__ import annotations

import logging

logger = logging.getLogger("jianlian.notifications")


def send_outbound(schema: str, notification_id: int, sms_user_ids: list[int], email_user_ids: list[int]) -> None:
    from django.core.mail import send_mass_mail
    from django_tenants.utils import schema_context

    from jianlian.identity.models import User
    from jianlian.identity.sms import send_sms
    from jianlian.notifications.models import Notification

    with schema_context(schema):
        note = Notification.objects.filter(pk=notification_id).first()
    if note is None:
        return
    text = f"【健联】{note.sender_name}：{note.title}"
    for mobile in User.objects.filter(pk__in=sms_user_ids).values_list("mobile", flat=True):
        try:
            send_sms(mobile, text)
        except Exception:
            logger.warning("SMS for notification %s not sent", notification_id, exc_info=True)
    mails = [(note.title, note.body or note.title, None, [email])
             for email in User.objects.filter(pk__in=email_user_ids).exclude(email="").values_list("email", flat=True)]
    if mails:
        try:
            send_mass_mail(mails, fail_silently=False)
        except Exception:
            logger.warning("e-mail for notification %s not sent", notification_id, exc_info=True)
