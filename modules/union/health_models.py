"""育龄期女职工健康: articles on pregnancy and childbirth from the union's partner clinics, readable
only by eligible members (womens_health.eligible) and union administrators."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Clinic(models.TextChoices):
    """The clinics of the union's green channel (seed 000)."""

    STAFF_HEALTH = "staff_health", _("职工保健科")
    OBSTETRICS = "obstetrics", _("妇产科")
    PAEDIATRICS = "paediatrics", _("儿科")
    NUTRITION = "nutrition", _("营养科")
    DENTAL = "dental", _("口腔科")
    PSYCHOLOGY = "psychology", _("心理医学科")


class HealthArticle(models.Model):
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"), max_length=20000)
    clinic = models.CharField(_("科室"), max_length=16, choices=Clinic.choices)
    created_by = models.BigIntegerField(_("创建人ID"))
    published = models.BooleanField(_("已发布"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("女职工健康文章")
        verbose_name_plural = _("女职工健康文章")
