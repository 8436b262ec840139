"""The workbench badge: incoming referrals waiting for this person (named to them, or to a unit
where they accept referrals)."""

from django.db.models import Q


def pending_for(user) -> int:
    from jianlian.access.checks import scope_nodes
    from modules.referrals.models import OPEN_INCOMING, Referral, Side

    units = list(scope_nodes(user, "referrals.accept").values_list("pk", flat=True))
    mine = Q(to_doctor_id=user.pk) | (Q(to_doctor_id__isnull=True) & Q(to_unit_id__in=units))
    return Referral.objects.filter(mine, side__in=[Side.INCOMING, Side.INTERNAL], status__in=OPEN_INCOMING).count()
