"""Every approvals action as an explicit mutation (no generic "transition"): each takes one
`input`, returns the changed object and `errors { field code message }`, and names its error
codes in its description. Who may act is decided by the actions (access helpers), so the
mutations declare only that a signed-in user is needed."""

from __future__ import annotations

import graphene

from jianlian.api.base import BaseMutation, GlobalID, decode_id
from jianlian.api.permissions import CURRENT_TENANT, SIGNED_IN, Perm
from modules.approvals import actions, templates
from modules.approvals.types import ApprovalInstanceType, ApprovalActionType, ApprovalTemplateType, ApprovalTemplateVersionType, TemplateKindEnum


TASK_ERRORS = ("NOT_FOUND", "TASK_NOT_PENDING", "INSTANCE_NOT_RUNNING", "INVALID", "TOO_LONG", "REQUIRED")


def _task(input) -> int:
    return input["task"]


def _instance(input) -> int:
    return input["instance"]


def _users(ids, field) -> list[int]:
    """Relay IDs inside a JSON value (the base class decodes only declared ID fields)."""
    return [decode_id(u, "User", field) for u in ids or []]


class AttachmentInput(graphene.InputObjectType):
    """A file already uploaded: its name and address."""

    name = graphene.String(required=True, description="文件名。")
    url = graphene.String(required=True, description="地址（站内相对路径或 https）。")
    size = graphene.Int(description="字节数。")


def _files(input) -> list[dict]:
    return [dict(a) for a in input.get("attachments") or []]


# --- templates --------------------------------------------------------------------------------------

class TemplateDesignInput(graphene.InputObjectType):
    """A form and flow to publish."""

    form_schema = graphene.JSONString(required=True, description="表单（JSON Schema，type 为 object）。")
    ui_schema = graphene.JSONString(description="表单界面（UI Schema）。")
    flow = graphene.JSONString(required=True, description="流程节点树（以 start 节点开始）。")
    policies = graphene.JSONString(description="流程规则：on_empty（pass/admin/user）、empty_user_id、on_submitter（skip/self/superior）、dedupe、cc_on_finish。")


class CreateApprovalTemplateInput(TemplateDesignInput):
    """A new template with its first version."""

    key = graphene.String(required=True, description="模板代码（小写字母开头）。")
    name = graphene.String(required=True, description="名称。")
    category = graphene.String(description="分组。")
    icon = graphene.String(description="图标。")
    description = graphene.String(description="说明。")
    kind = TemplateKindEnum(description="审批（默认）或每日填报。")
    audience = graphene.JSONString(description="可发起范围；空为全员。")
    managers = graphene.JSONString(description="模板管理员（人员或科室）。")
    opens_at = graphene.Time(description="每日填报的开放时间。")


class CreateApprovalTemplate(BaseMutation):
    template = graphene.Field(ApprovalTemplateType, description="新模板。")

    class Arguments:
        input = CreateApprovalTemplateInput(required=True)

    class Meta:
        description = "新建审批模板（表单与流程的第一个版本）。"
        permissions = Perm("approvals.manage", at=CURRENT_TENANT)
        error_codes = ("INVALID_FORM_SCHEMA", "INVALID_FLOW", "TEMPLATE_KEY_TAKEN", "INVALID", "REQUIRED")

    @classmethod
    def perform(cls, info, input):
        t = templates.create_template(
            info.context.user, key=input["key"], name=input["name"], form_schema=input["form_schema"],
            flow_tree=input["flow"], ui_schema=input.get("ui_schema"), policies=input.get("policies"),
            category=input.get("category") or "", icon=input.get("icon") or "", description=input.get("description") or "",
            kind=input.get("kind") or "approval", audience=input.get("audience"),
            managers=input.get("managers"), opens_at=input.get("opens_at"))
        return cls(template=t, errors=[])


class PublishApprovalTemplateVersionInput(TemplateDesignInput):
    """A new version of a template's form and flow."""

    template = GlobalID("ApprovalTemplate", required=True, description="模板。")
    note = graphene.String(description="修改说明。")


