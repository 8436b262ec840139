"""Events for real-time subscribers, published only after the write that caused them commits.

An event goes to groups, and every group name starts with the tenant's schema, so an event can
never reach another tenant's subscribers. A subscriber gets an event only if it passes the
event's permission check (`perm` at `node`), done on the server before anything is sent.

    publish("notifications.received", {...}, groups=[user_group(user_id)],
            perm="platform.use", node_id=unit_id)
"""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection, transaction

logger = logging.getLogger("jianlian.realtime")

MESSAGE_TYPE = "jl.event"


def _schema(schema: str | None) -> str:
    return schema or getattr(connection, "schema_name", "public")


def tenant_group(schema: str | None = None) -> str:
    return f"{_schema(schema)}.all"


def user_group(user_id: int, schema: str | None = None) -> str:
    return f"{_schema(schema)}.user.{user_id}"


def unit_group(unit_id: int, schema: str | None = None) -> str:
    return f"{_schema(schema)}.unit.{unit_id}"


def department_group(department_id: int, schema: str | None = None) -> str:
    return f"{_schema(schema)}.dept.{department_id}"


def send_now(name: str, payload: dict, *, groups: list[str], perm: str | None = None, node_id: int | None = None) -> bool:
    """Send immediately (for events that describe no database write, such as job progress).
    Returns False when the channel layer could not take it (logged, never raised)."""
    layer = get_channel_layer()
    if layer is None:
        return False
    send = async_to_sync(layer.group_send)
    ok = True
    for group in dict.fromkeys(groups):
        message = {"type": MESSAGE_TYPE, "group": group, "name": name, "payload": payload, "perm": perm, "node": node_id}
        try:
            send(group, message)
        except Exception:  # Redis down: live delivery is best effort; the data itself is committed
            logger.warning("could not publish %s to %s", name, group, exc_info=True)
            ok = False
    return ok


def publish(name: str, payload: dict, *, groups: list[str], perm: str | None = None, node_id: int | None = None) -> None:
    """Announce `name` to `groups` once the current transaction commits (at once outside one).

    Who: actions (services) after they write. `payload` must be JSON-serialisable and carry only
    what every permitted subscriber may see. Emits one channel-layer message per group.
    """
    transaction.on_commit(lambda: send_now(name, payload, groups=groups, perm=perm, node_id=node_id))
