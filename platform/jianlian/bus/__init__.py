"""Cross-tenant messages: a transactional outbox in the sender's schema, a relay, and an inbox in
the receiver's schema that applies each message exactly once, in order within a conversation.

    from jianlian import bus

    with transaction.atomic():
        referral.save()
        bus.send(target_tenant, "referrals.created", {"referral": referral.pk}, conversation=referral.pk)

    @bus.register_handler("referrals.created")
    def on_referral_created(message):
        ...  # runs in the receiver's schema

See services.py (the API), relay.py (delivery, ordering, acks, retries) and models.py.
"""

# The API is imported lazily: this package is imported while Django loads its apps, before models
# may be touched.
_API = {
    "send": "jianlian.bus.services",
    "register_handler": "jianlian.bus.services",
    "handler_for": "jianlian.bus.services",
    "dead_letters": "jianlian.bus.services",
    "replay": "jianlian.bus.services",
    "acknowledged": "jianlian.bus.services",
    "run_once": "jianlian.bus.relay",
}

__all__ = list(_API)


def __getattr__(name):
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'jianlian.bus' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(module), name)