class PublishApprovalTemplateVersion(BaseMutation):
    version = graphene.Field(ApprovalTemplateVersionType, description="新版本。")

    class Arguments:
        input = PublishApprovalTemplateVersionInput(required=True)

    class Meta:
        description = "发布模板的新版本；进行中的审批仍按原版本。需要 approvals.manage 或为该模板的管理员。"
        permissions = SIGNED_IN
        error_codes = ("INVALID_FORM_SCHEMA", "INVALID_FLOW", "NOT_FOUND", "INVALID")

    @classmethod
    def perform(cls, info, input):
        v = templates.publish_version(
            info.context.user, input["template"], form_schema=input["form_schema"],
            flow_tree=input["flow"], ui_schema=input.get("ui_schema"), policies=input.get("policies"), note=input.get("note") or "")
        return cls(version=v, errors=[])


class UpdateApprovalTemplateInput(graphene.InputObjectType):
    """Settings of a template (only what is given changes)."""

    template = GlobalID("ApprovalTemplate", required=True, description="模板。")
    name = graphene.String(description="名称。")
    category = graphene.String(description="分组。")
    icon = graphene.String(description="图标。")
    description = graphene.String(description="说明。")
    audience = graphene.JSONString(description="可发起范围。")
    managers = graphene.JSONString(description="模板管理员（只有 approvals.manage 可改）。")
    opens_at = graphene.Time(description="每日填报的开放时间。")
    is_active = graphene.Boolean(description="启用。")


class UpdateApprovalTemplate(BaseMutation):
    template = graphene.Field(ApprovalTemplateType, description="模板。")

    class Arguments:
        input = UpdateApprovalTemplateInput(required=True)

    class Meta:
        description = "修改模板的名称、可发起范围、管理员、启用状态等。"
        permissions = SIGNED_IN
        error_codes = ("NOT_FOUND", "REQUIRED", "UNKNOWN_DEPARTMENT", "UNKNOWN_TAG")

    @classmethod
    def perform(cls, info, input):
        fields = {k: v for k, v in input.items() if k != "template" and v is not None}
        t = templates.update_settings(info.context.user, input["template"], **fields)
        return cls(template=t, errors=[])


# --- starting and deciding ----------------------------------------------------------------------------

class StartApprovalInput(graphene.InputObjectType):
    """A filled-in form."""

    template = GlobalID("ApprovalTemplate", required=True, description="审批类型。")
    data = graphene.JSONString(required=True, description="表单内容（按模板的 JSON Schema；人员、科室选择为账号/科室编号）。")
    chosen = graphene.JSONString(description="自选审批人：{节点编号: [User ID]}。")
    urgent = graphene.Boolean(description="加急（审批人收到钉一下与短信）。")


class StartApproval(BaseMutation):
    instance = graphene.Field(ApprovalInstanceType, description="新审批单。")

    class Arguments:
        input = StartApprovalInput(required=True)

    class Meta:
        description = "发起审批。表单逐项校验，出错时返回每个字段（data/字段路径）的错误且不保存。"
        permissions = SIGNED_IN
        error_codes = ("TEMPLATE_NOT_STARTABLE", "REQUIRED", "TOO_LONG", "INVALID", "APPROVER_REQUIRED", "INVALID_APPROVER",
                       "COLLECTION_CLOSED")

    @classmethod
    def perform(cls, info, input):
        chosen = {k: _users(v if isinstance(v, list) else [], f"chosen.{k}") for k, v in (input.get("chosen") or {}).items()}
        inst = actions.submit(info.context.user, input["template"],
                              input["data"], chosen=chosen, urgent=bool(input.get("urgent")))
        return cls(instance=inst, errors=[])


class DecideInput(graphene.InputObjectType):
    task = GlobalID("ApprovalTask", required=True, description="审批任务。")
    comment = graphene.String(description="意见。")
    signature = graphene.String(description="手写签名图片地址（已上传）。")
    attachments = graphene.List(graphene.NonNull(AttachmentInput), description="附件。")


class ApproveApprovalTaskInput(DecideInput):
    """Approve, optionally changing the fields editable at this node."""

    edits = graphene.JSONString(description="修改的字段（仅本节点可编辑的字段）。")


