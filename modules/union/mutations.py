"""Every union action as its own mutation: one `input`, the changed object and
`errors { field code message }`. Who may act is decided by the actions (access helpers):
officers only within their own part of the tree, confidential requests only by their parties."""

from __future__ import annotations

import graphene

from jianlian.api.base import BaseMutation, GlobalID
from jianlian.api.permissions import CURRENT_TENANT, SIGNED_IN, Perm
from modules.union import activities, confidential, membership, points, present, pushes, stats, welfare
from modules.union.types import UnionActivityType, UnionConfidentialType, UnionMeType, UnionNodeType, UnionWelfareCampaignType

NODE_ERRORS = ("UNION_BAD_NODE", "REQUIRED", "TOO_LONG", "NOT_FOUND")


def _simple(name, description, permissions, error_codes, fields, perform, payload):
    """A mutation class from its parts (most union mutations are one call and one result)."""
    input_cls = type(f"{name}Input", (graphene.InputObjectType,), {"__doc__": description, **fields})
    meta = type("Meta", (), {"description": description, "permissions": permissions, "error_codes": error_codes})
    args = type("Arguments", (), {"input": input_cls(required=True)})

    def do(cls, info, input):
        return cls(errors=[], **perform(info.context.user, input))

    return type(name, (BaseMutation,), {**payload, "Meta": meta, "Arguments": args, "perform": classmethod(do)})


def _me(user):
    return {"me": present.me(user)}


def _activity(user, a):
    return {"activity": present.activity(user, activities.access_activity(user, a.pk if hasattr(a, "pk") else a))}


ME = {"me": graphene.Field(UnionMeType, description="我在工会的最新状态。")}
ACTIVITY = {"activity": graphene.Field(UnionActivityType, description="活动（最新状态）。")}
NODE = {"node": graphene.Field(UnionNodeType, description="工会组织。")}

CreateUnionNode = _simple(
    "CreateUnionNode", "建立工会组织：不填上级即建立本单位工会（管理员）；否则在上级下建立分工会或小组（上级的干部）。",
    SIGNED_IN, NODE_ERRORS,
    {"name": graphene.String(required=True, description="名称。"), "parent": GlobalID("UnionNode", description="上级。"),
     "department": GlobalID("Department", description="对应科室（职工调动到该科室时会员随之转入）。")},
    lambda u, i: {"node": present.node(membership.create_node(u, name=i["name"], parent_id=i.get("parent"),
                                                               department_id=i.get("department")))}, NODE)
SetUnionOfficer = _simple(
    "SetUnionOfficer", "任命或免去工会干部（上级干部或管理员）。干部只能管理本级及下级。", SIGNED_IN, ("NOT_FOUND",),
    {"node": GlobalID("UnionNode", required=True, description="组织。"), "user": GlobalID("User", required=True, description="人员。"),
     "title": graphene.String(description="职务（主席、委员、组长……）。"), "remove": graphene.Boolean(description="免去。")},
    lambda u, i: {"node": present.node(membership.set_officer(u, i["node"], i["user"], title=i.get("title") or "",
                                                               remove=bool(i.get("remove"))))}, NODE)
JoinUnion = _simple(
    "JoinUnion", "入会：本单位在职、已用身份证号和手机号激活账号的职工可以加入；默认进入所在科室对应的分工会。", SIGNED_IN,
    ("UNION_NOT_STAFF", "UNION_ALREADY_MEMBER", "UNION_BAD_NODE", "NOT_FOUND"),
    {"node": GlobalID("UnionNode", description="选择的分工会或小组（可不填）。")},
    lambda u, i: (membership.join(u, node_id=i.get("node")), _me(u))[1], ME)
LeaveUnion = _simple(
    "LeaveUnion", "退会（积分与记录保留，重新入会后恢复）。", SIGNED_IN, ("UNION_NOT_MEMBER",),
    {"confirm": graphene.Boolean(description="确认退会。")}, lambda u, i: (membership.leave_self(u), _me(u))[1], ME)
