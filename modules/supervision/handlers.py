"""Bus handlers (named in the manifest): values a tenant collected, applied in the public schema once."""


def on_values(message):
    from modules.supervision.collection import apply_collected

    apply_collected(message.sender, message.payload)
