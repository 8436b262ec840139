"""The bus's tables. Every schema that sends or receives has all four: each tenant schema and the
public schema (the province sends to tenants and receives what tenants report upwards).

Schema names identify the parties (`receiver` on the outbox, `sender` on the inbox): they are what
the relay needs to reach a table, and a tenant's schema never changes once it is created.
"""

from __future__ import annotations

import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("待投递")
    SENT = "sent", _("已投递")
    ACKED = "acked", _("已确认")
    DEAD = "dead", _("接收方处理失败")


class InboxStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    APPLIED = "applied", _("已处理")
    DEAD = "dead", _("死信")


class OutboxMessage(models.Model):
    """A message this schema sends, written in the same transaction as the change that caused it.

    pending → sent (copied into the receiver's inbox) → acked (the receiver applied it), or → dead
    (the receiver gave up on it after BUS_MAX_ATTEMPTS; its inbox row holds the error). A delivery
    that fails (receiver unreachable) stays pending with `attempts`, `last_error` and a later
    `next_attempt_at`: a receiver that is down delays a message, never loses it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    receiver = models.CharField(_("接收方"), max_length=63)
    type = models.CharField(_("消息类型"), max_length=100)
    conversation = models.CharField(_("会话"), max_length=100, blank=True, default="")
    sequence = models.PositiveBigIntegerField(_("会话内序号"), default=0)
    payload = models.JSONField(_("内容"), encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    status = models.CharField(_("状态"), max_length=8, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveIntegerField(_("投递次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True, default="")
    next_attempt_at = models.DateTimeField(_("下次投递时间"), default=timezone.now)
    sent_at = models.DateTimeField(_("投递时间"), null=True, blank=True)
    acked_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("发件箱消息")
        verbose_name_plural = _("发件箱消息")
        indexes = [
            models.Index(fields=["next_attempt_at"], name="bus_outbox_due", condition=Q(status="pending")),
            models.Index(fields=["created_at"], name="bus_outbox_dead", condition=Q(status="dead")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["receiver", "conversation", "sequence"], name="bus_outbox_conversation_seq",
                condition=~Q(conversation=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type} → {self.receiver} ({self.id})"


class OutboxSequence(models.Model):
    """The last sequence number given out per (receiver, conversation). Taking the next number is
    an upsert on this row, which also serialises concurrent senders in one conversation; a rolled
    back send rolls its number back too, so sequences have no gaps."""

    receiver = models.CharField(max_length=63)
    conversation = models.CharField(max_length=100)
    last_sequence = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["receiver", "conversation"], name="bus_outboxsequence_key")]


class InboxMessage(models.Model):
    """A message delivered to this schema, keyed by the sender's message id (so a redelivery is a
    no-op) and applied at most once: the handler's writes and the `applied` mark commit together.

    pending → applied, or → dead after BUS_MAX_ATTEMPTS failed attempts (the dead-letter list;
    `bus_replay` makes it pending again). A message of a conversation waits, pending, until the
    one before it (same sender, sequence − 1) is applied.
    """

    id = models.UUIDField(primary_key=True, editable=False)
    sender = models.CharField(_("发送方"), max_length=63)
    type = models.CharField(_("消息类型"), max_length=100)
    conversation = models.CharField(_("会话"), max_length=100, blank=True, default="")
    sequence = models.PositiveBigIntegerField(_("会话内序号"), default=0)
    payload = models.JSONField(_("内容"), encoder=DjangoJSONEncoder)
    received_at = models.DateTimeField(_("接收时间"), default=timezone.now)
    applied_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=InboxStatus.choices, default=InboxStatus.PENDING)
    attempts = models.PositiveIntegerField(_("处理次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True, default="")
    next_attempt_at = models.DateTimeField(_("下次处理时间"), default=timezone.now)

    class Meta:
        verbose_name = _("收件箱消息")
        verbose_name_plural = _("收件箱消息")
        indexes = [
            models.Index(
                fields=["sender", "conversation", "sequence"], name="bus_inbox_pending",
                condition=Q(status="pending"),
            ),
            models.Index(fields=["received_at"], name="bus_inbox_dead", condition=Q(status="dead")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["sender", "conversation", "sequence"], name="bus_inbox_conversation_seq",
                condition=~Q(conversation=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type} ← {self.sender} ({self.id})"


class InboxConversation(models.Model):
    """The last sequence applied per (sender, conversation): what the next message must follow."""

    sender = models.CharField(max_length=63)
    conversation = models.CharField(max_length=100)
    applied_sequence = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sender", "conversation"], name="bus_inboxconversation_key")]


class DeadLetterManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(status=InboxStatus.DEAD)


class DeadLetter(InboxMessage):
    """The dead-letter list of this schema: inbox messages whose handler failed BUS_MAX_ATTEMPTS
    times, with the last error. `bus_deadletters` lists them across all schemas."""

    objects = DeadLetterManager()

    class Meta:
        proxy = True
        verbose_name = _("死信")
        verbose_name_plural = _("死信")
