"""福利慰问 condolence requests (births, illness, bereavement) on an approval flow; 社团协会
(clubs, joined with the approval of the club's officer); 职工影院 (tickets by lottery)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CondolenceKind(models.TextChoices):
    BIRTH = "birth", _("生育")
    ILLNESS = "illness", _("住院/重病")
    BEREAVEMENT = "bereavement", _("直系亲属去世")


class Condolence(models.Model):
    member = models.ForeignKey("union.Member", on_delete=models.PROTECT, related_name="condolences")
    kind = models.CharField(_("类别"), max_length=12, choices=CondolenceKind.choices)
    reason = models.CharField(_("事由"), max_length=500)
    status = models.CharField(_("状态"), max_length=10, default="pending")  # pending approved rejected withdrawn
    approval_id = models.BigIntegerField(_("审批ID"), null=True, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("慰问申请")
        verbose_name_plural = _("慰问申请")


class Club(models.Model):
    node = models.ForeignKey("union.UnionNode", on_delete=models.PROTECT, related_name="clubs")
    name = models.CharField(_("名称"), max_length=60)
    description = models.CharField(_("介绍"), max_length=500, blank=True)
    officer_id = models.BigIntegerField(_("负责人ID"))

    class Meta:
        verbose_name = _("社团协会")
        verbose_name_plural = _("社团协会")


class ClubMember(models.Model):
    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey("union.Member", on_delete=models.CASCADE, related_name="clubs")
    status = models.CharField(_("状态"), max_length=10, default="pending")  # pending approved rejected

    class Meta:
        verbose_name = _("社团成员")
        verbose_name_plural = _("社团成员")
        constraints = [models.UniqueConstraint(fields=["club", "member"], name="union_club_once")]


class Screening(models.Model):
    node = models.ForeignKey("union.UnionNode", on_delete=models.PROTECT, related_name="screenings")
    title = models.CharField(_("影片"), max_length=100)
    show_at = models.DateTimeField(_("放映时间"))
    tickets = models.PositiveIntegerField(_("票数"))
    seed = models.CharField(_("抽签种子"), max_length=64, blank=True)
    drawn_at = models.DateTimeField(_("抽签时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("职工影院场次")
        verbose_name_plural = _("职工影院场次")


class TicketEntry(models.Model):
    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="entries")
    member = models.ForeignKey("union.Member", on_delete=models.CASCADE, related_name="ticket_entries")
    won = models.BooleanField(_("中签"), default=False)

    class Meta:
        verbose_name = _("抽票登记")
        verbose_name_plural = _("抽票登记")
        constraints = [models.UniqueConstraint(fields=["screening", "member"], name="union_ticket_once")]
