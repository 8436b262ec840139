"""福利慰问: a campaign offers options; each member chooses one (and may change it until the
campaign closes); the union tallies the choices per option and supplier."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WelfareCampaign(models.Model):
    node = models.ForeignKey("union.UnionNode", on_delete=models.PROTECT, related_name="welfare_campaigns")
    title = models.CharField(_("标题"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    closes_at = models.DateTimeField(_("截止时间"))
    created_by = models.BigIntegerField(_("发起人ID"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("福利活动")
        verbose_name_plural = _("福利活动")


class WelfareOption(models.Model):
    campaign = models.ForeignKey(WelfareCampaign, on_delete=models.CASCADE, related_name="options")
    name = models.CharField(_("名称"), max_length=100)
    supplier = models.CharField(_("供应商"), max_length=100)
    description = models.CharField(_("说明"), max_length=300, blank=True)
    sort = models.IntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("福利选项")
        verbose_name_plural = _("福利选项")


class WelfareChoice(models.Model):
    """A member's one choice in a campaign (the unique pair: one per member)."""

    campaign = models.ForeignKey(WelfareCampaign, on_delete=models.CASCADE, related_name="choices")
    member = models.ForeignKey("union.Member", on_delete=models.CASCADE, related_name="welfare_choices")
    option = models.ForeignKey(WelfareOption, on_delete=models.PROTECT, related_name="choices")
    updated_at = models.DateTimeField(_("选择时间"), auto_now=True)

    class Meta:
        verbose_name = _("福利选择")
        verbose_name_plural = _("福利选择")
        constraints = [models.UniqueConstraint(fields=["campaign", "member"], name="union_welfare_one_choice")]
