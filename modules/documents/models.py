"""Official documents (公文): outgoing ones drafted, approved on the approvals engine, numbered and
sent (发文), and incoming ones registered and routed (收文). The text lives in fields; the .docx and
the PDF are rendered from them on request (render.py), so nothing binary is stored."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Series(models.Model):
    """A numbering series: 机关代字 (通卫发) → 通卫发〔2026〕N号, gapless per year (see numbering.py)."""

    code = models.CharField(_("机关代字"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    issuer = models.CharField(_("发文机关"), max_length=60)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("发文字号")
        verbose_name_plural = _("发文字号")
        ordering = ["code"]

    def __str__(self):
        return self.code


class Counter(models.Model):
    """The last number given in a series and year. Locked (SELECT … FOR UPDATE) by 签发."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="counters")
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("最后编号"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="documents_counter_once")]


class Urgency(models.TextChoices):
    NORMAL = "normal", _("普通")
    URGENT = "urgent", _("加急")
    EXTRA = "extra", _("特急")


class Classification(models.TextChoices):
    PUBLIC = "public", _("公开")
    INTERNAL = "internal", _("内部")
    RESTRICTED = "restricted", _("限制")


class OutStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    REVIEWING = "reviewing", _("审核中")
    SENT = "sent", _("已签发分发")
    ARCHIVED = "archived", _("已归档")


class Outgoing(models.Model):
    """发文. `main_to` / `copy_to`: [{"kind": "tenant", "slug", "name"} | {"kind": "user", "id", "name"}]."""

    title = models.CharField(_("标题"), max_length=120)
    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="documents")
    issuer = models.CharField(_("发文机关"), max_length=60)
    main_to = models.JSONField(_("主送"), default=list)
    copy_to = models.JSONField(_("抄送"), default=list, blank=True)
    body = models.TextField(_("正文"))
    urgency = models.CharField(_("紧急程度"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)
    classification = models.CharField(_("密级"), max_length=12, choices=Classification.choices,
                                      default=Classification.PUBLIC)
    status = models.CharField(_("状态"), max_length=10, choices=OutStatus.choices, default=OutStatus.DRAFT)
    drafter_id = models.BigIntegerField(_("拟稿人ID"))
    drafter_name = models.CharField(_("拟稿人"), max_length=60)
    participant_ids = models.JSONField(_("参与人"), default=list, blank=True)  # 核稿、会签、签发 and internal readers
    approval_id = models.BigIntegerField(_("审批单ID"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("序号"), null=True, blank=True)
    number = models.CharField(_("发文字号"), max_length=40, blank=True)
    signed_at = models.DateTimeField(_("签发时间"), null=True, blank=True)
    signer_name = models.CharField(_("签发人"), max_length=60, blank=True)
    notification_id = models.BigIntegerField(_("本单位分发通知"), null=True, blank=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("发文")
        verbose_name_plural = _("发文")
        constraints = [models.UniqueConstraint(fields=["series", "year", "sequence"], name="documents_number_once")]


class InStatus(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    PROPOSED = "proposed", _("待批办")  # 拟办 done, waiting for the leader's 批办
    HANDLING = "handling", _("承办中")
    HANDLED = "handled", _("已承办")
    CIRCULATING = "circulating", _("传阅中")
    DONE = "done", _("已办结")


class Incoming(models.Model):
    """收文: registered by hand or created by the bus when another tenant's 发文 arrives
    (`source_message` is then that message's id: unique, so it is registered once)."""

    source_message = models.UUIDField(_("来源消息"), null=True, blank=True, unique=True)
    source_tenant = models.CharField(_("来文单位代码"), max_length=63, blank=True)
    issuer = models.CharField(_("来文单位"), max_length=60)
    number = models.CharField(_("来文字号"), max_length=40, blank=True)
    title = models.CharField(_("标题"), max_length=120)
    body = models.TextField(_("正文"), blank=True)
    main_to = models.CharField(_("主送"), max_length=300, blank=True)
    copy_to = models.CharField(_("抄送"), max_length=300, blank=True)
    role = models.CharField(_("主送/抄送"), max_length=4, default="main")
    classification = models.CharField(_("密级"), max_length=12, choices=Classification.choices,
                                      default=Classification.PUBLIC)
    urgency = models.CharField(_("紧急程度"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)
    deadline = models.DateField(_("办理期限"), null=True, blank=True)
    signed_on = models.DateField(_("成文日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=InStatus.choices, default=InStatus.REGISTERED)
    registered_by_name = models.CharField(_("登记人"), max_length=60, blank=True)
    waiting_ids = models.JSONField(_("待办理人"), default=list, blank=True)
    lead_id = models.BigIntegerField(_("主办人ID"), null=True, blank=True)
    assist_ids = models.JSONField(_("协办人"), default=list, blank=True)
    participant_ids = models.JSONField(_("参与人"), default=list, blank=True)
    notification_id = models.BigIntegerField(_("传阅通知"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("收文")
        verbose_name_plural = _("收文")


class Step(models.Model):
    """One thing done to a 收文 (登记, 拟办, 批办, 承办, 传阅, 办结), with the opinion written."""

    incoming = models.ForeignKey(Incoming, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("环节"), max_length=12)
    actor_id = models.BigIntegerField(_("办理人ID"), null=True, blank=True)
    actor_name = models.CharField(_("办理人"), max_length=60, blank=True)
    opinion = models.CharField(_("意见"), max_length=1000, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
