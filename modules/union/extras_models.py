"""The union's smaller member services: 职工书屋 (a catalogue of links out to the national union
e-library, with click statistics), 工会图集 (albums of photos), 惠在协和 (merchant offers).
Each row belongs to a union node: its officers manage it, the members of its subtree see it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Book(models.Model):
    """A link in 职工书屋 (the national union e-library's pages); `clicks` is the running count."""

    node = models.ForeignKey("union.UnionNode", on_delete=models.PROTECT, related_name="books")
    title = models.CharField(_("书名"), max_length=100)
    author = models.CharField(_("作者"), max_length=60, blank=True)
    category = models.CharField(_("分类"), max_length=30, blank=True)
    url = models.URLField(_("链接"), max_length=500)
    clicks = models.PositiveIntegerField(_("点击次数"), default=0)
    created_by = models.BigIntegerField(_("添加人ID"))
    created_at = models.DateTimeField(_("添加时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("职工书屋")
        verbose_name_plural = _("职工书屋")


class BookClick(models.Model):
    """One member opened one book (for readers per book and per sub-union)."""

    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="click_rows")
    member = models.ForeignKey("union.Member", on_delete=models.CASCADE, related_name="+")
    clicked_at = models.DateTimeField(_("点击时间"), auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["book", "member"])]


class Album(models.Model):
    """An album of a node; an activity has at most one (its photos afterwards)."""

    node = models.ForeignKey("union.UnionNode", on_delete=models.PROTECT, related_name="albums")
    activity = models.OneToOneField("union.Activity", on_delete=models.CASCADE, null=True, blank=True,
                                    related_name="album")
    title = models.CharField(_("标题"), max_length=100)
    description = models.CharField(_("说明"), max_length=300, blank=True)
    created_by = models.BigIntegerField(_("创建人ID"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("工会图集")
        verbose_name_plural = _("工会图集")


class AlbumPhoto(models.Model):
    album = models.ForeignKey(Album, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("照片"), upload_to="union/albums/%Y/%m/")
    caption = models.CharField(_("说明"), max_length=100, blank=True)
    uploaded_by = models.BigIntegerField(_("上传人ID"))
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)


class Offer(models.Model):
    """A merchant's offer to members (惠在协和), shown from `valid_from` to `valid_until` (inclusive)."""

    node = models.ForeignKey("union.UnionNode", on_delete=models.PROTECT, related_name="offers")
    title = models.CharField(_("标题"), max_length=100)
    merchant = models.CharField(_("商家"), max_length=100)
    discount = models.CharField(_("优惠内容"), max_length=300)
    valid_from = models.DateField(_("开始日期"))
    valid_until = models.DateField(_("截止日期"))
    image = models.FileField(_("图片"), upload_to="union/offers/%Y/%m/", blank=True)
    created_by = models.BigIntegerField(_("发布人ID"))
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("惠在协和")
        verbose_name_plural = _("惠在协和")
        indexes = [models.Index(fields=["valid_until"])]


class SurveyClosedSent(models.Model):
    """`union.survey_closed` went out for this survey (so the beat task announces each once)."""

    survey = models.OneToOneField("union.Survey", on_delete=models.CASCADE, primary_key=True, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)