TransferUnionMember = _simple(
    "TransferUnionMember", "转会：把会员转到另一个分工会或小组（须同时管理原组织与目标组织）。", SIGNED_IN, ("NOT_FOUND",),
    {"member": GlobalID("UnionMember", required=True, description="会员。"),
     "node": GlobalID("UnionNode", required=True, description="目标组织。")},
    lambda u, i: {"ok": bool(membership.transfer(u, i["member"], i["node"]))},
    {"ok": graphene.Boolean(description="已转会。")})
CheckInUnion = _simple(
    "CheckInUnion", "每日签到：记录连续天数并获得积分（每天一次；连续7天额外奖励）。", SIGNED_IN,
    ("UNION_NOT_MEMBER", "UNION_ALREADY_CHECKED_IN"), {"confirm": graphene.Boolean(description="签到。")},
    lambda u, i: (points.check_in(u), _me(u))[1], ME)
RedeemUnionPoints = _simple(
    "RedeemUnionPoints", "积分兑换：扣减积分（不能透支；同一 key 重复提交只扣一次）。", SIGNED_IN,
    ("UNION_NOT_MEMBER", "UNION_INSUFFICIENT_POINTS", "INVALID"),
    {"points": graphene.Int(required=True, description="积分。"), "item": graphene.String(required=True, description="兑换物。"),
     "key": graphene.String(required=True, description="幂等键（客户端生成，重试时不变）。")},
    lambda u, i: (points.redeem(u, i["points"], item=i["item"], key=i["key"]), _me(u))[1], ME)
CreateUnionActivity = _simple(
    "CreateUnionActivity", "发起活动（所在组织的干部）：名额、报名表、是否审核、签到积分。", SIGNED_IN,
    ("REQUIRED", "TOO_LONG", "INVALID", "NOT_FOUND"),
    {"node": GlobalID("UnionNode", required=True, description="主办组织（其下会员可报名）。"),
     "title": graphene.String(required=True, description="标题。"), "description": graphene.String(description="介绍。"),
     "place": graphene.String(description="地点。"), "start_at": graphene.DateTime(required=True, description="开始时间。"),
     "end_at": graphene.DateTime(required=True, description="结束时间。"), "quota": graphene.Int(required=True, description="名额。"),
     "needs_approval": graphene.Boolean(description="报名需审核。"), "points": graphene.Int(description="签到积分（默认10）。"),
     "form": graphene.JSONString(description="报名表：[{key, label, required, options}]。")},
    lambda u, i: _activity(u, activities.create_activity(
        u, i["node"], title=i["title"], start_at=i["start_at"], end_at=i["end_at"], quota=i["quota"],
        description=i.get("description") or "", place=i.get("place") or "", needs_approval=bool(i.get("needs_approval")),
        form=i.get("form") or [], points_award=10 if i.get("points") is None else i["points"])), ACTIVITY)
SignUpUnionActivity = _simple(
    "SignUpUnionActivity", "报名活动：有名额即报上（需审核的待审核），满员则进入候补，有人取消时按顺序递补。", SIGNED_IN,
    ("UNION_NOT_MEMBER", "UNION_ACTIVITY_CLOSED", "UNION_ALREADY_SIGNED_UP", "REQUIRED", "INVALID", "NOT_FOUND"),
    {"activity": GlobalID("UnionActivity", required=True, description="活动。"),
     "answers": graphene.JSONString(description="报名表内容 {key: 值}。")},
    lambda u, i: _activity(u, activities.sign_up(u, i["activity"], i.get("answers") or {}).activity_id), ACTIVITY)
CancelUnionSignup = _simple(
    "CancelUnionSignup", "取消报名或退出候补；空出的名额给候补第一位。", SIGNED_IN, ("UNION_NOT_MEMBER", "NOT_FOUND"),
    {"activity": GlobalID("UnionActivity", required=True, description="活动。")},
    lambda u, i: _activity(u, activities.cancel(u, i["activity"]).activity_id), ACTIVITY)
