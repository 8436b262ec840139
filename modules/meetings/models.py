"""Meeting rooms and their bookings, in each installing tenant's schema.

A `Room` belongs to an org unit of the tenant (the lead hospital or a member centre). A `Booking`
holds one room for one span of time; a weekly series is several bookings sharing `series`.
`Invitation` is one invitee's answer. `CalendarToken` is the secret in a person's iCalendar feed
address. People are account ids (`user_id`), units are org-unit ids, as everywhere in tenant schemas.

No two active bookings of one room may overlap, and the database — not the code — guarantees it,
so two people pressing 预订 at the same instant cannot both win. The embedded PostgreSQL has no
btree_gist, so an exclusion constraint over (room_id WITH =, tstzrange WITH &&) is not available.
Instead each booking stores `slot`, one int8range that encodes the room and the time together:

    slot = [room_id × 2^33 + start epoch seconds, room_id × 2^33 + end epoch seconds)

2^33 seconds is ~272 years from 1970, so every span of one room lies inside that room's own band
[room_id × 2^33, (room_id + 1) × 2^33) and two slots overlap exactly when the room is the same and
the times overlap. Range types have a built-in GiST operator class, so

    EXCLUDE USING gist (slot WITH &&) WHERE (status IN ('booked', 'checked_in'))

needs no extension. `save()` computes the slot, and a CHECK constraint (migration 0001) recomputes
it from room_id, start_at and end_at in the database, so the slot can never drift from the times.
"""

from __future__ import annotations

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import BigIntegerRangeField, RangeOperators
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.db.backends.postgresql.psycopg_any import NumericRange

BAND = 2 ** 33  # seconds per room band (see the module docstring)


class Room(models.Model):
    unit_id = models.BigIntegerField(_("所属单位ID"), db_index=True)
    name = models.CharField(_("名称"), max_length=60)
    building = models.CharField(_("楼宇"), max_length=60, blank=True)
    floor = models.CharField(_("楼层"), max_length=20, blank=True)
    capacity = models.PositiveIntegerField(_("容纳人数"))
    equipment = models.JSONField(_("设备"), default=list, blank=True)  # ["投影", "视频会议"]
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("会议室")
        verbose_name_plural = _("会议室")
        constraints = [models.UniqueConstraint(fields=["unit_id", "building", "name"], name="meetings_room_unique_name")]

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    BOOKED = "booked", _("已预订")
    CHECKED_IN = "checked_in", _("已签到")
    CANCELLED = "cancelled", _("已取消")
    RELEASED = "released", _("未签到已释放")


ACTIVE = (Status.BOOKED, Status.CHECKED_IN)


class Booking(models.Model):
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="bookings")
    title = models.CharField(_("主题"), max_length=100)
    start_at = models.DateTimeField(_("开始时间"))
    end_at = models.DateTimeField(_("结束时间"))
    slot = BigIntegerRangeField(_("占用区间（编码）"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.BOOKED)
    organiser_id = models.BigIntegerField(_("组织者ID"), db_index=True)
    organiser_name = models.CharField(_("组织者"), max_length=60)
    is_private = models.BooleanField(_("私密"), default=False)
    ding = models.BooleanField(_("DING 提醒"), default=False)
    remind_minutes = models.PositiveIntegerField(_("提前提醒（分钟）"), default=15)
    remind_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("已提醒"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    series = models.UUIDField(_("周期系列"), null=True, blank=True, db_index=True)
    occurrence = models.PositiveIntegerField(_("第几次"), default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("会议室预订")
        verbose_name_plural = _("会议室预订")
        indexes = [models.Index(fields=["start_at"]), models.Index(fields=["status", "remind_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(end_at__gt=models.F("start_at")), name="meetings_booking_end_after_start"),
            ExclusionConstraint(name="meetings_booking_no_overlap", expressions=[("slot", RangeOperators.OVERLAPS)],
                                condition=Q(status__in=[s.value for s in ACTIVE])),
        ]

    def compute_slot(self) -> NumericRange:
        base = self.room_id * BAND
        return NumericRange(base + int(self.start_at.timestamp()), base + int(self.end_at.timestamp()), "[)")

    def save(self, *args, **kwargs):
        self.slot = self.compute_slot()
        super().save(*args, **kwargs)

    @property
    def active(self) -> bool:
        return self.status in ACTIVE


class Answer(models.TextChoices):
    PENDING = "pending", _("待回复")
    ACCEPTED = "accepted", _("接受")
    DECLINED = "declined", _("拒绝")


class Invitation(models.Model):
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="invitations")
    user_id = models.BigIntegerField(_("受邀人ID"), db_index=True)
    name = models.CharField(_("受邀人"), max_length=60)
    answer = models.CharField(_("回复"), max_length=10, choices=Answer.choices, default=Answer.PENDING)
    answered_at = models.DateTimeField(_("回复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("会议邀请")
        verbose_name_plural = _("会议邀请")
        constraints = [models.UniqueConstraint(fields=["booking", "user_id"], name="meetings_invitation_once")]


class CalendarToken(models.Model):
    """The secret in a person's calendar feed address; resetting it replaces the row's token."""

    user_id = models.BigIntegerField(_("用户ID"), unique=True)
    token = models.CharField(_("令牌"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now=True)
