"""GraphQL types of the approvals app (see README.md in this folder for the API tour)."""

from __future__ import annotations

import graphene
from graphql_relay import to_global_id

from jianlian.api.connection import CountableConnection
from jianlian.api.types import ModelType
from jianlian.core.errors import DomainError
from jianlian import forms
from modules.approvals import access, actions, engine
from modules.approvals.flow import chosen_nodes
from modules.approvals.models import (
    Action, ActionKind, Instance, NodeRun, Status, Task, TaskStatus, Template, TemplateKind, TemplateVersion,
)

StatusEnum = graphene.Enum.from_enum(Status, name="ApprovalStatus", description="审批单状态。")
TaskStatusEnum = graphene.Enum.from_enum(TaskStatus, name="ApprovalTaskStatus", description="审批任务状态。")
ActionKindEnum = graphene.Enum.from_enum(ActionKind, name="ApprovalActionKind", description="审批记录的操作类型。")
TemplateKindEnum = graphene.Enum.from_enum(TemplateKind, name="ApprovalTemplateKind", description="审批或每日填报。")
AvailableActionEnum = graphene.Enum("ApprovalAvailableAction", [(a, a) for a in (
    "APPROVE", "REJECT", "RETURN", "FORWARD", "ADD_SIGN", "WITHDRAW", "URGE", "RESUBMIT", "COMMENT")],
    description="当前用户现在可做的操作（服务器计算）：APPROVE 同意、REJECT 拒绝、RETURN 退回、FORWARD 转交、"
                "ADD_SIGN 加签、WITHDRAW 撤回、URGE 催办、RESUBMIT 重新提交、COMMENT 评论。")


class ApprovalFlowNodeRef(graphene.ObjectType):
    """A node of a flow named by id (the submitter picks its approvers, or it can be returned to)."""

    node_id = graphene.String(required=True, description="流程节点编号。")
    name = graphene.String(required=True, description="节点名称。")


class ApprovalTemplateVersionType(ModelType):
    """One published version of a template's form and flow (never changed once published)."""

    form_schema = graphene.JSONString(required=True, description="表单（JSON Schema）。")
    ui_schema = graphene.JSONString(required=True, description="表单界面（@rjsf UI Schema）。")
    flow = graphene.JSONString(required=True, description="流程节点树（见 modules/approvals/flow.py）。")
    policies = graphene.JSONString(required=True, description="流程规则：on_empty、on_submitter、dedupe、cc_on_finish。")
    chosen_nodes = graphene.List(graphene.NonNull(ApprovalFlowNodeRef), required=True,
                                 description="需要发起人自选审批人的节点。")

    class Meta:
        model = TemplateVersion
        name = "ApprovalTemplateVersion"
        fields = ("id", "number", "note", "created_at")

    @staticmethod
    def resolve_chosen_nodes(v, info):
        return [ApprovalFlowNodeRef(node_id=n["id"], name=n.get("name") or n["id"]) for n in chosen_nodes(v.flow)]


class ApprovalTemplateType(ModelType):
    """A template (审批类型): who may start it, who manages it, its current form and flow."""

    kind = TemplateKindEnum(required=True, description="类型。")
    audience = graphene.JSONString(required=True, description="可发起范围（user_ids、unit_ids、role_codes、department_ids、tag_ids、group_ids；空为全员）。")
    managers = graphene.JSONString(required=True, description="模板管理员（同上格式）。")
    current_version = graphene.Field(ApprovalTemplateVersionType, description="当前版本。")
    versions = graphene.List(graphene.NonNull(ApprovalTemplateVersionType), required=True, description="全部版本，新的在前（仅管理员）。")
    can_start = graphene.Boolean(required=True, description="当前用户可否发起。")
    can_manage = graphene.Boolean(required=True, description="当前用户可否修改。")

    class Meta:
        model = Template
        name = "ApprovalTemplate"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "key", "name", "category", "icon", "description", "opens_at", "is_active", "builtin",
                  "created_at", "updated_at")

    @staticmethod
    def resolve_versions(t, info):
        return t.versions.order_by("-number") if access.may_manage(info.context.user, t) else []

    @staticmethod
    def resolve_can_start(t, info):
        return access.may_start(info.context.user, t)

    @staticmethod
    def resolve_can_manage(t, info):
        return access.may_manage(info.context.user, t)

    @classmethod
    def access_node(cls, info, viewer, pk):
        t = Template.objects.filter(pk=pk).first()
        return t if t is not None and (access.may_start(viewer, t) or access.may_manage(viewer, t)) else None