ReviewUnionSignup = _simple(
    "ReviewUnionSignup", "审核报名（活动所在组织的干部）；不通过时名额给候补第一位。", SIGNED_IN, ("INVALID", "NOT_FOUND"),
    {"signup": GlobalID("UnionSignup", required=True, description="报名。"),
     "approve": graphene.Boolean(required=True, description="通过。")},
    lambda u, i: _activity(u, activities.review(u, i["signup"], i["approve"]).activity_id), ACTIVITY)
CheckInUnionActivity = _simple(
    "CheckInUnionActivity", "现场扫码签到（开始前1小时至结束），获得活动积分。", SIGNED_IN,
    ("UNION_NOT_MEMBER", "UNION_BAD_CHECK_IN_CODE", "NOT_FOUND"),
    {"activity": GlobalID("UnionActivity", required=True, description="活动。"),
     "code": graphene.String(required=True, description="二维码中的签到码。")},
    lambda u, i: _activity(u, activities.check_in(u, i["activity"], i["code"]).activity_id), ACTIVITY)


class WelfareOptionInput(graphene.InputObjectType):
    """An option of a new welfare campaign."""

    name = graphene.String(required=True, description="名称。")
    supplier = graphene.String(required=True, description="供应商。")
    description = graphene.String(description="说明。")


def _campaign(user, campaign_id):
    return {"campaign": next(c for c in present.campaigns(user) if c.id == present.gid("UnionWelfareCampaign", campaign_id))}


CAMPAIGN = {"campaign": graphene.Field(UnionWelfareCampaignType, description="福利活动。")}
CreateUnionWelfareCampaign = _simple(
    "CreateUnionWelfareCampaign", "发起福利慰问（所在组织的干部）：至少两个选项，每位会员选一个。", SIGNED_IN,
    ("REQUIRED", "TOO_LONG", "INVALID", "NOT_FOUND"),
    {"node": GlobalID("UnionNode", required=True, description="组织（其下会员可选）。"),
     "title": graphene.String(required=True, description="标题。"), "description": graphene.String(description="说明。"),
     "closes_at": graphene.DateTime(required=True, description="截止时间。"),
     "options": graphene.List(graphene.NonNull(WelfareOptionInput), required=True, description="选项。")},
    lambda u, i: _campaign(u, welfare.create_campaign(u, i["node"], title=i["title"], closes_at=i["closes_at"],
                                                      options=i["options"], description=i.get("description") or "").pk),
    CAMPAIGN)
ChooseUnionWelfare = _simple(
    "ChooseUnionWelfare", "选择福利（每人一份，截止前可更改）。", SIGNED_IN,
    ("UNION_NOT_MEMBER", "UNION_CAMPAIGN_CLOSED", "NOT_FOUND"),
    {"campaign": GlobalID("UnionWelfareCampaign", required=True, description="福利活动。"),
     "option": GlobalID("UnionWelfareOption", required=True, description="选项。")},
    lambda u, i: _campaign(u, welfare.choose(u, i["campaign"], i["option"]).campaign_id), CAMPAIGN)


def _request(user, row):
    return {"request": next(r for r in present.confidential_requests(user) if r.id == present.gid("UnionConfidential", row.pk))}


REQUEST = {"request": graphene.Field(UnionConfidentialType, description="求助（仅本人与咨询师可见）。")}
SubmitUnionConfidential = _simple(
    "SubmitUnionConfidential", "提交心理咨询或法律帮扶求助：加密保存，只有分配的咨询师或律师能看到。", SIGNED_IN,
    ("UNION_NOT_MEMBER", "UNION_NO_COUNSELLOR", "REQUIRED", "TOO_LONG", "INVALID"),
    {"kind": graphene.String(required=True, description="counselling 心理咨询、legal 法律帮扶。"),
     "subject": graphene.String(required=True, description="主题。"), "text": graphene.String(required=True, description="内容。"),
     "contact": graphene.String(description="联系方式（可不填）。")},
    lambda u, i: _request(u, confidential.submit(u, confidential.open_kind(i["kind"]), subject=i["subject"], text=i["text"],
                                                 contact=i.get("contact") or "")), REQUEST)
