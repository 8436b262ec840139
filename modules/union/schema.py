"""GraphQL for the union (工会云): the caller's membership and points, the tree, activities,
welfare campaigns, leaderboards, participation figures and confidential requests; every write a
mutation (mutations.py). Gated by the marketplace (APP_NOT_INSTALLED where not installed)."""

from __future__ import annotations

import graphene
from django.utils import timezone

from jianlian.api.base import PermissionField, decode_id
from jianlian.api.permissions import SIGNED_IN
from jianlian.core.errors import DomainError
from modules.union import access, activities, confidential, points, present, stats
from modules.union.models import Member, UnionNode
from modules.union import care_api, extras_api, womens_health_api
from modules.union import mutations
from modules.union.types import (UnionActivityType, UnionConfidentialCountType, UnionConfidentialType, UnionMeType,
                                 UnionNodeType, UnionParticipationRowType, UnionParticipationType, UnionPointEntryType,
                                 UnionRankType, UnionTrendPointType, UnionWelfareCampaignType, as_errors, gid)

LeaderboardKind = graphene.Enum("UnionLeaderboardKind", [("POINTS", "points"), ("STEPS", "steps")],
                                description="POINTS 积分（累计获得）、STEPS 当天步数。")


def _node_path(user, node) -> str:
    """The subtree a leaderboard covers: the node asked for (a member may look at their own
    branch; an officer at any part they manage), else the whole union."""
    if not node:
        return "/"
    n = UnionNode.objects.filter(pk=decode_id(node, "UnionNode", "node")).first()
    if n is None:
        raise DomainError("NOT_FOUND", "工会组织不存在。", "node")
    member = Member.objects.filter(user_id=user.pk, status="active").first()
    if access.manages_path(user, n.path) or (member is not None and member.path.startswith(n.path)):
        return n.path
    raise DomainError("PERMISSION_DENIED", "只能查看本人所在或管理的组织的排行。")


class Query(care_api.CareQuery, extras_api.ExtrasQuery, womens_health_api.WomensHealthQuery, graphene.ObjectType):
    union_me = PermissionField(UnionMeType, required=True, permissions=SIGNED_IN,
                               description="我在工会：是否会员、积分余额与排名、连续签到、今天是否已签到、是否干部。")
    union_tree = PermissionField(graphene.List(graphene.NonNull(UnionNodeType)), required=True, permissions=SIGNED_IN,
                                 description="工会组织树（工会 → 分工会 → 小组），含各级干部与人数。")
    union_points = PermissionField(graphene.List(graphene.NonNull(UnionPointEntryType)), required=True,
                                   permissions=SIGNED_IN, description="我的积分流水（最近50条）。")
    union_activities = PermissionField(graphene.List(graphene.NonNull(UnionActivityType)), required=True,
                                       permissions=SIGNED_IN, description="我能参加的和我管理的活动。")
    union_activity = PermissionField(UnionActivityType, permissions=SIGNED_IN,
                                     id=graphene.ID(required=True, description="活动。"),
                                     description="一个活动；无权查看时为 null。")
    union_welfare_campaigns = PermissionField(graphene.List(graphene.NonNull(UnionWelfareCampaignType)), required=True,
                                              permissions=SIGNED_IN, description="我可选择的和我管理的福利活动。")
    union_leaderboard = PermissionField(
        graphene.List(graphene.NonNull(UnionRankType)), required=True, permissions=SIGNED_IN,
        kind=LeaderboardKind(description="排行类别，默认积分。"), node=graphene.ID(description="只看该组织（默认全会）。"),
        date=graphene.Date(description="步数的日期（默认今天）。"), limit=graphene.Int(description="条数（最多100，默认20）。"),
        description="排行榜：积分或当天步数。")
    union_participation = PermissionField(
        UnionParticipationType, required=True, permissions=SIGNED_IN,
        node=graphene.ID(description="统计范围（默认我管理的最高一级）。"), days=graphene.Int(description="统计天数（默认30）。"),
        description="参与度（干部，仅限本人管理的组织）：各下级组织的会员、签到、报名与每日签到趋势。")
    union_confidential_requests = PermissionField(
        graphene.List(graphene.NonNull(UnionConfidentialType)), required=True, permissions=SIGNED_IN,
        description="保密求助：我提交的，以及分配给我（咨询师/律师）的。其他任何人都看不到。")
    union_confidential_counts = PermissionField(
        graphene.List(graphene.NonNull(UnionConfidentialCountType)), required=True, permissions=SIGNED_IN,
        description="保密求助的数量（干部；按类别与状态，不含姓名与内容）。")

    resolve_union_me = as_errors(lambda user, info: present.me(user))
    resolve_union_tree = as_errors(lambda user, info: present.tree(user))
    resolve_union_points = as_errors(lambda user, info: list(points.history(access.member_of(user))))
    resolve_union_activities = as_errors(lambda user, info: [present.activity(user, a) for a in present.visible_activities(user)])
    resolve_union_welfare_campaigns = as_errors(lambda user, info: present.campaigns(user))
    resolve_union_confidential_requests = as_errors(lambda user, info: present.confidential_requests(user))
    resolve_union_confidential_counts = as_errors(lambda user, info: confidential.counts(user))

    @as_errors
    def resolve_union_activity(user, info, id):
        try:
            return present.activity(user, activities.access_activity(user, decode_id(id, "UnionActivity")))
        except DomainError:
            return None

    @as_errors
    def resolve_union_leaderboard(user, info, kind=None, node=None, date=None, limit=None):
        path = _node_path(user, node)
        limit = max(1, min(int(limit or 20), 100))
        rows = (stats.step_leaderboard(path, date or timezone.localdate(), limit) if getattr(kind, "value", kind) == "steps"
                else points.leaderboard(path, limit=limit))
        names = dict(UnionNode.objects.values_list("pk", "name"))
        me = Member.objects.filter(user_id=user.pk).values_list("pk", flat=True).first()
        return [UnionRankType(rank=r["rank"], name=r["name"], node_name=names.get(r["node_id"], ""), value=r["points"],
                              is_me=r["member_id"] == me) for r in rows]

    @as_errors
    def resolve_union_participation(user, info, node=None, days=None):
        scope = stats.scope(user, decode_id(node, "UnionNode", "node") if node else None)
        days = max(1, min(int(days or 30), 366))
        rows = [UnionParticipationRowType(node_id=gid("UnionNode", r["node"].pk), name=r["name"], members=r["members"],
                                          checked_in=r["checked_in"], signed_up=r["signed_up"], rate=r["rate"])
                for r in stats.participation(scope, days=days)]
        trend = [UnionTrendPointType(day=t["day"], count=t["count"]) for t in stats.trend(scope, days=min(days, 31))]
        return UnionParticipationType(node=present.node(scope), rows=rows, trend=trend)


class Mutation(care_api.CareMutation, extras_api.ExtrasMutation, womens_health_api.WomensHealthMutation,
               mutations.Mutation):
    """The module's root Mutation."""
