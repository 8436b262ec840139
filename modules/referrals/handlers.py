"""Bus handlers (the other tenant's steps of a referral, applied here once and in order) and the
hand-over handler; the manifest names both, the platform registers them."""


def on_transition(message):
    from modules.referrals.services import apply_remote

    apply_remote(message.sender, message.payload)


def hand_over_referrals(from_user_id, to_user_id, *, reason, event_id=None) -> int:
    """A receiving doctor who moves or leaves hands their open referrals to the successor (or the
    head of department) that the organisation named, so none waits on an empty desk."""
    from jianlian.identity.models import User
    from modules.referrals.models import Referral, Side, Status

    successor = User.objects.filter(pk=to_user_id).values_list("real_name", flat=True).first() or ""
    open_statuses = [Status.REQUESTED, Status.RECEIVED, Status.ACCEPTED, Status.BOOKED, Status.ARRIVED]
    return Referral.objects.filter(to_doctor_id=from_user_id, side__in=[Side.INCOMING, Side.INTERNAL],
                                   status__in=open_statuses).update(to_doctor_id=to_user_id, to_doctor_name=successor)
