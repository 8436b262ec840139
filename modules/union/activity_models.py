"""Union activities (活动参与): a quota, a sign-up form, a waiting list that moves up in order,
optional approval by an officer, QR check-in at the venue and photos afterwards."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ActivityStatus(models.TextChoices):
    OPEN = "open", _("报名中")
    CLOSED = "closed", _("已截止")
    CANCELLED = "cancelled", _("已取消")


class Activity(models.Model):
    """An activity of a node, open to the members of that node's subtree. `form` lists the
    sign-up questions: [{"key": "size", "label": "T恤尺码", "required": true, "options": [...]}].
    `check_in_code` is the secret in the venue's QR code."""

    node = models.ForeignKey("union.UnionNode", on_delete=models.PROTECT, related_name="activities")
    title = models.CharField(_("标题"), max_length=100)
    description = models.TextField(_("介绍"), blank=True)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    start_at = models.DateTimeField(_("开始时间"))
    end_at = models.DateTimeField(_("结束时间"))
    quota = models.PositiveIntegerField(_("名额"))
    needs_approval = models.BooleanField(_("报名需审核"), default=False)
    form = models.JSONField(_("报名表"), default=list, blank=True)
    points = models.PositiveIntegerField(_("签到积分"), default=10)
    check_in_code = models.CharField(_("签到码"), max_length=32)
    status = models.CharField(_("状态"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.OPEN)
    created_by = models.BigIntegerField(_("发起人ID"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("工会活动")
        verbose_name_plural = _("工会活动")
        indexes = [models.Index(fields=["start_at"])]


class SignupStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    CONFIRMED = "confirmed", _("报名成功")
    WAITING = "waiting", _("候补中")
    CANCELLED = "cancelled", _("已取消")
    REJECTED = "rejected", _("未通过")


SEATED = (SignupStatus.PENDING, SignupStatus.CONFIRMED)  # these hold one of the quota's places
LIVE = (*SEATED, SignupStatus.WAITING)


class Signup(models.Model):
    """One member's sign-up; the waiting list is the WAITING rows in `id` order (first come,
    first promoted). At most one live sign-up per member and activity (partial unique index)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="signups")
    member = models.ForeignKey("union.Member", on_delete=models.CASCADE, related_name="signups")
    status = models.CharField(_("状态"), max_length=10, choices=SignupStatus.choices)
    answers = models.JSONField(_("报名表内容"), default=dict, blank=True)
    created_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    promoted_at = models.DateTimeField(_("候补转正时间"), null=True, blank=True)
    attended_at = models.DateTimeField(_("现场签到时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("活动报名")
        verbose_name_plural = _("活动报名")
        constraints = [models.UniqueConstraint(fields=["activity", "member"], condition=Q(status__in=[s.value for s in LIVE]),
                                               name="union_signup_one_live")]
        indexes = [models.Index(fields=["activity", "status", "id"])]


class ActivityPhoto(models.Model):
    """A photo taken at an activity (工会图集 draws on these)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("照片"), upload_to="union/photos/%Y/%m/")
    caption = models.CharField(_("说明"), max_length=100, blank=True)
    uploaded_by = models.BigIntegerField(_("上传人ID"))
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
