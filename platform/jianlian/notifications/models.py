"""The notification centre, in every schema (each tenant's, and the province console's).

A Notification is sent once and delivered to each recipient as a Delivery row, which is also its
read receipt. Preferences say which types a person receives and by which extra channel; the
sender whitelist says who may push to a whole tenant or a range of units (seed 000).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    NOTICE = "notice", _("通知公告")
    TASK = "task", _("待办提醒")
    MEETING = "meeting", _("会议通知")
    TRAINING = "training", _("培训学习")
    SURVEY = "survey", _("问卷调查")
    PAYSLIP = "payslip", _("工资条")
    ROSTER = "roster", _("排班表")
    SYSTEM = "system", _("系统消息")


class Priority(models.TextChoices):
    NORMAL = "normal", _("普通")
    URGENT = "urgent", _("紧急（DING）")


class Notification(models.Model):
    sender_id = models.BigIntegerField(_("发送人ID"), null=True, blank=True)
    sender_name = models.CharField(_("发送人"), max_length=150, blank=True)
    title = models.CharField(_("标题"), max_length=120)
    body = models.TextField(_("正文"), max_length=5000, blank=True)
    # The same texts in English where the sender gave translatable ones: {"title", "body", "sender_name"}
    # (jianlian.notifications.texts); the columns above hold the Chinese.
    english = models.JSONField(_("英文文本"), default=dict, blank=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.NOTICE)
    priority = models.CharField(_("优先级"), max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    link = models.CharField(_("链接"), max_length=500, blank=True)
    audience = models.JSONField(_("发送范围"), default=dict)
    recipient_count = models.PositiveIntegerField(_("接收人数"), default=0)
    created_at = models.DateTimeField(_("发送时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        indexes = [models.Index(fields=["sender_id", "-id"])]


class Delivery(models.Model):
    """One recipient's copy: delivered, and read (the read receipt the sender sees)."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    user_id = models.BigIntegerField(_("接收人ID"))
    delivered_at = models.DateTimeField(_("送达时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("送达记录")
        verbose_name_plural = _("送达记录")
        constraints = [models.UniqueConstraint(fields=["notification", "user_id"], name="delivery_once")]
        indexes = [
            models.Index(fields=["user_id", "-id"]),
            models.Index(fields=["user_id"], condition=models.Q(read_at__isnull=True), name="delivery_unread"),
        ]


class Preference(models.Model):
    """Per person and type: receive it at all, and also by SMS or e-mail. Urgent messages are
    always delivered in the app."""

    user_id = models.BigIntegerField(_("用户ID"))
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    receive = models.BooleanField(_("接收"), default=True)
    sms = models.BooleanField(_("短信"), default=False)
    email = models.BooleanField(_("邮件"), default=False)

    class Meta:
        verbose_name = _("接收偏好")
        verbose_name_plural = _("接收偏好")
        constraints = [models.UniqueConstraint(fields=["user_id", "kind"], name="preference_once")]


class SenderGrant(models.Model):
    """Whitelist: `user_id` may push to the whole tenant (unit_id null) or to a unit's subtree."""

    user_id = models.BigIntegerField(_("用户ID"))
    unit_id = models.BigIntegerField(_("范围单位ID"), null=True, blank=True)
    granted_by_id = models.BigIntegerField(_("授权人ID"), null=True, blank=True)
    created_at = models.DateTimeField(_("授权时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("推送白名单")
        verbose_name_plural = _("推送白名单")
        constraints = [models.UniqueConstraint(fields=["user_id", "unit_id"], name="sendergrant_once", nulls_distinct=False)]
