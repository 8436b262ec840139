"""每日一答 and topic campaigns: a campaign gives each person `per_day` questions a day (drawn from
the bank's objective questions, of its topic if it has one), answered once a day; the sessions
feed the leaderboards by department."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class QuizKind(models.TextChoices):
    DAILY = "daily", _("每日一答")
    CAMPAIGN = "campaign", _("专题竞赛")


class QuizCampaign(models.Model):
    title = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=10, choices=QuizKind.choices)
    topic = models.CharField(_("知识点"), max_length=40, blank=True, default="")
    per_day = models.PositiveIntegerField(_("每日题数"), default=1)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    created_by_id = models.BigIntegerField(_("创建人ID"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)


class QuizSession(models.Model):
    """One person's questions of one day in one campaign: drawn when they open it, answered once."""

    campaign = models.ForeignKey(QuizCampaign, on_delete=models.CASCADE, related_name="sessions")
    user_id = models.BigIntegerField(_("人员ID"))
    user_name = models.CharField(_("姓名"), max_length=60, blank=True, default="")
    department_id = models.BigIntegerField(_("科室ID"), null=True, blank=True)
    department_name = models.CharField(_("科室"), max_length=60, blank=True, default="")
    day = models.DateField(_("日期"))
    question_ids = models.JSONField(_("题目"), default=list)
    answers = models.JSONField(_("作答"), null=True, blank=True)
    correct = models.PositiveIntegerField(_("答对题数"), default=0)
    score = models.PositiveIntegerField(_("得分"), default=0)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "user_id", "day"], name="learning_quiz_once_a_day")]
        indexes = [models.Index(fields=["campaign", "department_name"])]
