"""Points from other apps, through the bus (manifest `bus_handlers`). The bus only lets an app
handle its own message types, so other apps send `union.points_award` to their own tenant
(`jianlian.bus.services.send(tenant, "union.points_award", payload)`) when something worth
points happens — the learning centre when a quiz or exam is finished, announcements when a
必读 article is read:

    {"user_id": 42, "rule": "quiz" | "reading", "key": "learning:attempt:1234",
     "passed": true, "title": "院感知识竞赛"}

`key` names the event in the sender's terms and is the award's idempotency key, so a message
re-delivered or replayed from the dead letters lands once. Each handler runs once per message in
the receiving tenant's schema.
"""

from __future__ import annotations

from modules.union import points


def points_award(message) -> None:
    payload = message.payload or {}
    user_id, key, rule = payload.get("user_id"), str(payload.get("key") or ""), payload.get("rule")
    if not user_id or not key:
        return  # nothing to award: a malformed message is acknowledged, not retried forever
    if rule == "reading":
        points.award_reading(int(user_id), key)
    elif rule == "quiz":
        points.award_quiz(int(user_id), key, bool(payload.get("passed")), str(payload.get("title") or ""))