class ApprovalActionType(ModelType):
    """One step of an approval's timeline (who did what, when, with which comment)."""

    kind = ActionKindEnum(required=True, description="操作。")
    attachments = graphene.JSONString(required=True, description="附件 [{name, url, size}]。")
    extra = graphene.JSONString(required=True, description="详情（转交对象、退回节点、自动处理原因等）。")

    class Meta:
        model = Action
        name = "ApprovalTimelineEntry"
        fields = ("id", "node_id", "actor_name", "comment", "signature", "at")


class ApprovalTaskType(ModelType):
    """One person's part in a node: to approve (or copied)."""

    status = TaskStatusEnum(required=True, description="状态。")
    assignee = graphene.ID(required=True, description="处理人（User ID）。")
    instance = graphene.Field(lambda: ApprovalInstanceType, required=True, description="所属审批单。")
    node_name = graphene.String(required=True, description="节点名称。")
    available_actions = graphene.List(graphene.NonNull(AvailableActionEnum), required=True,
                                      description="当前用户对此任务可做的操作。")

    class Meta:
        model = Task
        name = "ApprovalTask"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "assignee_name", "added", "automatic", "comment", "created_at", "decided_at")

    @staticmethod
    def resolve_assignee(t, info):
        return to_global_id("User", t.assignee_id)

    @staticmethod
    def resolve_node_name(t, info):
        return t.node.name

    @staticmethod
    def resolve_available_actions(t, info):
        user = info.context.user
        return [a for a in actions.available_actions(user, t.instance, t)
                if t.assignee_id == user.pk or a not in ("APPROVE", "REJECT", "RETURN", "FORWARD", "ADD_SIGN")]

    @classmethod
    def access_node(cls, info, viewer, pk):
        task = Task.objects.select_related("instance", "node").filter(pk=pk).first()
        return task if task and access.may_view(viewer, task.instance) else None


class ApprovalTaskConnection(CountableConnection):
    """A page of approval tasks."""

    class Meta:
        node = ApprovalTaskType


class ApprovalNodeType(ModelType):
    """A node the approval went through or waits at, with its people."""

    tasks = graphene.List(graphene.NonNull(ApprovalTaskType), required=True, description="本节点的处理人与结果。")

    class Meta:
        model = NodeRun
        name = "ApprovalNode"
        fields = ("node_id", "name", "kind", "mode", "round", "status", "note", "entered_at", "finished_at", "due_at")

    @staticmethod
    def resolve_tasks(n, info):
        return n.tasks.order_by("id")


