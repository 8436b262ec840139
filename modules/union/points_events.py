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

The learning centre's own event is consumed as it is published (registered in apps.py):
`learning.quiz_completed` {"user_id", "campaign_title", "correct", "total", "score",
"idempotency_key", …} — a quiz with at least half its answers right counts as passed.
"""

from __future__ import annotations

from modules.union import points

LEARNING_QUIZ_COMPLETED = "learning.quiz_completed"


def points_award(message) -> None:
    payload = message.payload or {}
    user_id, key, rule = payload.get("user_id"), str(payload.get("key") or ""), payload.get("rule")
    if not user_id or not key:
        return  # nothing to award: a malformed message is acknowledged, not retried forever
    if rule == "reading":
        points.award_reading(int(user_id), key)
    elif rule == "quiz":
        points.award_quiz(int(user_id), key, bool(payload.get("passed")), str(payload.get("title") or ""))


def learning_quiz_completed(message) -> None:
    """Quiz points for a finished 每日一答 / campaign session, once per session (its key)."""
    from jianlian.marketplace.services import is_installed
    from tenants.context import current_tenant

    if not is_installed(current_tenant(), "union"):
        return  # this tenant has no union: nothing to award, and nothing to retry
    payload = message.payload or {}
    user_id, key = payload.get("user_id"), str(payload.get("idempotency_key") or "")
    if not user_id or not key:
        return
    total, correct = int(payload.get("total") or 0), int(payload.get("correct") or 0)
    points.award_quiz(int(user_id), key, total > 0 and correct * 2 >= total, str(payload.get("campaign_title") or ""))
