"""The workbench badge: incoming referrals waiting for this person (named to them, or to a unit
where they accept referrals)."""

from django.db.models import Q


def mine(user) -> Q:
    """Referrals named to `user`, or to a unit where they accept referrals."""
    from jianlian.access.checks import scope_nodes

    units = list(scope_nodes(user, "referrals.accept").values_list("pk", flat=True))
    return Q(to_doctor_id=user.pk) | (Q(to_doctor_id__isnull=True) & Q(to_unit_id__in=units))


def pending_for(user) -> int:
    from modules.referrals.models import OPEN_INCOMING, Referral, Side

    return Referral.objects.filter(mine(user), side__in=[Side.INCOMING, Side.INTERNAL], status__in=OPEN_INCOMING).count()
