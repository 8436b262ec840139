"""Bus handlers: the other tenant's steps of a referral, applied here once and in order."""

from jianlian import bus


@bus.register_handler("referrals.transition")
def on_transition(message):
    from modules.referrals.services import apply_remote

    apply_remote(message.sender, message.payload)
