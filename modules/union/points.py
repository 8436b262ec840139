"""每日签到 and 积分管理: check-in with streaks, and the append-only points ledger.

Rules (points per award): a check-in 5, every 7th day of a streak 20 more, reading 2, a quiz 10
(passed) or 3, an attended activity its own points. Every award carries an idempotency key
(`checkin:<member>:<day>`, `quiz:<attempt>` …) that is unique in the ledger, so an award can be
attempted any number of times — a retried request, a re-delivered bus message — and lands once.
The balance is the sum of the ledger. A redemption is a negative line written while the member's
row is locked (SELECT … FOR UPDATE), so two redemptions at once cannot overdraw.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from jianlian.core.errors import DomainError
from modules.union import access
from modules.union.models import CheckIn, Member, PointEntry, Rule

CHECK_IN_POINTS = 5
STREAK_EVERY, STREAK_BONUS = 7, 20
READING_POINTS = 2
QUIZ_PASSED, QUIZ_TRIED = 10, 3


def _insert(member_id: int, rule: str, points: int, key: str, note: str) -> bool:
    """One ledger line unless `key` is there already (ON CONFLICT DO NOTHING: no savepoint and
    no error to catch, so a caller's transaction goes on). True when written."""
    with connection.cursor() as cur:
        cur.execute("""INSERT INTO union_pointentry (member_id, rule, points, key, note, created_at)
                       VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (key) DO NOTHING RETURNING id""",
                    [member_id, rule, points, key[:120], str(note)[:120], timezone.now()])
        return cur.fetchone() is not None


def award(member: Member | int, rule: str, points: int, key: str, note: str = "") -> bool:
    """Write one ledger line unless `key` was awarded before, and add it to the member's earned
    total in the same transaction. Returns whether it was written. Safe to call concurrently: the
    unique key decides."""
    member_id = member if isinstance(member, int) else member.pk
    with transaction.atomic(savepoint=False):
        written = _insert(member_id, rule, points, key, note)
        if written and points > 0:
            Member.objects.filter(pk=member_id).update(earned=F("earned") + points)
    return written


def recount(member_ids=None) -> int:
    """Rebuild the members' `earned` from the ledger (after a bulk load, or to check it)."""
    where, params = ("WHERE m.id = ANY(%s)", [list(member_ids)]) if member_ids is not None else ("", [])
    with connection.cursor() as cur:
        cur.execute(f"""UPDATE union_member m SET earned = COALESCE(
                            (SELECT SUM(points) FROM union_pointentry p WHERE p.member_id = m.id AND p.points > 0), 0)
                        {where}""", params)
        return cur.rowcount


def balance(member: Member | int) -> int:
    member_id = member if isinstance(member, int) else member.pk
    return PointEntry.objects.filter(member_id=member_id).aggregate(s=Sum("points"))["s"] or 0


def check_in(user, *, today: dt.date | None = None) -> CheckIn:
    """Today's 每日签到 of the caller (a member): records the day, extends or restarts the streak
    and awards the check-in points (and the streak bonus on every 7th day). A second check-in the
    same day is UNION_ALREADY_CHECKED_IN, however the two requests interleave."""
    today = today or timezone.localdate()
    already = DomainError("UNION_ALREADY_CHECKED_IN", _("今天已经签到过了，明天再来。"))
    try:
        with transaction.atomic():
            # the member's row lock orders two presses of one person: the second sees today's date
            member = access.member_of(user, for_update=True)
            if member.last_check_in == today:
                raise already
            streak = member.streak + 1 if member.last_check_in == today - dt.timedelta(days=1) else 1
            row = CheckIn.objects.create(member=member, day=today, streak=streak)
            earned = CHECK_IN_POINTS if _insert(member.pk, Rule.CHECK_IN, CHECK_IN_POINTS,
                                                f"checkin:{member.pk}:{today.isoformat()}", _("每日签到")) else 0
            if streak % STREAK_EVERY == 0 and _insert(member.pk, Rule.STREAK, STREAK_BONUS, f"streak:{member.pk}:{today.isoformat()}",
                                                      _("连续签到%(n)s天") % {"n": streak}):
                earned += STREAK_BONUS
            Member.objects.filter(pk=member.pk).update(streak=streak, last_check_in=today, earned=F("earned") + earned)
    except IntegrityError:  # the unique day, should the lock ever be bypassed
        raise already from None
    return row


def award_reading(user_id: int, article_key: str) -> bool:
    """Reading points for one article (once per member and article)."""
    member = Member.objects.filter(user_id=user_id, status="active").first()
    return member is not None and award(member, Rule.READING, READING_POINTS, f"reading:{member.pk}:{article_key}", _("阅读"))


def award_quiz(user_id: int, attempt_key: str, passed: bool, title: str = "") -> bool:
    """Quiz points for one finished attempt (once per attempt, however often it is reported)."""
    member = Member.objects.filter(user_id=user_id, status="active").first()
    points = QUIZ_PASSED if passed else QUIZ_TRIED
    return member is not None and award(member, Rule.QUIZ, points, f"quiz:{attempt_key}", title or _("答题"))


def redeem(user, points: int, *, item: str, key: str) -> int:
    """Spend `points` on `item` (a negative ledger line). Refused with UNION_INSUFFICIENT_POINTS
    when the balance is lower; the member's row is locked, so concurrent redemptions queue and
    cannot overdraw. `key` makes a retried redemption land once. Returns the new balance."""
    if points <= 0:
        raise DomainError("INVALID", _("兑换积分须大于0。"), "points")
    with transaction.atomic():
        member = access.member_of(user, for_update=True)
        if PointEntry.objects.filter(key=f"redeem:{member.pk}:{key}").exists():
            return balance(member)  # the same redemption again (a retried request)
        have = balance(member)
        if have < points:
            raise DomainError("UNION_INSUFFICIENT_POINTS", _("积分不足：当前%(have)s分，需要%(need)s分。")
                              % {"have": have, "need": points}, "points")
        award(member, Rule.REDEEM, -points, f"redeem:{member.pk}:{key}", item)
        return balance(member)


def leaderboard(path: str = "/", *, since: dt.datetime | None = None, limit: int = 50) -> list[dict]:
    """Members of the subtree `path` ranked by points earned (redemptions do not lower a rank),
    ties by name. All-time: an index scan of `earned`; since a time: grouped over the ledger."""
    if since is None:
        rows = (Member.objects.filter(status="active", path__startswith=path, earned__gt=0)
                .order_by("-earned", "name", "pk").values_list("pk", "name", "node_id", "earned")[:limit])
    else:
        with connection.cursor() as cur:
            cur.execute("""
                SELECT m.id, m.name, m.node_id, SUM(p.points) AS total
                FROM union_member m JOIN union_pointentry p ON p.member_id = m.id AND p.points > 0 AND p.created_at >= %s
                WHERE m.status = 'active' AND m.path LIKE %s
                GROUP BY m.id ORDER BY total DESC, m.name, m.id LIMIT %s""", [since, path + "%", limit])
            rows = cur.fetchall()
    return [{"rank": i, "member_id": r[0], "name": r[1], "node_id": r[2], "points": int(r[3])}
            for i, r in enumerate(rows, start=1)]


def rank_of(member: Member, path: str = "/") -> tuple[int, int]:
    """(rank, earned points) of `member` among the members of `path` (1 = first; equal points share)."""
    earned = Member.objects.filter(pk=member.pk).values_list("earned", flat=True).first() or 0
    better = Member.objects.filter(status="active", path__startswith=path, earned__gt=earned).count()
    return better + 1, earned


def history(member: Member, limit: int = 50):
    return PointEntry.objects.filter(member=member).order_by("-created_at", "-id")[:limit]