class ApproveApprovalTask(BaseMutation):
    instance = graphene.Field(ApprovalInstanceType, description="审批单。")

    class Arguments:
        input = ApproveApprovalTaskInput(required=True)

    class Meta:
        description = "同意。或签时第一位同意者决定，其他人的任务随之取消。"
        permissions = SIGNED_IN
        error_codes = TASK_ERRORS + ("FIELD_NOT_EDITABLE",)

    @classmethod
    def perform(cls, info, input):
        inst = actions.approve(info.context.user, _task(input), comment=input.get("comment") or "", edits=input.get("edits"),
                               signature=input.get("signature") or "", attachments=_files(input))
        return cls(instance=inst, errors=[])


class RejectApprovalTaskInput(DecideInput):
    """Reject (a reason is required)."""


class RejectApprovalTask(BaseMutation):
    instance = graphene.Field(ApprovalInstanceType, description="审批单。")

    class Arguments:
        input = RejectApprovalTaskInput(required=True)

    class Meta:
        description = "拒绝，审批结束。须填写意见。"
        permissions = SIGNED_IN
        error_codes = TASK_ERRORS

    @classmethod
    def perform(cls, info, input):
        inst = actions.reject(info.context.user, _task(input), comment=input.get("comment") or "",
                              signature=input.get("signature") or "", attachments=_files(input))
        return cls(instance=inst, errors=[])


class ReturnApprovalTaskInput(graphene.InputObjectType):
    """Return to an earlier node (see ApprovalInstance.returnTargets) or to the submitter (start)."""

    task = GlobalID("ApprovalTask", required=True, description="审批任务。")
    node = graphene.String(required=True, description="退回到的节点编号；start 为发起人。")
    comment = graphene.String(required=True, description="退回原因。")


class ReturnApprovalTask(BaseMutation):
    instance = graphene.Field(ApprovalInstanceType, description="审批单。")

    class Arguments:
        input = ReturnApprovalTaskInput(required=True)

    class Meta:
        description = "退回到之前的节点（该节点及其后重新审批）或发起人（可修改后重新提交）。"
        permissions = SIGNED_IN
        error_codes = TASK_ERRORS + ("INVALID_RETURN_TARGET",)

    @classmethod
    def perform(cls, info, input):
        inst = actions.return_to(info.context.user, _task(input), input["node"], comment=input.get("comment") or "")
        return cls(instance=inst, errors=[])


class ForwardApprovalTaskInput(graphene.InputObjectType):
    """Hand one's task to a colleague."""

    task = GlobalID("ApprovalTask", required=True, description="审批任务。")
    to_user = GlobalID("User", required=True, description="转交给（User ID）。")
    comment = graphene.String(description="说明。")


class ForwardApprovalTask(BaseMutation):
    instance = graphene.Field(ApprovalInstanceType, description="审批单。")

    class Arguments:
        input = ForwardApprovalTaskInput(required=True)

    class Meta:
        description = "转交：由同事代为处理此任务。"
        permissions = SIGNED_IN
        error_codes = TASK_ERRORS + ("INVALID_APPROVER",)

    @classmethod
    def perform(cls, info, input):
        inst = actions.forward(info.context.user, _task(input), input["to_user"],
                               comment=input.get("comment") or "")
        return cls(instance=inst, errors=[])


AddSignPosition = graphene.Enum("ApprovalAddSignPosition", [("BEFORE", "before"), ("AFTER", "after")],
                                description="加签位置：BEFORE 在我之前（他们先审，再回到我），AFTER 在我之后（我同意后由他们审）。")


class AddApprovalSignersInput(graphene.InputObjectType):
    """Add approvers before or after oneself."""

    task = GlobalID("ApprovalTask", required=True, description="审批任务。")
    users = GlobalID("User", many=True, required=True, description="加签人（User ID）。")
    position = AddSignPosition(required=True, description="加签位置。")
    comment = graphene.String(description="意见。")


class AddApprovalSigners(BaseMutation):
    instance = graphene.Field(ApprovalInstanceType, description="审批单。")

    class Arguments:
        input = AddApprovalSignersInput(required=True)

    class Meta:
        description = "加签：在自己之前或之后增加审批人。"
        permissions = SIGNED_IN
        error_codes = TASK_ERRORS + ("INVALID_APPROVER",)

    @classmethod
    def perform(cls, info, input):
        inst = actions.add_sign(info.context.user, _task(input), list(input["users"]),
                                position=input["position"], comment=input.get("comment") or "")
        return cls(instance=inst, errors=[])


