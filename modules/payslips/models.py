"""Payslips in each installing tenant's schema.

`Mapping` is the tenant's saved column mapping of the payroll workbook (one row): which header
holds the staff number (工号), which the name, and which are pay items. `Batch` is one month's
import; `Payslip` is one person's line of it, its items sealed with AES-GCM (`crypto.py`) so the
table holds no amount in clear. People are account ids (`user_id`) as everywhere in tenant schemas.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Mapping(models.Model):
    staff_no_header = models.CharField(_("工号列"), max_length=40, default="工号")
    name_header = models.CharField(_("姓名列"), max_length=40, default="姓名")
    item_headers = models.JSONField(_("工资项目列"), default=list, blank=True)  # [] = every other column
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("工资表列映射")
        verbose_name_plural = _("工资表列映射")


class BatchStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class Batch(models.Model):
    month = models.CharField(_("月份"), max_length=7)  # 2026-11
    title = models.CharField(_("标题"), max_length=100)
    status = models.CharField(_("状态"), max_length=12, choices=BatchStatus.choices, default=BatchStatus.DRAFT)
    headers = models.JSONField(_("工资项目"), default=list)
    created_by_id = models.BigIntegerField(_("导入人ID"), null=True)
    created_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdraw_reason = models.CharField(_("撤回原因"), max_length=200, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("工资条批次")
        verbose_name_plural = _("工资条批次")
        ordering = ["-month", "-pk"]


class SlipStatus(models.TextChoices):
    UNREAD = "unread", _("未查看")
    READ = "read", _("已查看")
    CONFIRMED = "confirmed", _("已确认")
    QUESTIONED = "questioned", _("有疑问")


class Payslip(models.Model):
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="payslips")
    user_id = models.BigIntegerField(_("本人ID"), db_index=True)
    staff_no = models.CharField(_("工号"), max_length=40)
    name = models.CharField(_("姓名"), max_length=60)
    sealed = models.BinaryField(_("密文"))  # nonce ‖ AES-GCM(ciphertext ‖ tag) of the items' JSON
    status = models.CharField(_("状态"), max_length=12, choices=SlipStatus.choices, default=SlipStatus.UNREAD)
    read_at = models.DateTimeField(_("查看时间"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    question = models.CharField(_("疑问"), max_length=500, blank=True)
    reply = models.CharField(_("答复"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("工资条")
        verbose_name_plural = _("工资条")
        constraints = [models.UniqueConstraint(fields=["batch", "user_id"], name="payslips_one_per_person")]
