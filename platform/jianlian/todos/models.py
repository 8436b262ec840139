"""To-do items, one row per person and thing to do, in each tenant's schema.

A module owns the thing (an approval task, a referral waiting to be received); the item is the
person's pointer to it, with what the list shows (title, summary, link, due time) copied in so
that the list is one indexed range scan without touching the module's tables.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ASSIGNEE = "assignee", _("待我处理")
    SUBMITTER = "submitter", _("我发起的")
    CC = "cc", _("抄送我")


class State(models.TextChoices):
    PENDING = "pending", _("待处理")
    DONE = "done", _("已处理")


class TodoItem(models.Model):
    user_id = models.BigIntegerField(_("处理人ID"))
    key = models.CharField(_("来源键"), max_length=80, help_text="模块内唯一，如 approvals:task:12")
    source = models.CharField(_("来源应用"), max_length=40)
    kind = models.CharField(_("类型"), max_length=40)
    role = models.CharField(_("角色"), max_length=12, choices=Role.choices, default=Role.ASSIGNEE)
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.PENDING)
    title = models.CharField(_("标题"), max_length=200)
    summary = models.CharField(_("摘要"), max_length=500, blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    started_by = models.CharField(_("发起人"), max_length=60, blank=True)
    outcome = models.CharField(_("处理结果"), max_length=40, blank=True)
    urgent = models.BooleanField(_("紧急"), default=False)
    due_at = models.DateTimeField(_("截止时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("更新时间"))
    done_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("待办")
        verbose_name_plural = _("待办")
        constraints = [models.UniqueConstraint(fields=["user_id", "key", "role"], name="todo_once_per_person")]
        indexes = [
            models.Index(fields=["user_id", "role", "state", "-updated_at", "-id"], name="todo_list"),
            models.Index(fields=["key"], name="todo_key"),
        ]
