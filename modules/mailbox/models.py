"""Letters to the director (院长信箱) and staff appeals (职工诉求).

Anonymity is real: an anonymous letter stores no sender link at all — no account, no name, no
exact time (the hour only), and its audit record carries no actor, IP or request id. The writer
gets a random claim code once; only its SHA-256 is kept, and it is what opens the letter's replies.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    MAILBOX = "mailbox", _("院长信箱")
    APPEAL = "appeal", _("职工诉求")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("待办理")
    HANDLING = "handling", _("办理中")
    REPLIED = "replied", _("已答复")
    CLOSED = "closed", _("已办结")


class Letter(models.Model):
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices, default=Kind.MAILBOX)
    subject = models.CharField(_("主题"), max_length=100)
    body = models.TextField(_("内容"))
    anonymous = models.BooleanField(_("匿名"), default=False)
    sender_id = models.BigIntegerField(_("写信人ID"), null=True, blank=True)  # always null when anonymous
    sender_name = models.CharField(_("写信人"), max_length=60, blank=True)  # always blank when anonymous
    claim_hash = models.CharField(_("取件码摘要"), max_length=64, blank=True, db_index=True)
    handler_ids = models.JSONField(_("办理人"), default=list, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    satisfaction = models.PositiveSmallIntegerField(_("满意度"), null=True, blank=True)  # 1–5
    created_at = models.DateTimeField(_("来信时间"))  # the hour only for anonymous letters
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("来信")
        verbose_name_plural = _("来信")


class Message(models.Model):
    """A reply by a handler, or a follow-up by the writer (named, or through the claim code)."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="messages")
    from_handler = models.BooleanField(_("办理人答复"))
    author_name = models.CharField(_("署名"), max_length=60)
    body = models.TextField(_("内容"))
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
