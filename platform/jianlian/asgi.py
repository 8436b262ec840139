"""ASGI entry point: HTTP through Django, WebSocket through Channels (subscriptions, issue 3)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianlian.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter  # noqa: E402

from jianlian.core.observability import wrap_asgi  # noqa: E402

application = wrap_asgi(ProtocolTypeRouter({"http": django_asgi_app}))
