"""Referrals, in each installing tenant's schema.

A referral inside one tenant is one row. A referral between tenants is two rows with the same
`uid`: the sender's copy (side `outgoing`) and the receiver's (side `incoming`), kept in step by
bus messages; the receiver's copy holds only what the referral shares.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from jianlian.identity.crypto import EncryptedTextField


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    REVIEW = "review", _("待审核")
    REQUESTED = "requested", _("待接收")
    RECEIVED = "received", _("已查看")
    ACCEPTED = "accepted", _("已接收")
    REJECTED = "rejected", _("已拒绝")
    ON_HOLD = "on_hold", _("已退回补充资料")
    BOOKED = "booked", _("已预约")
    ARRIVED = "arrived", _("已到诊")
    COMPLETED = "completed", _("已完成")
    WITHDRAWN = "withdrawn", _("已撤回")
    CANCELLED = "cancelled", _("已取消")
    CLOSED = "closed", _("已关闭")


# FHIR Task.status (and businessStatus = our code) for each business status.
FHIR_TASK_STATUS = {
    Status.DRAFT: "draft", Status.REVIEW: "draft", Status.REQUESTED: "requested", Status.RECEIVED: "received",
    Status.ACCEPTED: "accepted", Status.REJECTED: "rejected", Status.ON_HOLD: "on-hold",
    Status.BOOKED: "in-progress", Status.ARRIVED: "in-progress", Status.COMPLETED: "completed",
    Status.WITHDRAWN: "cancelled", Status.CANCELLED: "cancelled", Status.CLOSED: "failed",
}

OPEN_INCOMING = (Status.REQUESTED, Status.RECEIVED)


class Side(models.TextChoices):
    INTERNAL = "internal", _("本医共体内")
    OUTGOING = "outgoing", _("转出")
    INCOMING = "incoming", _("转入")


class Direction(models.TextChoices):
    UP = "up", _("上转")
    DOWN = "down", _("下转")
    LATERAL = "lateral", _("平转")


class Kind(models.TextChoices):
    OUTPATIENT = "outpatient", _("门诊")
    INPATIENT = "inpatient", _("住院")
    EMERGENCY = "emergency", _("急诊")


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("普通")
    URGENT = "urgent", _("紧急")
    EMERGENCY = "emergency", _("急危重")


class Sex(models.TextChoices):
    # GB/T 2261.1 codes
    MALE = "1", _("男")
    FEMALE = "2", _("女")
    UNKNOWN = "9", _("未说明")


class Desk(models.Model):
    """A receiving department that takes referrals, with its default daily slots (号源)."""

    unit_id = models.BigIntegerField(_("所属单位"))
    name = models.CharField(_("科室名称"), max_length=60)
    code = models.CharField(_("科室代码"), max_length=30, blank=True)
    kinds = models.JSONField(_("接收类型"), default=list)
    daily_slots = models.PositiveIntegerField(_("每日号源"), default=10)
    head_user_id = models.BigIntegerField(_("科室负责人"), null=True, blank=True)
    active = models.BooleanField(_("接收转诊"), default=True)

    class Meta:
        verbose_name = _("接诊科室")
        verbose_name_plural = _("接诊科室")
        constraints = [models.UniqueConstraint(fields=["unit_id", "name"], name="referrals_desk_unique")]


class SlotDay(models.Model):
    """A desk's slots on one day. Booking is one conditional UPDATE (booked < capacity), so
    concurrent bookings can never overbook."""

    desk = models.ForeignKey(Desk, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("日期"))
    capacity = models.PositiveIntegerField(_("号源数"))
    booked = models.PositiveIntegerField(_("已预约"), default=0)

    class Meta:
        verbose_name = _("号源")
        verbose_name_plural = _("号源")
        constraints = [
            models.UniqueConstraint(fields=["desk", "date"], name="referrals_slotday_unique"),
            models.CheckConstraint(condition=models.Q(booked__lte=models.F("capacity")), name="referrals_slot_not_overbooked"),
        ]


class SlaPolicy(models.Model):
    """Time to acknowledge an incoming referral, per urgency (no national rule: each tenant sets
    its own). Past `ack_minutes` the desk is reminded; past `escalate_minutes` the department head
    is told and the referral is marked overdue."""

    urgency = models.CharField(_("紧急程度"), max_length=12, choices=Urgency.choices, unique=True)
    ack_minutes = models.PositiveIntegerField(_("应答时限（分钟）"))
    escalate_minutes = models.PositiveIntegerField(_("升级时限（分钟）"))

    class Meta:
        verbose_name = _("转诊时限")
        verbose_name_plural = _("转诊时限")


DEFAULT_SLA = {Urgency.EMERGENCY: (10, 30), Urgency.URGENT: (60, 240), Urgency.ROUTINE: (24 * 60, 48 * 60)}


class Referral(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    number = models.CharField(_("转诊单号"), max_length=32)
    side = models.CharField(_("本方"), max_length=10, choices=Side.choices)
    direction = models.CharField(_("方向"), max_length=8, choices=Direction.choices)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, default=Kind.OUTPATIENT)
    urgency = models.CharField(_("紧急程度"), max_length=12, choices=Urgency.choices, default=Urgency.ROUTINE)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    seq = models.PositiveIntegerField(_("状态序号"), default=0)

    from_tenant = models.CharField(_("转出租户"), max_length=63)
    from_unit_id = models.BigIntegerField(_("转出单位"))
    from_unit_name = models.CharField(_("转出单位名称"), max_length=100)
    from_doctor_id = models.BigIntegerField(_("转出医生"))
    from_doctor_name = models.CharField(_("转出医生姓名"), max_length=50)
    to_tenant = models.CharField(_("转入租户"), max_length=63)
    to_unit_id = models.BigIntegerField(_("转入单位"))
    to_unit_name = models.CharField(_("转入单位名称"), max_length=100)
    to_desk_id = models.BigIntegerField(_("转入科室"), null=True, blank=True)
    to_desk_name = models.CharField(_("转入科室名称"), max_length=60, blank=True)
    to_doctor_id = models.BigIntegerField(_("接诊医生"), null=True, blank=True)
    to_doctor_name = models.CharField(_("接诊医生姓名"), max_length=50, blank=True)

    patient_name = models.CharField(_("患者姓名"), max_length=50)
    patient_sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices)
    patient_birth_date = models.DateField(_("出生日期"))
    patient_id_number = EncryptedTextField(_("身份证号"), blank=True, default="")
    patient_id_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    patient_phone = EncryptedTextField(_("联系电话"), blank=True, default="")
    patient_mpi_id = models.CharField(_("主索引号"), max_length=64, blank=True)

    reason = models.TextField(_("主要现病史/转出原因"), max_length=2000)
    diagnosis_code = models.CharField(_("初步诊断编码（ICD-10）"), max_length=10)
    diagnosis_text = models.CharField(_("初步印象"), max_length=200)
    chief_complaint = models.TextField(_("主诉"), max_length=1000, blank=True)
    present_history = models.TextField(_("现病史"), max_length=4000, blank=True)
    past_history = models.TextField(_("主要既往史"), max_length=2000, blank=True)
    exam_findings = models.TextField(_("体格检查"), max_length=2000, blank=True)
    lab_results = models.TextField(_("检验结果"), max_length=4000, blank=True)
    imaging_results = models.TextField(_("影像结果"), max_length=4000, blank=True)
    medications = models.TextField(_("用药情况"), max_length=2000, blank=True)
    allergies = models.TextField(_("过敏史"), max_length=1000, blank=True)
    treatment = models.TextField(_("治疗经过"), max_length=4000, blank=True)
    wished_date = models.DateField(_("期望就诊日期"), null=True, blank=True)
    consent = models.BooleanField(_("患者知情同意"), default=False)
    needs_review = models.BooleanField(_("需本单位审核"), default=False)
    paperwork_pending = models.BooleanField(_("急诊补录资料"), default=False)

    appointment_date = models.DateField(_("预约日期"), null=True, blank=True)
    slot_day_id = models.BigIntegerField(null=True, blank=True)  # the receiver's SlotDay booked
    status_reason = models.CharField(_("拒绝/退回/关闭原因"), max_length=500, blank=True)
    # The return form (回转单)
    result_diagnosis = models.CharField(_("诊断结果"), max_length=200, blank=True)
    inpatient_no = models.CharField(_("住院病案号"), max_length=32, blank=True)
    main_findings = models.TextField(_("主要检查结果"), max_length=4000, blank=True)
    treatment_summary = models.TextField(_("治疗经过"), max_length=4000, blank=True)
    next_plan = models.TextField(_("下一步治疗方案及康复建议"), max_length=4000, blank=True)

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("接收时间"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("到诊时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("升级时间"), null=True, blank=True)
    overdue = models.BooleanField(_("已超时"), default=False)

    class Meta:
        verbose_name = _("转诊单")
        verbose_name_plural = _("转诊单")
        constraints = [models.UniqueConstraint(fields=["uid"], name="referrals_referral_uid")]
        indexes = [
            models.Index(fields=["to_unit_id", "status"]),
            models.Index(fields=["from_unit_id", "status"]),
            models.Index(fields=["status", "submitted_at"]),
        ]

    def __str__(self) -> str:
        return self.number


class Event(models.Model):
    """One step of a referral's timeline (on each side)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    action = models.CharField(_("操作"), max_length=20)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    actor_name = models.CharField(_("操作人"), max_length=50)
    actor_unit = models.CharField(_("操作单位"), max_length=100, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("转诊记录")
        verbose_name_plural = _("转诊记录")
        ordering = ["seq", "pk"]
        constraints = [models.UniqueConstraint(fields=["referral", "seq"], name="referrals_event_seq")]


class Attachment(models.Model):
    """A PDF or image sent with a referral, stored in the tenant's own schema."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(_("文件名"), max_length=120)
    content_type = models.CharField(_("类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField()
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("转诊附件")
        verbose_name_plural = _("转诊附件")