class ApprovalInstanceType(ModelType):
    """An approval (审批单): the form as this reader may see it, the flow so far, the timeline,
    and what the reader may do now."""

    status = StatusEnum(required=True, description="状态。")
    template = graphene.Field(ApprovalTemplateType, required=True, description="审批类型。")
    version = graphene.Int(required=True, description="发起时的模板版本号（运行中的审批保持该版本）。")
    form_schema = graphene.JSONString(required=True, description="该版本的表单（JSON Schema）。")
    ui_schema = graphene.JSONString(required=True, description="该版本的表单界面。")
    form_data = graphene.JSONString(required=True, description="表单内容（已去掉对当前用户隐藏的字段）。")
    field_rights = graphene.JSONString(required=True, description="当前用户对每个字段的权限：hidden、readonly、editable。")
    submitter = graphene.ID(required=True, description="发起人（User ID）。")
    nodes = graphene.List(graphene.NonNull(ApprovalNodeType), required=True, description="流程：经过和正在等待的节点。")
    timeline = graphene.List(graphene.NonNull(ApprovalActionType), required=True, description="审批记录与评论。")
    available_actions = graphene.List(graphene.NonNull(AvailableActionEnum), required=True, description="当前用户现在可做的操作。")
    my_task = graphene.Field(ApprovalTaskType, description="当前用户待处理的任务（如有）。")
    return_targets = graphene.List(graphene.NonNull(ApprovalFlowNodeRef), required=True,
                                   description="可退回到的节点（发起人 start 与已审批的节点）。")

    class Meta:
        model = Instance
        name = "ApprovalInstance"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "number", "title", "summary", "urgent", "submitter_name", "department_name", "created_at",
                  "updated_at", "finished_at")

    @staticmethod
    def resolve_version(i, info):
        return i.version.number

    @staticmethod
    def resolve_form_schema(i, info):
        return i.version.form_schema

    @staticmethod
    def resolve_ui_schema(i, info):
        return i.version.ui_schema

    @staticmethod
    def resolve_form_data(i, info):
        return forms.visible_data(i.data, actions.field_rights(info.context.user, i))

    @staticmethod
    def resolve_field_rights(i, info):
        return actions.field_rights(info.context.user, i)

    @staticmethod
    def resolve_submitter(i, info):
        return to_global_id("User", i.submitter_id)

    @staticmethod
    def resolve_nodes(i, info):
        return i.nodes.exclude(kind="parallel").order_by("entered_at", "id")

    @staticmethod
    def resolve_timeline(i, info):
        return i.actions.order_by("at", "id")

    @staticmethod
    def resolve_available_actions(i, info):
        return actions.available_actions(info.context.user, i)

    @staticmethod
    def resolve_my_task(i, info):
        return Task.objects.filter(instance=i, assignee_id=info.context.user.pk, status=TaskStatus.PENDING).first()

    @staticmethod
    def resolve_return_targets(i, info):
        mine = Task.objects.filter(instance=i, assignee_id=info.context.user.pk, status=TaskStatus.PENDING).exists()
        if not mine or i.status != Status.RUNNING:
            return []
        return [ApprovalFlowNodeRef(node_id=t["nodeId"], name=t["name"]) for t in engine.Run(i).return_targets()]

    @classmethod
    def access_node(cls, info, viewer, pk):
        try:
            return access.access_instance(viewer, int(pk))
        except DomainError:
            return None


class ApprovalInstanceConnection(CountableConnection):
    """A page of approvals."""

    class Meta:
        node = ApprovalInstanceType


class ApprovalStatusCount(graphene.ObjectType):
    """How many approvals are in one status."""

    status = StatusEnum(required=True, description="状态。")
    count = graphene.Int(required=True, description="数量。")


class ApprovalNodeTime(graphene.ObjectType):
    """How long a node takes, over the approvals decided there."""

    node_id = graphene.String(required=True, description="节点编号。")
    name = graphene.String(required=True, description="节点名称。")
    decided = graphene.Int(required=True, description="已处理次数。")
    median_seconds = graphene.Int(required=True, description="用时中位数（秒）。")
    p90_seconds = graphene.Int(required=True, description="用时第90百分位（秒）。")


class ApprovalStatistics(graphene.ObjectType):
    """Figures of one template over a period."""

    total = graphene.Int(required=True, description="发起总数。")
    counts = graphene.List(graphene.NonNull(ApprovalStatusCount), required=True, description="按状态计数。")
    nodes = graphene.List(graphene.NonNull(ApprovalNodeTime), required=True, description="各节点用时。")
    overdue = graphene.Int(required=True, description="当前超时未处理的任务数。")
    export_url = graphene.String(required=True, description="导出 Excel 的地址（GET，带登录凭据）。")


class ApprovalChanged(graphene.ObjectType):
    """An approval the subscriber takes part in has changed (refetch it by id)."""

    id = graphene.ID(required=True, description="审批单 ID。")
    status = StatusEnum(required=True, description="新状态。")
    action = graphene.String(required=True, description="引起变化的操作（submit、approve、reject、return、forward…）。")
