"""Duty rosters (排班) in each installing tenant's schema.

`ShiftType` is a kind of shift (白班 08:00–16:00, 夜班 16:00–08:00 the next morning: an end at or
before the start means the next day). `Roster` is one department's month; `Entry` is one person's
shift on one day of it (at most one per person and day). People are account ids (`user_id`),
departments are ids of the tenant's org departments, as everywhere in tenant schemas.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _


class ShiftType(models.Model):
    code = models.CharField(_("代码"), max_length=8, unique=True)
    name = models.CharField(_("名称"), max_length=20)
    start = models.TimeField(_("开始"))
    end = models.TimeField(_("结束"))
    color = models.CharField(_("颜色"), max_length=16, default="blue")
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("班次")
        verbose_name_plural = _("班次")
        ordering = ["start", "code"]

    def span(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        from django.utils import timezone

        start = timezone.make_aware(dt.datetime.combine(day, self.start))
        end = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1) if self.end <= self.start else day, self.end))
        return start, end


class RosterStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class Roster(models.Model):
    department_id = models.BigIntegerField(_("科室ID"), db_index=True)
    department_name = models.CharField(_("科室"), max_length=60)
    month = models.CharField(_("月份"), max_length=7)  # 2026-12
    status = models.CharField(_("状态"), max_length=12, choices=RosterStatus.choices, default=RosterStatus.DRAFT)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("排班表")
        verbose_name_plural = _("排班表")
        constraints = [models.UniqueConstraint(fields=["department_id", "month"], name="rosters_one_per_month")]


class Entry(models.Model):
    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="entries")
    user_id = models.BigIntegerField(_("人员ID"), db_index=True)
    name = models.CharField(_("姓名"), max_length=60)
    day = models.DateField(_("日期"))
    shift = models.ForeignKey(ShiftType, on_delete=models.PROTECT, related_name="entries")

    class Meta:
        verbose_name = _("排班")
        verbose_name_plural = _("排班")
        constraints = [models.UniqueConstraint(fields=["roster", "user_id", "day"], name="rosters_one_shift_a_day")]


class SwapStatus(models.TextChoices):
    PENDING = "pending", _("审批中")
    APPROVED = "approved", _("已换班")
    REJECTED = "rejected", _("未通过")
    CONFLICT = "conflict", _("冲突未换")


class Swap(models.Model):
    """A person asks to swap one of her shifts with a colleague's; the colleague and the head
    approve on the approvals engine (an embedded template); the entries change only when that
    approval finishes approved (approval_hooks.approval_finished)."""

    mine = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="+")
    theirs = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="+")
    requester_id = models.BigIntegerField(_("申请人ID"), db_index=True)
    colleague_id = models.BigIntegerField(_("对方ID"), db_index=True)
    reason = models.CharField(_("事由"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=SwapStatus.choices, default=SwapStatus.PENDING)
    approval_id = models.BigIntegerField(_("审批ID"), null=True, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("换班申请")
        verbose_name_plural = _("换班申请")
