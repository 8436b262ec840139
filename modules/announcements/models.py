"""Columns (栏目) with their administrators, posts, their attachments, comments and likes.

Who may read a published post, and who read it, is not stored here: publishing sends one
notification to the post's audience through the notification centre, and its recipient copies
(`notifications.Delivery`) are both the audience and the read receipts (`Post.notification_id`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Column(models.Model):
    key = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)
    admin_ids = models.JSONField(_("栏目管理员（账号ID）"), default=list, blank=True)
    comments_enabled = models.BooleanField(_("允许评论"), default=True)
    likes_enabled = models.BooleanField(_("允许点赞"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("栏目")
        verbose_name_plural = _("栏目")
        ordering = ["sort", "pk"]


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SCHEDULED = "scheduled", _("定时发布")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class Post(models.Model):
    column = models.ForeignKey(Column, on_delete=models.PROTECT, related_name="posts")
    title = models.CharField(_("标题"), max_length=120)
    body = models.TextField(_("正文（已净化的HTML）"), blank=True)
    text = models.TextField(_("正文纯文本（搜索用）"), blank=True)
    video_links = models.JSONField(_("视频链接"), default=list, blank=True)
    audience = models.JSONField(_("发布范围"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    required = models.BooleanField(_("必读"), default=False)
    read_deadline = models.DateTimeField(_("阅读截止时间"), null=True, blank=True)
    pinned = models.BooleanField(_("置顶"), default=False)
    expires_at = models.DateTimeField(_("过期时间"), null=True, blank=True)
    publish_at = models.DateTimeField(_("定时发布时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    author_id = models.BigIntegerField(_("作者ID"))
    author_name = models.CharField(_("作者"), max_length=150, blank=True)
    notification_id = models.BigIntegerField(_("通知ID（阅读回执）"), null=True, blank=True, unique=True)
    recipient_count = models.PositiveIntegerField(_("接收人数"), default=0)
    read_count = models.PositiveIntegerField(_("已读人数"), default=0)
    form_schema = models.JSONField(_("附带表单或投票（JSON Schema）"), null=True, blank=True)
    form_closes_at = models.DateTimeField(_("表单或投票截止时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("公告")
        verbose_name_plural = _("公告")
        indexes = [models.Index(fields=["status", "-pinned", "-published_at"]),
                   models.Index(fields=["status", "publish_at"])]


class Attachment(models.Model):
    """A file or image of a post, kept in the tenant's own schema (as referrals keep theirs)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(_("文件名"), max_length=120)
    content_type = models.CharField(_("类型"), max_length=80)
    size = models.PositiveIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField()
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("公告附件")
        verbose_name_plural = _("公告附件")


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    user_id = models.BigIntegerField(_("评论人ID"))
    user_name = models.CharField(_("评论人"), max_length=150)
    text = models.CharField(_("内容"), max_length=500)
    hidden = models.BooleanField(_("已隐藏"), default=False)
    hidden_by_id = models.BigIntegerField(_("隐藏人ID"), null=True, blank=True)
    created_at = models.DateTimeField(_("评论时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评论")
        verbose_name_plural = _("评论")
        ordering = ["pk"]


class Like(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="likes")
    user_id = models.BigIntegerField(_("点赞人ID"))
    created_at = models.DateTimeField(_("点赞时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("点赞")
        verbose_name_plural = _("点赞")
        constraints = [models.UniqueConstraint(fields=["post", "user_id"], name="announcements_like_once")]


class FormAnswer(models.Model):
    """One reader's answer to the form or quick poll attached to a post (once per person)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="form_answers")
    user_id = models.BigIntegerField(_("填写人ID"))
    data = models.JSONField(_("填写内容"))
    answered_at = models.DateTimeField(_("填写时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("表单填写")
        verbose_name_plural = _("表单填写")
        constraints = [models.UniqueConstraint(fields=["post", "user_id"], name="announcements_answer_once")]