# --- the submitter and everyone ---------------------------------------------------------------------------

class WithdrawApprovalInput(graphene.InputObjectType):
    """Withdraw one's own approval."""

    instance = GlobalID("ApprovalInstance", required=True, description="审批单。")
    reason = graphene.String(description="原因。")


class WithdrawApproval(BaseMutation):
    instance = graphene.Field(ApprovalInstanceType, description="审批单。")

    class Arguments:
        input = WithdrawApprovalInput(required=True)

    class Meta:
        description = "发起人撤回审批。"
        permissions = SIGNED_IN
        error_codes = ("NOT_FOUND", "INSTANCE_NOT_RUNNING")

    @classmethod
    def perform(cls, info, input):
        return cls(instance=actions.withdraw(info.context.user, _instance(input), reason=input.get("reason") or ""), errors=[])


class ResubmitApprovalInput(graphene.InputObjectType):
    """Send a returned approval again."""

    instance = GlobalID("ApprovalInstance", required=True, description="审批单。")
    data = graphene.JSONString(description="修改后的表单内容（不填则按原内容）。")


class ResubmitApproval(BaseMutation):
    instance = graphene.Field(ApprovalInstanceType, description="审批单。")

    class Arguments:
        input = ResubmitApprovalInput(required=True)

    class Meta:
        description = "被退回发起人后，修改并重新提交。"
        permissions = SIGNED_IN
        error_codes = ("NOT_FOUND", "INSTANCE_NOT_RUNNING", "REQUIRED", "TOO_LONG", "INVALID")

    @classmethod
    def perform(cls, info, input):
        return cls(instance=actions.resubmit(info.context.user, _instance(input), input.get("data")), errors=[])


class CommentOnApprovalInput(graphene.InputObjectType):
    """A comment, with attachments."""

    instance = GlobalID("ApprovalInstance", required=True, description="审批单。")
    text = graphene.String(required=True, description="评论内容。")
    attachments = graphene.List(graphene.NonNull(AttachmentInput), description="附件。")


class CommentOnApproval(BaseMutation):
    entry = graphene.Field(ApprovalActionType, description="评论。")

    class Arguments:
        input = CommentOnApprovalInput(required=True)

    class Meta:
        description = "评论（可带附件）；可查看该审批的人都可评论。"
        permissions = SIGNED_IN
        error_codes = ("NOT_FOUND", "REQUIRED", "TOO_LONG", "INVALID")

    @classmethod
    def perform(cls, info, input):
        entry = actions.comment(info.context.user, _instance(input), input.get("text") or "", attachments=_files(input))
        return cls(entry=entry, errors=[])


class UrgeApprovalInput(graphene.InputObjectType):
    """Urge the pending approvers."""

    instance = GlobalID("ApprovalInstance", required=True, description="审批单。")


class UrgeApproval(BaseMutation):
    instance = graphene.Field(ApprovalInstanceType, description="审批单。")

    class Arguments:
        input = UrgeApprovalInput(required=True)

    class Meta:
        description = "催办：提醒当前审批人（每10分钟最多一次）。"
        permissions = SIGNED_IN
        error_codes = ("NOT_FOUND", "INSTANCE_NOT_RUNNING", "URGE_TOO_SOON")

    @classmethod
    def perform(cls, info, input):
        return cls(instance=actions.urge(info.context.user, _instance(input)), errors=[])


class Mutation(graphene.ObjectType):
    create_approval_template = CreateApprovalTemplate.Field()
    publish_approval_template_version = PublishApprovalTemplateVersion.Field()
    update_approval_template = UpdateApprovalTemplate.Field()
    start_approval = StartApproval.Field()
    approve_approval_task = ApproveApprovalTask.Field()
    reject_approval_task = RejectApprovalTask.Field()
    return_approval_task = ReturnApprovalTask.Field()
    forward_approval_task = ForwardApprovalTask.Field()
    add_approval_signers = AddApprovalSigners.Field()
    withdraw_approval = WithdrawApproval.Field()
    resubmit_approval = ResubmitApproval.Field()
    comment_on_approval = CommentOnApproval.Field()
    urge_approval = UrgeApproval.Field()
