"""Bus handlers: values a tenant collected, applied in the public schema once."""

from jianlian import bus


@bus.register_handler("supervision.values")
def on_values(message):
    from modules.supervision.collection import apply_collected

    apply_collected(message.sender, message.payload)
