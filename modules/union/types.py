"""GraphQL types of the union app. Plain object types over the module's rows and figures: the
union's objects are reached through its own root fields (each checks who asks), not `node(id:)`."""

from __future__ import annotations

from functools import wraps

import graphene
from graphql_relay import to_global_id

from jianlian.api.base import auth_error, require_user
from jianlian.core.errors import DomainError

from modules.union.activity_models import SignupStatus

SignupStatusEnum = graphene.Enum.from_enum(SignupStatus, name="UnionSignupStatus", description="报名状态。")
ActivityActionEnum = graphene.Enum("UnionActivityAction", [(a, a) for a in ("SIGN_UP", "CANCEL", "CHECK_IN", "REVIEW")],
                                   description="当前用户现在可做的操作（服务器计算）：SIGN_UP 报名（满员则候补）、CANCEL 取消报名、"
                                               "CHECK_IN 现场签到、REVIEW 审核报名（干部）。")


def gid(kind: str, pk) -> str:
    return to_global_id(kind, pk)


def as_errors(resolver):
    """Resolve as the signed-in user in a tenant; a DomainError becomes a top-level error."""
    @wraps(resolver)
    def wrapped(root, info, **kwargs):
        user = require_user(info)
        try:
            from modules.union import access

            access.tenant()
            return resolver(user, info, **kwargs)
        except DomainError as e:
            raise auth_error(e.code, e.message) from None

    return staticmethod(wrapped)


class UnionOfficerType(graphene.ObjectType):
    """An officer of a node."""

    name = graphene.String(required=True, description="姓名。")
    title = graphene.String(required=True, description="职务。")


class UnionNodeType(graphene.ObjectType):
    """A node of the union tree (工会、分工会、工会小组)."""

    id = graphene.ID(required=True, description="Relay ID（UnionNode）。")
    name = graphene.String(required=True, description="名称。")
    kind = graphene.String(required=True, description="层级：union 工会、sub_union 分工会、group 工会小组。")
    parent_id = graphene.ID(description="上级（UnionNode 的 Relay ID）。")
    member_count = graphene.Int(required=True, description="在会会员数（含下级）。")
    officers = graphene.List(graphene.NonNull(UnionOfficerType), required=True, description="本级干部。")
    can_manage = graphene.Boolean(required=True, description="当前用户可管理此组织。")


class UnionMeType(graphene.ObjectType):
    """The caller in the union: membership, points, rank and what they may do."""

    is_member = graphene.Boolean(required=True, description="是在会会员。")
    name = graphene.String(description="姓名。")
    node_name = graphene.String(description="所属分工会或小组。")
    balance = graphene.Int(required=True, description="积分余额（积分流水之和）。")
    earned = graphene.Int(required=True, description="累计获得积分（排名依据）。")
    rank = graphene.Int(description="在全会的积分排名。")
    node_rank = graphene.Int(description="在本分工会的积分排名。")
    streak = graphene.Int(required=True, description="连续签到天数。")
    checked_in_today = graphene.Boolean(required=True, description="今天已签到。")
    is_officer = graphene.Boolean(required=True, description="是工会干部（或管理员）。")
    is_admin = graphene.Boolean(required=True, description="是工会管理员。")
    is_counsellor = graphene.Boolean(required=True, description="是咨询师、律师或绿色通道协调员（或有分配给我的求助）：显示咨询工作台。")


class UnionPointEntryType(graphene.ObjectType):
    """A line of the caller's points ledger."""

    rule = graphene.String(required=True, description="规则：check_in、streak、reading、quiz、activity、redeem、adjust。")
    points = graphene.Int(required=True, description="积分（兑换为负）。")
    note = graphene.String(required=True, description="说明。")
    created_at = graphene.DateTime(required=True, description="时间。")


class UnionFormFieldType(graphene.ObjectType):
    """A question of an activity's sign-up form."""

    key = graphene.String(required=True, description="键。")
    label = graphene.String(required=True, description="名称。")
    required = graphene.Boolean(required=True, description="必填。")
    options = graphene.List(graphene.NonNull(graphene.String), required=True, description="可选项（空则自由填写）。")


class UnionSignupType(graphene.ObjectType):
    """A sign-up (officers see all of their activity's; a member sees their own)."""

    id = graphene.ID(required=True, description="Relay ID（UnionSignup）。")
    name = graphene.String(required=True, description="会员姓名。")
    status = SignupStatusEnum(required=True, description="状态。")
    answers = graphene.JSONString(required=True, description="报名表内容。")
    created_at = graphene.DateTime(required=True, description="报名时间。")
    attended_at = graphene.DateTime(description="现场签到时间。")


