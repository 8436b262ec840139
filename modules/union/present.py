"""Rows and figures of the union as the GraphQL types (types.py), for one viewer: what an
officer sees (codes, names, counts) is left out for everyone else here, in one place."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from modules.union import access, activities, confidential, points, welfare
from modules.union.activity_models import SEATED, Activity, ActivityStatus, Signup, SignupStatus
from modules.union.models import Member, MemberStatus, Officer, UnionNode
from modules.union.types import (UnionActivityType, UnionConfidentialType, UnionFormFieldType, UnionMeType,
                                 UnionNodeType, UnionOfficerType, UnionSignupType, UnionWelfareCampaignType,
                                 UnionWelfareOptionType, gid)


def me(user) -> UnionMeType:
    member = Member.objects.select_related("node").filter(user_id=user.pk, status=MemberStatus.ACTIVE).first()
    officer, admin = access.is_officer(user), access.is_admin(user)
    counsellor = confidential.is_counsellor(user)
    if member is None:
        return UnionMeType(is_member=False, balance=0, earned=0, streak=0, checked_in_today=False, is_officer=officer,
                           is_admin=admin, is_counsellor=counsellor)
    rank, earned = points.rank_of(member)
    sub = member.path.split("/")[:3]  # "/root/sub/" — the member's sub-union
    node_rank = points.rank_of(member, "/".join(sub) + "/")[0] if len(sub) == 3 and sub[2] else rank
    today = timezone.localdate()
    return UnionMeType(is_member=True, name=member.name, node_name=member.node.name, balance=points.balance(member),
                       earned=earned, rank=rank, node_rank=node_rank,
                       streak=member.streak if member.last_check_in and (today - member.last_check_in).days <= 1 else 0,
                       checked_in_today=member.last_check_in == today, is_officer=officer, is_admin=admin,
                       is_counsellor=counsellor)


def tree(user) -> list[UnionNodeType]:
    paths = access.officer_paths(user)
    nodes = list(UnionNode.objects.order_by("path"))
    members = dict(Member.objects.filter(status=MemberStatus.ACTIVE).values_list("path").annotate(n=Count("pk")))
    officers: dict[int, list] = {}
    for o in Officer.objects.order_by("pk"):
        officers.setdefault(o.node_id, []).append(UnionOfficerType(name=o.name, title=o.title))
    return [UnionNodeType(id=gid("UnionNode", n.pk), name=n.name, kind=n.kind,
                          parent_id=gid("UnionNode", n.parent_id) if n.parent_id else None,
                          member_count=sum(c for p, c in members.items() if p.startswith(n.path)),
                          officers=officers.get(n.pk, []), can_manage=any(n.path.startswith(p) for p in paths))
            for n in nodes]


def node(n: UnionNode) -> UnionNodeType:
    return UnionNodeType(id=gid("UnionNode", n.pk), name=n.name, kind=n.kind,
                         parent_id=gid("UnionNode", n.parent_id) if n.parent_id else None,
                         member_count=Member.objects.filter(status=MemberStatus.ACTIVE, path__startswith=n.path).count(),
                         officers=[], can_manage=True)


def visible_activities(user):
    """Activities of the caller's own branch (as a member) and of the parts they manage."""
    member = Member.objects.filter(user_id=user.pk, status=MemberStatus.ACTIVE).first()
    q = Q(pk__in=[])
    if member is not None:
        ancestors = [int(x) for x in member.path.strip("/").split("/") if x]
        q |= Q(node_id__in=ancestors)
    for p in access.officer_paths(user):
        q |= Q(node__path__startswith=p)
    return Activity.objects.filter(q).exclude(status=ActivityStatus.CANCELLED).select_related("node").order_by("-start_at")[:100]


def activity(user, a: Activity) -> UnionActivityType:
    manage = access.manages_path(user, a.node.path)
    counts = dict(Signup.objects.filter(activity=a).values_list("status").annotate(n=Count("pk")))
    mine = (Signup.objects.filter(activity=a, member__user_id=user.pk, status__in=(*SEATED, SignupStatus.WAITING))
            .first() or Signup.objects.filter(activity=a, member__user_id=user.pk).order_by("-pk").first())
    now = timezone.now()
    live = mine is not None and mine.status in (*SEATED, SignupStatus.WAITING)
    actions = []
    if a.status == ActivityStatus.OPEN and a.start_at > now and not live:
        actions.append("SIGN_UP")
    if live and a.start_at > now:
        actions.append("CANCEL")
    if mine is not None and mine.status == SignupStatus.CONFIRMED and mine.attended_at is None and now <= a.end_at:
        actions.append("CHECK_IN")
    if manage and counts.get(SignupStatus.PENDING):
        actions.append("REVIEW")
    signups = None
    if manage:
        signups = [UnionSignupType(id=gid("UnionSignup", s.pk), name=s.member.name, status=s.status, answers=s.answers,
                                   created_at=s.created_at, attended_at=s.attended_at)
                   for s in Signup.objects.filter(activity=a).select_related("member").order_by("pk")[:500]]
    return UnionActivityType(
        id=gid("UnionActivity", a.pk), title=a.title, description=a.description, place=a.place, start_at=a.start_at,
        end_at=a.end_at, quota=a.quota, taken=sum(counts.get(s, 0) for s in SEATED),
        waiting=counts.get(SignupStatus.WAITING, 0), needs_approval=a.needs_approval, points=a.points, status=a.status,
        node_name=a.node.name, form=[UnionFormFieldType(**f) for f in a.form],
        my_status=mine.status if mine else None, my_waiting_position=activities.waiting_position(mine) if mine else None,
        attended=bool(mine and mine.attended_at), check_in_code=a.check_in_code if manage else None, signups=signups,
        available_actions=actions)


def campaigns(user) -> list[UnionWelfareCampaignType]:
    from modules.union.welfare_models import WelfareCampaign

    paths = access.officer_paths(user)
    out = []
    now = timezone.now()
    for c in WelfareCampaign.objects.filter(access.scope_q(user)).select_related("node").order_by("-closes_at")[:50]:
        manage = any(c.node.path.startswith(p) for p in paths)
        tally = {r["option_id"]: r["count"] for r in welfare.tally(user, c.pk)} if manage else {}
        choice = welfare.my_choice(user, c)
        out.append(UnionWelfareCampaignType(
            id=gid("UnionWelfareCampaign", c.pk), title=c.title, description=c.description, closes_at=c.closes_at,
            is_open=now < c.closes_at, can_manage=manage, chosen=sum(tally.values()) if manage else None,
            my_option_id=gid("UnionWelfareOption", choice.option_id) if choice else None,
            options=[UnionWelfareOptionType(id=gid("UnionWelfareOption", o.pk), name=o.name, supplier=o.supplier,
                                            description=o.description, count=tally.get(o.pk) if manage else None)
                     for o in c.options.order_by("sort", "pk")]))
    return out


def confidential_requests(user) -> list[UnionConfidentialType]:
    out = []
    for row in confidential.mine(user):
        data = confidential.unseal(row)
        out.append(UnionConfidentialType(
            id=gid("UnionConfidential", row.pk), kind=row.kind, status=row.status, counsellor_name=row.counsellor.name,
            subject=data.get("subject", ""), text=data.get("text", ""), reply=data.get("reply", ""),
            contact=data.get("contact", ""), clinic=data.get("clinic"), is_mine=row.requester_id == user.pk,
            preferred_date=dt.date.fromisoformat(data["preferred_date"]) if data.get("preferred_date") else None,
            created_at=row.created_at))
    return out
