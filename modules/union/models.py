"""The staff union (工会云) in each installing tenant's schema: the union tree and its officers,
members, daily check-ins and the points ledger. Activities, welfare and confidential requests
are in their own files (activity_models.py, welfare_models.py, confidential_models.py) and
imported at the bottom so Django sees one app.

People are account ids (`user_id`), as everywhere in tenant schemas. The tree is kept as a
materialised path (`/1/4/17/`): a subtree is one indexed `LIKE '/1/4/%'`, which is what every
officer scope and every participation figure needs.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NodeKind(models.TextChoices):
    UNION = "union", _("工会")
    SUB_UNION = "sub_union", _("分工会")
    GROUP = "group", _("工会小组")


class UnionNode(models.Model):
    """A node of the union tree: the union (root), a sub-union or a group. A node may be tied to
    an org department so that a staff transfer moves the member to the node of the new department."""

    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    kind = models.CharField(_("层级"), max_length=12, choices=NodeKind.choices)
    name = models.CharField(_("名称"), max_length=60)
    path = models.CharField(_("路径"), max_length=255, db_index=True, editable=False, db_collation="C")
    department_id = models.BigIntegerField(_("对应科室ID"), null=True, blank=True, db_index=True)
    sort = models.IntegerField(_("排序"), default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("工会组织")
        verbose_name_plural = _("工会组织")
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="union_node_unique_name"),
                       models.UniqueConstraint(fields=["kind"], condition=Q(kind="union"), name="union_node_one_root")]

    def __str__(self) -> str:
        return self.name


class Officer(models.Model):
    """An officer of a node (主席, 委员, 组长): manages the node and everything below it."""

    node = models.ForeignKey(UnionNode, on_delete=models.CASCADE, related_name="officers")
    user_id = models.BigIntegerField(_("账号ID"), db_index=True)
    name = models.CharField(_("姓名"), max_length=60)
    title = models.CharField(_("职务"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("工会干部")
        verbose_name_plural = _("工会干部")
        constraints = [models.UniqueConstraint(fields=["node", "user_id"], name="union_officer_once")]


class MemberStatus(models.TextChoices):
    ACTIVE = "active", _("在会")
    LEFT = "left", _("已退会")


class Member(models.Model):
    """A union member. `node` is the group (or sub-union) the member belongs to; `path` is a copy
    of that node's path so that a subtree's members are one indexed prefix scan."""

    user_id = models.BigIntegerField(_("账号ID"), unique=True)
    name = models.CharField(_("姓名"), max_length=60)
    node = models.ForeignKey(UnionNode, on_delete=models.PROTECT, related_name="members")
    path = models.CharField(_("组织路径"), max_length=255, db_index=True, db_collation="C")
    status = models.CharField(_("状态"), max_length=8, choices=MemberStatus.choices, default=MemberStatus.ACTIVE)
    joined_at = models.DateTimeField(_("入会时间"))
    left_at = models.DateTimeField(_("退会时间"), null=True, blank=True)
    left_reason = models.CharField(_("退会原因"), max_length=60, blank=True)
    streak = models.PositiveIntegerField(_("连续签到天数"), default=0)
    last_check_in = models.DateField(_("最近签到"), null=True, blank=True)
    # The sum of the member's positive ledger lines, kept in the transaction of each award
    # (points.award) so that a leaderboard is an index scan; the ledger stays the truth
    # (points.recount rebuilds it).
    earned = models.IntegerField(_("累计获得积分"), default=0)

    class Meta:
        verbose_name = _("会员")
        verbose_name_plural = _("会员")
        indexes = [models.Index(fields=["status", "path"]), models.Index(fields=["-earned", "name"], name="union_member_earned")]

    @property
    def active(self) -> bool:
        return self.status == MemberStatus.ACTIVE


class CheckIn(models.Model):
    """One member's 每日签到 of one day; the unique pair makes a second check-in impossible."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="check_ins")
    day = models.DateField(_("日期"))
    streak = models.PositiveIntegerField(_("连续天数"))
    created_at = models.DateTimeField(_("签到时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("签到")
        verbose_name_plural = _("签到")
        constraints = [models.UniqueConstraint(fields=["member", "day"], name="union_checkin_once_a_day")]
        indexes = [models.Index(fields=["day"])]


class Rule(models.TextChoices):
    CHECK_IN = "check_in", _("每日签到")
    STREAK = "streak", _("连续签到奖励")
    READING = "reading", _("阅读")
    QUIZ = "quiz", _("答题")
    ACTIVITY = "activity", _("参加活动")
    REDEEM = "redeem", _("兑换")
    ADJUST = "adjust", _("调整")


class PointEntry(models.Model):
    """One line of the append-only points ledger. `key` says what the award is for
    (`checkin:<member>:<day>`, `quiz:<attempt>` …) and is unique, so nothing is awarded twice;
    a member's balance is the sum of their lines. A database trigger (migration 0002) refuses
    UPDATE and DELETE, so the ledger can only grow."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="points")
    rule = models.CharField(_("规则"), max_length=12, choices=Rule.choices)
    points = models.IntegerField(_("积分"))
    key = models.CharField(_("幂等键"), max_length=120, unique=True)
    note = models.CharField(_("说明"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("积分流水")
        verbose_name_plural = _("积分流水")
        indexes = [models.Index(fields=["member", "created_at"])]


class StepCount(models.Model):
    """A member's step count of a day, as last reported by their phone or wearable."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="steps")
    day = models.DateField(_("日期"))
    steps = models.PositiveIntegerField(_("步数"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("步数")
        verbose_name_plural = _("步数")
        constraints = [models.UniqueConstraint(fields=["member", "day"], name="union_steps_one_a_day")]
        indexes = [models.Index(fields=["day", "-steps"])]


class DeviceToken(models.Model):
    """The secret a member's phone or wearable sends with step counts (stored hashed)."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="device_token")
    token_hash = models.CharField(_("令牌摘要"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now=True)


class DigestSent(models.Model):
    """The weekly digest of a sub-union went out this ISO week (so a re-run sends nothing twice)."""

    node = models.ForeignKey(UnionNode, on_delete=models.CASCADE, related_name="digests")
    week = models.CharField(_("周"), max_length=8)
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["node", "week"], name="union_digest_once_a_week")]


from modules.union.activity_models import Activity, ActivityPhoto, Signup  # noqa: E402,F401
from modules.union.confidential_models import Confidential, Counsellor  # noqa: E402,F401
from modules.union.welfare_models import WelfareCampaign, WelfareChoice, WelfareOption  # noqa: E402,F401
from modules.union.survey_models import Survey, SurveyResponse, SurveyTaken  # noqa: E402,F401
from modules.union.care_models import Club, ClubMember, Condolence, Screening, TicketEntry  # noqa: E402,F401
from modules.union.extras_models import Album, AlbumPhoto, Book, BookClick, Offer, SurveyClosedSent  # noqa: E402,F401
from modules.union.health_models import HealthArticle  # noqa: E402,F401
