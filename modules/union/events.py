"""The union's webhook events for external apps (the HRP, the higher-level union's system),
through the marketplace's external-app contract (`jianlian.marketplace.external.emit`): an external
app installed in the tenant that lists the event in its manifest's `webhooks` gets a signed POST
`{"id", "event", "tenant", "data"}`, retried through the bus. Each is queued in the caller's
transaction, so it goes out only if the change commits.

| event | data |
| --- | --- |
| `union.member_joined` | member, user_id, name, node, node_name, at |
| `union.member_left` | member, user_id, name, node, node_name, reason, at |
| `union.survey_closed` | survey, title, node, node_name, anonymous, closes_at, responses |
| `union.lottery_drawn` | screening, title, node, node_name, show_at, tickets, entries, winners, seed |
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from modules.union.types import gid

MEMBER_JOINED = "union.member_joined"
MEMBER_LEFT = "union.member_left"
SURVEY_CLOSED = "union.survey_closed"
LOTTERY_DRAWN = "union.lottery_drawn"


def emit(event: str, data: dict) -> int:
    from jianlian.marketplace.external import emit as external_emit
    from tenants.context import current_tenant

    return external_emit(current_tenant(), event, data)


def _node(node) -> dict:
    return {"node": gid("UnionNode", node.pk), "node_name": node.name}


def member_changed(member, event: str) -> int:
    data = {"member": gid("UnionMember", member.pk), "user_id": member.user_id, "name": member.name, **_node(member.node)}
    if event == MEMBER_LEFT:
        data.update(reason=member.left_reason, at=member.left_at.isoformat())
    else:
        data["at"] = member.joined_at.isoformat()
    return emit(event, data)


def lottery_drawn(screening) -> int:
    entries = screening.entries.count()
    won = screening.entries.filter(won=True).values_list("member__user_id", flat=True)
    return emit(LOTTERY_DRAWN, {"screening": gid("UnionScreening", screening.pk), "title": screening.title,
                                **_node(screening.node), "show_at": screening.show_at.isoformat(),
                                "tickets": screening.tickets, "entries": entries, "winners": sorted(won),
                                "seed": screening.seed})


def announce_closed_surveys(now=None) -> int:
    """Send `union.survey_closed` once for every survey past its closing time (the beat task;
    `SurveyClosedSent` makes a re-run or a concurrent run send nothing twice). Returns how many."""
    from modules.union.extras_models import SurveyClosedSent
    from modules.union.survey_models import Survey

    now = now or timezone.now()
    sent = 0
    for survey in Survey.objects.filter(closes_at__lte=now).exclude(
            pk__in=SurveyClosedSent.objects.values("survey_id")).select_related("node").order_by("pk")[:500]:
        try:
            with transaction.atomic():
                SurveyClosedSent.objects.create(survey=survey)
                emit(SURVEY_CLOSED, {"survey": gid("UnionSurvey", survey.pk), "title": survey.title, **_node(survey.node),
                                     "anonymous": survey.anonymous, "closes_at": survey.closes_at.isoformat(),
                                     "responses": survey.taken.count()})
        except IntegrityError:
            continue  # another run announced it
        sent += 1
    return sent
