"""Whitelist pushes (白名单推送) and the weekly digest, both through the notification centre.

A push goes to the members of a node's subtree (all members, or one sub-union or group): text,
and a link to a picture, an audio or video, or a form. Who: the node's officers, or anyone the
notification centre whitelisted (`SenderGrant`); beyond 50 recipients the centre itself requires
the whitelist (SENDER_NOT_WHITELISTED otherwise), exactly as for any broadcast.

The weekly digest (beat, weekly): each sub-union's officers get their sub-union's participation
of the last 7 days and its top three by points — once per sub-union and ISO week.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jianlian.core.errors import PermissionDeniedError
from jianlian.notifications import services as notices
from modules.union import access, points, stats
from modules.union.models import Member, MemberStatus, NodeKind, Officer, UnionNode


def push(actor, node_id: int, *, title: str, body: str = "", link: str = ""):
    """Send a notice to the active members of `node_id`'s subtree; returns the notification."""
    from jianlian.notifications.models import SenderGrant

    node = access.access_node(actor, node_id, manage=False)
    if not access.manages_path(actor, node.path) and not SenderGrant.objects.filter(user_id=actor.pk).exists():
        raise PermissionDeniedError(_("只有该组织的工会干部或推送白名单中的人员可以推送。"))
    members = list(Member.objects.filter(status=MemberStatus.ACTIVE, path__startswith=node.path)
                   .values_list("user_id", flat=True))
    return notices.send(actor, title=title, body=body, link=link, audience=notices.Audience(user_ids=members))


def weekly_digest(now=None) -> int:
    """Send this ISO week's digest to each sub-union's officers (once per sub-union and week)."""
    from modules.union.models import DigestSent

    now = now or timezone.now()
    year, week, _day = timezone.localdate(now).isocalendar()
    sent = 0
    for sub in UnionNode.objects.filter(kind=NodeKind.SUB_UNION).order_by("pk"):
        officers = list(Officer.objects.filter(node=sub).values_list("user_id", flat=True))
        if not officers:
            continue
        try:
            with transaction.atomic():
                DigestSent.objects.create(node=sub, week=f"{year}-W{week:02d}")
                rows = stats.participation(sub, days=7)
                members = sum(r["members"] for r in rows)
                checked = sum(r["checked_in"] for r in rows)
                top = points.leaderboard(sub.path, limit=3)
                figures = {"m": members, "c": checked, "p": round(checked * 100 / members) if members else 0,
                           "s": sum(r["signed_up"] for r in rows), "top": "、".join(r["name"] for r in top)}
                notices.notify(officers, sender_name=lambda: _("工会"), link="/union/console",
                               title=lambda name=sub.name: _("%(name)s 工会周报") % {"name": name},
                               body=lambda f=figures: _("近7天：会员 %(m)s 人，签到 %(c)s 人（%(p)s%%），报名活动 %(s)s 人。积分前三：%(top)s。")
                               % {**f, "top": f["top"] or _("暂无")})
                sent += 1
        except IntegrityError:
            continue  # this week's digest of this sub-union went out already
    return sent