ReplyUnionConfidential = _simple(
    "ReplyUnionConfidential", "咨询师或律师回复分配给自己的求助。", SIGNED_IN, ("NOT_FOUND",),
    {"request": GlobalID("UnionConfidential", required=True, description="求助。"),
     "text": graphene.String(required=True, description="回复。"), "close": graphene.Boolean(description="同时结束。")},
    lambda u, i: _request(u, confidential.reply(u, i["request"], i["text"], close=bool(i.get("close")))), REQUEST)
AddUnionCounsellor = _simple(
    "AddUnionCounsellor", "设置心理咨询师或律师（工会管理员）。", Perm("union.manage", at=CURRENT_TENANT), ("INVALID",),
    {"user": GlobalID("User", required=True, description="人员。"),
     "kind": graphene.String(required=True, description="counselling 或 legal。"), "intro": graphene.String(description="简介。")},
    lambda u, i: {"ok": bool(confidential.add_counsellor(u, i["user"], i["kind"], intro=i.get("intro") or ""))},
    {"ok": graphene.Boolean(description="已设置。")})
IssueUnionDeviceToken = _simple(
    "IssueUnionDeviceToken", "为我的手机或手环生成上报步数的令牌（只显示一次，旧令牌随即失效）。", SIGNED_IN,
    ("UNION_NOT_MEMBER",), {"confirm": graphene.Boolean(description="确认。")},
    lambda u, i: {"token": stats.issue_device_token(u)},
    {"token": graphene.String(description="令牌：设备在 X-Union-Device-Token 头中发送。")})

PushUnionMessage = _simple(
    "PushUnionMessage", "白名单推送：给某一工会组织（含下级）的全体会员发送文字，可附图片、音视频或表单的链接。"
    "该组织的干部或推送白名单中的人员可用；超过50人须在推送白名单中。", SIGNED_IN,
    ("SENDER_NOT_WHITELISTED", "NO_RECIPIENTS", "INVALID_NAME", "TOO_LONG", "INVALID_LINK", "NOT_FOUND"),
    {"node": GlobalID("UnionNode", required=True, description="发送范围（该组织及下级的会员）。"),
     "title": graphene.String(required=True, description="标题。"), "body": graphene.String(description="正文。"),
     "link": graphene.String(description="图片、音视频或表单的链接（站内路径或 http(s) 地址）。")},
    lambda u, i: {"recipients": len(pushes.push(u, i["node"], title=i["title"], body=i.get("body") or "",
                                                link=i.get("link") or "").deliveries.all())},
    {"recipients": graphene.Int(description="接收人数。")})


class Mutation(graphene.ObjectType):
    create_union_node = CreateUnionNode.Field()
    set_union_officer = SetUnionOfficer.Field()
    join_union = JoinUnion.Field()
    leave_union = LeaveUnion.Field()
    transfer_union_member = TransferUnionMember.Field()
    check_in_union = CheckInUnion.Field()
    redeem_union_points = RedeemUnionPoints.Field()
    create_union_activity = CreateUnionActivity.Field()
    sign_up_union_activity = SignUpUnionActivity.Field()
    cancel_union_signup = CancelUnionSignup.Field()
    review_union_signup = ReviewUnionSignup.Field()
    check_in_union_activity = CheckInUnionActivity.Field()
    create_union_welfare_campaign = CreateUnionWelfareCampaign.Field()
    choose_union_welfare = ChooseUnionWelfare.Field()
    submit_union_confidential = SubmitUnionConfidential.Field()
    reply_union_confidential = ReplyUnionConfidential.Field()
    add_union_counsellor = AddUnionCounsellor.Field()
    issue_union_device_token = IssueUnionDeviceToken.Field()
    push_union_message = PushUnionMessage.Field()
