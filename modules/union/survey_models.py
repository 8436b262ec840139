"""调查问卷: a survey is a form of the approvals' form engine (JSON Schema); each member answers
once. An anonymous survey stores its answers with no link to anyone: the `SurveyTaken` row (who
answered, for "once per member") and the `SurveyResponse` row (what was answered) share nothing —
the response has a random UUID key and no timestamp, so not even the order joins them."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class Survey(models.Model):
    node = models.ForeignKey("union.UnionNode", on_delete=models.PROTECT, related_name="surveys")
    title = models.CharField(_("标题"), max_length=100)
    form_schema = models.JSONField(_("问卷（JSON Schema）"))
    anonymous = models.BooleanField(_("匿名"), default=False)
    closes_at = models.DateTimeField(_("截止时间"))
    created_by = models.BigIntegerField(_("发起人ID"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("调查问卷")
        verbose_name_plural = _("调查问卷")


class SurveyTaken(models.Model):
    """That a member has answered (never what)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="taken")
    member = models.ForeignKey("union.Member", on_delete=models.CASCADE, related_name="surveys_taken")

    class Meta:
        verbose_name = _("问卷作答记录")
        verbose_name_plural = _("问卷作答记录")
        constraints = [models.UniqueConstraint(fields=["survey", "member"], name="union_survey_once")]


class SurveyResponse(models.Model):
    """The answers; `member` only for a named survey."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    member = models.ForeignKey("union.Member", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    answers = models.JSONField(_("答案"))

    class Meta:
        verbose_name = _("问卷答案")
        verbose_name_plural = _("问卷答案")
