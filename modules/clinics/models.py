"""Outpatient schedules (门诊排班) in each installing tenant's schema.

`Session` is one doctor's clinic half-day in a department (date, 上午/下午, room, quota); it may come
from the HIS (`his_id`). `Change` is a request to stop (停诊) or hand over (替诊) a session; it goes
through the approvals engine and the session changes only when that approval finishes approved.
People are account ids, departments ids of the tenant's org departments, as everywhere.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Half(models.TextChoices):
    AM = "am", _("上午")
    PM = "pm", _("下午")


class SessionStatus(models.TextChoices):
    OPEN = "open", _("出诊")
    STOPPED = "stopped", _("停诊")


class Session(models.Model):
    department_id = models.BigIntegerField(_("科室ID"), db_index=True)
    department_name = models.CharField(_("科室"), max_length=60)
    day = models.DateField(_("日期"), db_index=True)
    half = models.CharField(_("时段"), max_length=2, choices=Half.choices)
    doctor_id = models.BigIntegerField(_("医生ID"), null=True, blank=True, db_index=True)
    doctor_name = models.CharField(_("医生"), max_length=60)
    doctor_title = models.CharField(_("职称"), max_length=20, blank=True)
    room = models.CharField(_("诊室"), max_length=30, blank=True)
    quota = models.PositiveIntegerField(_("号源"), default=0)
    status = models.CharField(_("状态"), max_length=8, choices=SessionStatus.choices, default=SessionStatus.OPEN)
    substitute_for = models.CharField(_("原医生（替诊）"), max_length=60, blank=True)
    his_id = models.CharField(_("HIS 排班号"), max_length=64, blank=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("门诊出诊")
        verbose_name_plural = _("门诊出诊")
        ordering = ["day", "half", "department_name", "doctor_name"]
        constraints = [
            models.UniqueConstraint(fields=["his_id"], condition=~models.Q(his_id=""), name="clinics_one_his_id"),
            models.UniqueConstraint(fields=["department_id", "day", "half", "doctor_name"], name="clinics_one_session"),
        ]


class ChangeKind(models.TextChoices):
    STOP = "stop", _("停诊")
    SUBSTITUTE = "substitute", _("替诊")


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("审批中")
    APPROVED = "approved", _("已生效")
    REJECTED = "rejected", _("未通过")


class Change(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("类型"), max_length=12, choices=ChangeKind.choices)
    reason = models.CharField(_("原因"), max_length=200)
    substitute_id = models.BigIntegerField(_("替诊医生ID"), null=True, blank=True)
    substitute_name = models.CharField(_("替诊医生"), max_length=60, blank=True)
    requester_id = models.BigIntegerField(_("申请人ID"), db_index=True)
    status = models.CharField(_("状态"), max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.PENDING)
    approval_id = models.BigIntegerField(_("审批ID"), null=True, blank=True)
    pushed_at = models.DateTimeField(_("已推送 HIS"), null=True, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("停诊/替诊申请")
        verbose_name_plural = _("停诊/替诊申请")
