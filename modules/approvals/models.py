"""Approvals in each installing tenant's schema.

Design time: a `Template` (who may start it, who manages it) with immutable `TemplateVersion`s
(the form as JSON Schema + UI schema, the flow as a DingTalk-style node tree, the policies). A
running `Instance` keeps the version it started with. Run time is rows: a `NodeRun` per node
entered (again after a return: a new round), a `Task` per person asked to act (or copied), and an
`Action` per step — the timeline, which is also what the statistics read.

People are referred to by account id (`user_id`), as everywhere in tenant schemas.
"""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils.translation import gettext_lazy as _


class TemplateKind(models.TextChoices):
    APPROVAL = "approval", _("审批")
    COLLECTION = "collection", _("每日填报")
    EMBEDDED = "embedded", _("由其他应用发起")  # started only through hooks.start_owned, never from the list


class Template(models.Model):
    key = models.SlugField(_("模板代码"), max_length=60, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    category = models.CharField(_("分组"), max_length=30, blank=True)
    icon = models.CharField(_("图标"), max_length=40, blank=True)
    description = models.CharField(_("说明"), max_length=300, blank=True)
    kind = models.CharField(_("类型"), max_length=16, choices=TemplateKind.choices, default=TemplateKind.APPROVAL)
    # Who may start it (the organisation's audience: user_ids, unit_ids, role_codes, department_ids,
    # tag_ids, group_ids); empty means every member of the tenant.
    audience = models.JSONField(_("可发起范围"), default=dict, blank=True)
    # Sub-administrators: members of these departments (or these people) may edit the template.
    managers = models.JSONField(_("模板管理员"), default=dict, blank=True)
    # A daily collection form opens at this local time ("08:00") for its audience.
    opens_at = models.TimeField(_("每日开放时间"), null=True, blank=True)
    opened_on = models.DateField(_("最近开放日期"), null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    builtin = models.BooleanField(_("内置"), default=False)
    current_version = models.ForeignKey("TemplateVersion", verbose_name=_("当前版本"), null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("审批模板")
        verbose_name_plural = _("审批模板")

    def __str__(self) -> str:
        return self.name


class TemplateVersion(models.Model):
    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    form_schema = models.JSONField(_("表单（JSON Schema）"))
    ui_schema = models.JSONField(_("表单界面（UI Schema）"), default=dict, blank=True)
    flow = models.JSONField(_("流程"))
    # on_empty: pass | admin | user (+ empty_user_id); on_submitter: skip | self | superior;
    # dedupe: the same approver twice in a row passes automatically; title: "{submitter}的{name}".
    policies = models.JSONField(_("流程规则"), default=dict, blank=True)
    note = models.CharField(_("修改说明"), max_length=200, blank=True)
    created_by_id = models.BigIntegerField(_("创建人ID"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("模板版本")
        verbose_name_plural = _("模板版本")
        constraints = [models.UniqueConstraint(fields=["template", "number"], name="approvals_version_once")]


class Status(models.TextChoices):
    RUNNING = "running", _("审批中")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("已拒绝")
    WITHDRAWN = "withdrawn", _("已撤回")
    RETURNED = "returned", _("已退回发起人")


FINISHED = (Status.APPROVED, Status.REJECTED, Status.WITHDRAWN)


class Instance(models.Model):
    template = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="instances")
    version = models.ForeignKey(TemplateVersion, on_delete=models.PROTECT, related_name="instances")
    number = models.CharField(_("审批编号"), max_length=24, unique=True)
    title = models.CharField(_("标题"), max_length=200)
    summary = models.CharField(_("摘要"), max_length=500, blank=True)
    submitter_id = models.BigIntegerField(_("发起人ID"))
    submitter_name = models.CharField(_("发起人"), max_length=60)
    department_id = models.BigIntegerField(_("发起部门ID"), null=True, blank=True)
    department_name = models.CharField(_("发起部门"), max_length=60, blank=True)
    unit_id = models.BigIntegerField(_("所在单位ID"), null=True, blank=True)
    data = models.JSONField(_("表单内容"), default=dict)
    chosen = models.JSONField(_("自选审批人"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.RUNNING)
    urgent = models.BooleanField(_("加急"), default=False)
    # "app:ref" when another module's business object runs on this approval (hooks.py): told on finish
    owner = models.CharField(_("所属业务"), max_length=80, blank=True, default="")
    # Everyone who may see it besides the submitter (approvers, cc, forwarded-to), for list filters.
    participants = models.JSONField(_("参与人"), default=list, blank=True)
    created_at = models.DateTimeField(_("发起时间"))
    updated_at = models.DateTimeField(_("更新时间"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    last_urged_at = models.DateTimeField(_("最近催办时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("审批单")
        verbose_name_plural = _("审批单")
        indexes = [
            GinIndex(fields=["participants"], name="approvals_participants"),
            models.Index(fields=["submitter_id", "-created_at"], name="approvals_mine"),
            models.Index(fields=["template", "status", "-created_at"], name="approvals_by_template"),
        ]

    def __str__(self) -> str:
        return self.title


class NodeStatus(models.TextChoices):
    ACTIVE = "active", _("进行中")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("已拒绝")
    SKIPPED = "skipped", _("已跳过")
    CANCELLED = "cancelled", _("已取消")


class NodeRun(models.Model):
    """One entry into one node of the flow (an approver or cc node, or a parallel join)."""

    instance = models.ForeignKey(Instance, on_delete=models.CASCADE, related_name="nodes")
    node_id = models.CharField(_("节点"), max_length=40)
    name = models.CharField(_("节点名称"), max_length=60)
    kind = models.CharField(_("节点类型"), max_length=16)  # approver | cc | parallel
    mode = models.CharField(_("多人审批方式"), max_length=8, blank=True)  # seq | all | any
    round = models.PositiveIntegerField(_("轮次"), default=1)
    status = models.CharField(_("状态"), max_length=12, choices=NodeStatus.choices, default=NodeStatus.ACTIVE)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    branches_done = models.JSONField(_("已完成分支"), default=list, blank=True)
    entered_at = models.DateTimeField(_("进入时间"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    due_at = models.DateTimeField(_("超时时间"), null=True, blank=True)
    auto_at = models.DateTimeField(_("自动处理时间"), null=True, blank=True)
    remind_at = models.DateTimeField(_("下次提醒时间"), null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(_("已提醒次数"), default=0)

    class Meta:
        verbose_name = _("审批节点")
        verbose_name_plural = _("审批节点")
        indexes = [
            models.Index(fields=["remind_at"], condition=models.Q(status="active"), name="approvals_node_remind"),
            models.Index(fields=["auto_at"], condition=models.Q(status="active"), name="approvals_node_auto"),
        ]


class TaskStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    WAITING = "waiting", _("未开始")
    APPROVED = "approved", _("已同意")
    REJECTED = "rejected", _("已拒绝")
    RETURNED = "returned", _("已退回")
    FORWARDED = "forwarded", _("已转交")
    CANCELLED = "cancelled", _("无需处理")
    CC = "cc", _("抄送")


OPEN_TASK = (TaskStatus.PENDING, TaskStatus.WAITING)


class Task(models.Model):
    """One person asked to act on a node (or copied on it). `after` names the task that must be
    decided first (依次 and 前加签); a task with `after` undecided is WAITING."""

    instance = models.ForeignKey(Instance, on_delete=models.CASCADE, related_name="tasks")
    node = models.ForeignKey(NodeRun, on_delete=models.CASCADE, related_name="tasks")
    assignee_id = models.BigIntegerField(_("处理人ID"))
    assignee_name = models.CharField(_("处理人"), max_length=60)
    status = models.CharField(_("状态"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.PENDING)
    after = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_tasks")
    added = models.BooleanField(_("加签"), default=False)
    automatic = models.CharField(_("自动处理原因"), max_length=40, blank=True)
    comment = models.CharField(_("意见"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("到达时间"))
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("审批任务")
        verbose_name_plural = _("审批任务")
        indexes = [models.Index(fields=["assignee_id", "status"], name="approvals_task_assignee")]


class ActionKind(models.TextChoices):
    SUBMIT = "submit", _("提交")
    APPROVE = "approve", _("同意")
    REJECT = "reject", _("拒绝")
    RETURN = "return", _("退回")
    WITHDRAW = "withdraw", _("撤回")
    RESUBMIT = "resubmit", _("重新提交")
    FORWARD = "forward", _("转交")
    ADD_SIGN = "add_sign", _("加签")
    COMMENT = "comment", _("评论")
    URGE = "urge", _("催办")
    AUTO = "auto", _("自动处理")
    REMIND = "remind", _("超时提醒")
    HAND_OVER = "hand_over", _("工作交接")
    CC = "cc", _("抄送")
    FINISH = "finish", _("审批结束")


class Action(models.Model):
    """One step of an instance's timeline."""

    instance = models.ForeignKey(Instance, on_delete=models.CASCADE, related_name="actions")
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    node_id = models.CharField(_("节点"), max_length=40, blank=True)
    kind = models.CharField(_("操作"), max_length=12, choices=ActionKind.choices)
    actor_id = models.BigIntegerField(_("操作人ID"), null=True, blank=True)
    actor_name = models.CharField(_("操作人"), max_length=60, blank=True)
    comment = models.CharField(_("意见"), max_length=1000, blank=True)
    attachments = models.JSONField(_("附件"), default=list, blank=True)
    signature = models.CharField(_("手写签名"), max_length=300, blank=True)
    extra = models.JSONField(_("详情"), default=dict, blank=True)
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("审批记录")
        verbose_name_plural = _("审批记录")
        ordering = ["at", "id"]
