"""心理咨询 and 法律帮扶: confidential requests. The subject and the text are stored encrypted
(AES-GCM, confidential.py); only the assigned counsellor or lawyer may read them. No aggregate
view names anyone: statistics count requests by kind and status only."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class ConfidentialKind(models.TextChoices):
    COUNSELLING = "counselling", _("心理咨询")
    LEGAL = "legal", _("法律帮扶")
    MATERNITY = "maternity", _("育龄期女职工绿色通道")


class Counsellor(models.Model):
    """A counsellor or lawyer the union named to take requests of a kind."""

    user_id = models.BigIntegerField(_("账号ID"))
    name = models.CharField(_("姓名"), max_length=60)
    kind = models.CharField(_("类别"), max_length=12, choices=ConfidentialKind.choices)
    intro = models.CharField(_("简介"), max_length=200, blank=True)
    is_active = models.BooleanField(_("在岗"), default=True)

    class Meta:
        verbose_name = _("咨询师/律师")
        verbose_name_plural = _("咨询师/律师")
        constraints = [models.UniqueConstraint(fields=["user_id", "kind"], name="union_counsellor_once")]


class ConfidentialStatus(models.TextChoices):
    OPEN = "open", _("待回复")
    ANSWERED = "answered", _("已回复")
    CLOSED = "closed", _("已结束")


class Confidential(models.Model):
    """A member's confidential request. `sealed` holds nonce + AES-GCM ciphertext of
    {"subject", "text", "reply", "contact"}; the associated data binds it to this row's `ref`, kind
    and requester so that a ciphertext cannot be moved to another row."""

    ref = models.UUIDField(_("编号"), default=uuid.uuid4, unique=True, editable=False)
    requester_id = models.BigIntegerField(_("申请人账号ID"), db_index=True)
    counsellor = models.ForeignKey(Counsellor, on_delete=models.PROTECT, related_name="requests")
    kind = models.CharField(_("类别"), max_length=12, choices=ConfidentialKind.choices)
    sealed = models.BinaryField(_("密文"))
    status = models.CharField(_("状态"), max_length=10, choices=ConfidentialStatus.choices, default=ConfidentialStatus.OPEN)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("保密求助")
        verbose_name_plural = _("保密求助")
