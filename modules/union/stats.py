"""大数据: participation by sub-union and group, trends and leaderboards (points, daily steps),
always inside the officer's own subtree. Figures count people; none names a confidential request.

Step counts arrive from a member's phone or wearable at POST /apps/union/steps with the header
`X-Union-Device-Token` (views.py); the token is issued to the member (`issueUnionDeviceToken`)
and stored hashed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import connection, transaction
from django.utils import timezone

from jianlian.core.errors import DomainError
from modules.union import access
from modules.union.models import DeviceToken, Member, StepCount, UnionNode

MAX_STEPS = 200_000


def scope(actor, node_id: int | None = None) -> UnionNode:
    """The node the figures are for: the one asked for (which the officer must manage), else the
    officer's own (highest) node."""
    if node_id:
        return access.access_node(actor, node_id)
    paths = access.require_officer(actor)
    if paths == ["/"]:
        root = UnionNode.objects.filter(parent__isnull=True).first()
        if root is None:
            raise DomainError("UNION_BAD_NODE", "本单位尚未建立工会。", "node")
        return root
    return UnionNode.objects.get(path=paths[0])


def participation(node: UnionNode, *, days: int = 30, today: dt.date | None = None) -> list[dict]:
    """For each child of `node` (sub-unions, or groups), and for the members placed on `node`
    itself (a row named "…（本级）"): members, members who checked in within `days`, members who
    signed up to activities — one grouped query per kind of row."""
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=days - 1)
    since_dt = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    children = list(UnionNode.objects.filter(parent=node).order_by("sort", "pk"))
    subtree = _figures([c.pk for c in children], "LIKE n.path || '%%'", since, since_dt)
    direct = _figures([node.pk], "= n.path", since, since_dt)
    out = []
    if direct.get(node.pk, (0,))[0] or not children:
        out.append(_row(node, direct.get(node.pk), f"{node.name}（本级）" if children else node.name))
    out += [_row(c, subtree.get(c.pk), c.name) for c in children]
    return out


def _row(node: UnionNode, figures, name: str) -> dict:
    members, checked, signed = figures or (0, 0, 0)
    return {"node": node, "name": name, "members": members, "checked_in": checked, "signed_up": signed,
            "rate": round(checked / members, 4) if members else 0.0}


def _figures(node_ids: list[int], match: str, since, since_dt) -> dict:
    if not node_ids:
        return {}
    sql = f"""
        SELECT n.id,
               COUNT(DISTINCT m.id) AS members,
               COUNT(DISTINCT c.member_id) AS checked_in,
               COUNT(DISTINCT s.member_id) AS signed_up
        FROM union_unionnode n
        LEFT JOIN union_member m ON m.path {match} AND m.status = 'active'
        LEFT JOIN union_checkin c ON c.member_id = m.id AND c.day >= %s
        LEFT JOIN union_signup s ON s.member_id = m.id AND s.status IN ('confirmed', 'pending', 'waiting')
             AND s.created_at >= %s
        WHERE n.id = ANY(%s) GROUP BY n.id"""
    with connection.cursor() as cur:
        cur.execute(sql, [since, since_dt, node_ids])
        return {r[0]: r[1:] for r in cur.fetchall()}


def trend(node: UnionNode, *, days: int = 14, today: dt.date | None = None) -> list[dict]:
    """Check-ins per day in the subtree over the last `days` days (zero days included)."""
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=days - 1)
    with connection.cursor() as cur:
        cur.execute("""SELECT c.day, COUNT(*) FROM union_checkin c JOIN union_member m ON m.id = c.member_id
                       WHERE c.day >= %s AND m.path LIKE %s GROUP BY c.day""", [since, node.path + "%"])
        per_day = dict(cur.fetchall())
    return [{"day": since + dt.timedelta(days=i), "count": per_day.get(since + dt.timedelta(days=i), 0)} for i in range(days)]


def step_leaderboard(path: str, day: dt.date, limit: int = 50) -> list[dict]:
    rows = (StepCount.objects.filter(day=day, member__status="active", member__path__startswith=path)
            .order_by("-steps", "member__name").values("member_id", "member__name", "member__node_id", "steps")[:limit])
    return [{"rank": i, "member_id": r["member_id"], "name": r["member__name"], "node_id": r["member__node_id"],
             "points": r["steps"]} for i, r in enumerate(rows, start=1)]


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_device_token(user) -> str:
    """A new device token for the caller's phone or wearable (shown once; the old one stops working)."""
    member = access.member_of(user)
    token = "jlu_" + secrets.token_urlsafe(24)
    DeviceToken.objects.update_or_create(member=member, defaults={"token_hash": _hash(token)})
    return token


def member_for_token(token: str) -> Member | None:
    if not token or not token.startswith("jlu_"):
        return None
    row = DeviceToken.objects.select_related("member").filter(token_hash=_hash(token)).first()
    return row.member if row and row.member.active else None


def record_steps(member: Member, day: dt.date, steps: int) -> StepCount:
    """Keep the day's highest reported count (a phone reports the running total several times a day)."""
    today = timezone.localdate()
    if not 0 <= steps <= MAX_STEPS:
        raise DomainError("INVALID", f"步数须在0到{MAX_STEPS}之间。", "steps")
    if not today - dt.timedelta(days=7) <= day <= today:
        raise DomainError("INVALID", "只能上报最近7天的步数。", "date")
    with transaction.atomic():
        row, created = StepCount.objects.select_for_update().get_or_create(member=member, day=day, defaults={"steps": steps})
        if not created and steps > row.steps:
            row.steps = steps
            row.save(update_fields=["steps", "updated_at"])
    return row
