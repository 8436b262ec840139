"""Completeness is one rule: the dashboard's per-unit list, the approval queue and the heat map
count the same units the same way (they used to disagree about a unit that moved away after
reporting: the list counted it under its old community, the heat map did not)."""

from __future__ import annotations

from jianlian.hierarchy.models import OrgUnit
from jianlian.hierarchy.services import move_unit
from modules.supervision import services
from tests.test_supervision import JAN, w  # noqa: F401 — the fixture


def _heat_totals(data) -> tuple[str, dict]:
    [month] = data["months"]
    totals = {"expected": 0, "submitted": 0, "on_time": 0, "late": 0, "missing": 0}
    for row in data["rows"]:
        for key, n in row["cells"][0].items():
            totals[key] += n
    return month, totals


def test_the_dashboard_the_queue_and_the_heat_map_count_a_unit_that_moved_away_alike(w):
    p = w.p
    # given 石门 reported and submitted January under 桐庐, then moved to 象山's community
    w.put(p.member_a2, "beds", JAN, 4)
    services.submit(w.reporter, p.member_a2.pk, JAN)
    move_unit(None, OrgUnit.objects.get(pk=p.member_a2.pk), OrgUnit.objects.get(pk=p.lead_b.pk), "划归象山医共体")

    for node in (p.county_a, p.lead_a):
        # when the county supervisor reads January three ways
        listed = services.completeness(w.county, node.pk, JAN)
        queue = services.approval_queue(w.county, node.pk, JAN)
        month, heat = _heat_totals(services.heatmap(w.county, node.pk, JAN, JAN))

        # then all three count 桐庐's lead, 分水 and the centre that reported there in January
        assert {r["unit"].pk for r in listed} == {r["unit"].pk for r in queue} == {p.lead_a.pk, p.member_a1.pk, p.member_a2.pk}
        assert month == JAN
        assert heat["expected"] == len(listed) == 3
        assert heat["submitted"] == sum(r["complete"] for r in listed) == 1
        assert heat["on_time"] == sum(r["on_time"] for r in listed) == 0

    # and on the county's heat map the centre's January counts in its old community's row
    heat = services.heatmap(w.county, p.county_a.pk, JAN, JAN)
    assert [(r["node"].pk, r["cells"][0]["expected"]) for r in heat["rows"]] == [(p.lead_a.pk, 3)]
