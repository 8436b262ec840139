"""社团协会 and 职工影院. A club belongs to a node and has an officer (its 会长) who approves who
joins. A screening of the staff cinema has a number of tickets; members of the node enter, and an
officer draws the winners by a seeded lottery: the same seed and entries always give the same
winners, never more winners than tickets."""

from __future__ import annotations

import random
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jianlian.audit import service as audit
from jianlian.core.errors import DomainError, NotFoundError
from modules.union import access, events
from modules.union.care_models import Club, ClubMember, Screening, TicketEntry
from modules.union.models import Member


def _in_scope(member: Member, node) -> bool:
    return member.path.startswith(node.path)


def create_club(actor, node_id: int, *, name: str, officer_id: int, description: str = "") -> Club:
    node = access.access_node(actor, node_id)
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise DomainError("REQUIRED", _("请填写社团名称（不超过60个字）。"), "name")
    if not Member.objects.filter(user_id=officer_id, status="active").exists():
        raise DomainError("INVALID", _("社团负责人须是在会会员。"), "officer")
    club = Club.objects.create(node=node, name=name, officer_id=officer_id, description=(description or "")[:500])
    audit.record("union.create_club", actor=actor, target=club, after={"name": name})
    return club


def _club(user, club_id: int) -> Club:
    club = Club.objects.select_related("node").filter(pk=club_id).first()
    if club is None:
        raise NotFoundError(_("社团不存在。"), field="club")
    return club


def join_club(user, club_id: int) -> ClubMember:
    member = access.member_of(user)
    club = _club(user, club_id)
    if not _in_scope(member, club.node):
        raise NotFoundError(_("社团不存在。"), field="club")
    row, created = ClubMember.objects.get_or_create(club=club, member=member)
    if not created and row.status != "rejected":
        raise DomainError("UNION_ALREADY_JOINED", _("您已申请或已加入该社团。"), "club")
    if not created:
        row.status = "pending"
        row.save(update_fields=["status"])
    audit.record("union.join_club", actor=user, target=row, after={})
    return row


def review_club(user, membership_id: int, approve: bool) -> ClubMember:
    row = ClubMember.objects.select_related("club").filter(pk=membership_id).first()
    if row is None or row.club.officer_id != user.pk:
        raise NotFoundError(_("入社申请不存在或您不是该社团负责人。"), field="membership")
    if row.status != "pending":
        raise DomainError("INVALID", _("该申请已处理。"), "membership")
    row.status = "approved" if approve else "rejected"
    row.save(update_fields=["status"])
    audit.record("union.review_club", actor=user, target=row, after={"status": row.status})
    return row


def create_screening(actor, node_id: int, *, title: str, show_at, tickets: int) -> Screening:
    node = access.access_node(actor, node_id)
    title = (title or "").strip()
    if not title or len(title) > 100:
        raise DomainError("REQUIRED", _("请填写影片名称（不超过100个字）。"), "title")
    if tickets is None or tickets < 1:
        raise DomainError("INVALID", _("票数至少为1。"), "tickets")
    row = Screening.objects.create(node=node, title=title, show_at=show_at, tickets=tickets)
    audit.record("union.create_screening", actor=actor, target=row, after={"tickets": tickets})
    return row


def enter(user, screening_id: int) -> TicketEntry:
    member = access.member_of(user)
    s = Screening.objects.select_related("node").filter(pk=screening_id).first()
    if s is None or not _in_scope(member, s.node):
        raise NotFoundError(_("场次不存在。"), field="screening")
    if s.drawn_at is not None:
        raise DomainError("UNION_LOTTERY_DRAWN", _("已经抽签，不能再登记。"), "screening")
    try:
        with transaction.atomic():
            return TicketEntry.objects.create(screening=s, member=member)
    except IntegrityError:
        raise DomainError("UNION_ALREADY_JOINED", _("您已登记这一场。"), "screening") from None


def winners(seed: str, member_ids: list[int], tickets: int) -> list[int]:
    """The lottery: the entries in a fixed order shuffled by a PRNG seeded with `seed`; the first
    `tickets` win. Reproducible by anyone holding the seed and the entry list."""
    order = sorted(member_ids)
    random.Random(seed).shuffle(order)
    return sorted(order[:max(0, tickets)])


def draw(actor, screening_id: int, *, seed: str | None = None) -> Screening:
    """Draw once (the row is locked); the seed is kept so the draw can be re-checked."""
    with transaction.atomic():
        s = Screening.objects.select_for_update().select_related("node").filter(pk=screening_id).first()
        if s is None:
            raise NotFoundError(_("场次不存在。"), field="screening")
        access.access_node(actor, s.node_id, field="screening")
        if s.drawn_at is not None:
            raise DomainError("UNION_LOTTERY_DRAWN", _("这一场已经抽过签。"), "screening")
        s.seed = seed or secrets.token_hex(16)
        entries = dict(TicketEntry.objects.filter(screening=s).values_list("member_id", "pk"))
        won = winners(s.seed, list(entries), s.tickets)
        TicketEntry.objects.filter(pk__in=[entries[m] for m in won]).update(won=True)
        s.drawn_at = timezone.now()
        s.save(update_fields=["seed", "drawn_at"])
        audit.record("union.draw_tickets", actor=actor, target=s, after={"seed": s.seed, "winners": len(won)})
        events.lottery_drawn(s)
    return s