class UnionActivityType(graphene.ObjectType):
    """An activity with its places, the caller's sign-up and what they may do now."""

    id = graphene.ID(required=True, description="Relay ID（UnionActivity）。")
    title = graphene.String(required=True, description="标题。")
    description = graphene.String(required=True, description="介绍。")
    place = graphene.String(required=True, description="地点。")
    start_at = graphene.DateTime(required=True, description="开始时间。")
    end_at = graphene.DateTime(required=True, description="结束时间。")
    quota = graphene.Int(required=True, description="名额。")
    taken = graphene.Int(required=True, description="已占名额（含待审核）。")
    waiting = graphene.Int(required=True, description="候补人数。")
    needs_approval = graphene.Boolean(required=True, description="报名需审核。")
    points = graphene.Int(required=True, description="签到积分。")
    status = graphene.String(required=True, description="open 报名中、closed 已截止、cancelled 已取消。")
    node_name = graphene.String(required=True, description="主办组织。")
    form = graphene.List(graphene.NonNull(UnionFormFieldType), required=True, description="报名表。")
    my_status = SignupStatusEnum(description="我的报名状态。")
    my_waiting_position = graphene.Int(description="我在候补名单中的位置（1 = 下一个）。")
    attended = graphene.Boolean(required=True, description="我已现场签到。")
    check_in_code = graphene.String(description="签到二维码内容（仅干部可见）。")
    signups = graphene.List(graphene.NonNull(UnionSignupType), description="报名名单（仅干部可见）。")
    available_actions = graphene.List(graphene.NonNull(ActivityActionEnum), required=True, description="我现在可做的操作。")


class UnionWelfareOptionType(graphene.ObjectType):
    """An option of a welfare campaign."""

    id = graphene.ID(required=True, description="Relay ID（UnionWelfareOption）。")
    name = graphene.String(required=True, description="名称。")
    supplier = graphene.String(required=True, description="供应商。")
    description = graphene.String(required=True, description="说明。")
    count = graphene.Int(description="选择人数（仅干部可见）。")


class UnionWelfareCampaignType(graphene.ObjectType):
    """A welfare campaign (福利慰问) with its options and the caller's choice."""

    id = graphene.ID(required=True, description="Relay ID（UnionWelfareCampaign）。")
    title = graphene.String(required=True, description="标题。")
    description = graphene.String(required=True, description="说明。")
    closes_at = graphene.DateTime(required=True, description="截止时间。")
    is_open = graphene.Boolean(required=True, description="仍可选择或更改。")
    options = graphene.List(graphene.NonNull(UnionWelfareOptionType), required=True, description="选项。")
    my_option_id = graphene.ID(description="我的选择。")
    can_manage = graphene.Boolean(required=True, description="我可查看汇总与导出。")
    chosen = graphene.Int(description="已选择人数（仅干部可见）。")


class UnionRankType(graphene.ObjectType):
    """A line of a leaderboard."""

    rank = graphene.Int(required=True, description="名次。")
    name = graphene.String(required=True, description="姓名。")
    node_name = graphene.String(required=True, description="所属组织。")
    value = graphene.Int(required=True, description="积分或步数。")
    is_me = graphene.Boolean(required=True, description="是我。")


class UnionParticipationRowType(graphene.ObjectType):
    """Participation of one sub-union or group."""

    node_id = graphene.ID(required=True, description="组织（UnionNode 的 Relay ID）。")
    name = graphene.String(required=True, description="名称。")
    members = graphene.Int(required=True, description="会员数。")
    checked_in = graphene.Int(required=True, description="期间签到过的会员数。")
    signed_up = graphene.Int(required=True, description="期间报名活动的会员数。")
    rate = graphene.Float(required=True, description="签到参与率（0–1）。")


class UnionTrendPointType(graphene.ObjectType):
    """Check-ins of one day."""

    day = graphene.Date(required=True, description="日期。")
    count = graphene.Int(required=True, description="签到人数。")


class UnionParticipationType(graphene.ObjectType):
    """Participation figures of a node's children, and the trend of the node."""

    node = graphene.Field(UnionNodeType, required=True, description="统计范围。")
    rows = graphene.List(graphene.NonNull(UnionParticipationRowType), required=True, description="各下级组织。")
    trend = graphene.List(graphene.NonNull(UnionTrendPointType), required=True, description="每日签到人数。")


class UnionConfidentialType(graphene.ObjectType):
    """A confidential request, for its requester and its assigned counsellor only."""

    id = graphene.ID(required=True, description="Relay ID（UnionConfidential）。")
    kind = graphene.String(required=True, description="counselling 心理咨询、legal 法律帮扶、maternity 育龄期女职工绿色通道。")
    status = graphene.String(required=True, description="open 待回复、answered 已回复、closed 已结束。")
    counsellor_name = graphene.String(required=True, description="接单的咨询师或律师。")
    subject = graphene.String(required=True, description="主题。")
    text = graphene.String(required=True, description="内容。")
    reply = graphene.String(required=True, description="回复。")
    contact = graphene.String(required=True, description="联系方式。")
    clinic = graphene.String(description="绿色通道：科室代码。")
    preferred_date = graphene.Date(description="绿色通道：期望就诊日期。")
    is_mine = graphene.Boolean(required=True, description="是我提交的（否则是分配给我的）。")
    created_at = graphene.DateTime(required=True, description="提交时间。")


class UnionConfidentialCountType(graphene.ObjectType):
    """How many requests of a kind are in a status (no names)."""

    kind = graphene.String(required=True, description="类别。")
    status = graphene.String(required=True, description="状态。")
    count = graphene.Int(required=True, description="数量。")
