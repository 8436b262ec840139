"""Supervision online, the workbench's views: trends equal to the roll-up (read in a constant
number of queries), heat maps that show a late unit as late, the approval queue offering only the
steps the reader may take and the step timeline, the Excel export of the league table, and a
supervisor of another city refused everywhere."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.utils import timezone
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from jianlian.core.errors import PermissionDeniedError
from jianlian.hierarchy.models import OrgUnit
from modules.supervision import services
from modules.supervision.models import Step
from tests.factories import grant, make_user, member
from tests.worlds import FEB, JAN, MAR, gid as _gid
from tests.utils import error_code, gql, token_for


@pytest.fixture
def w(supervision_world):
    return supervision_world


def _share(w, unit, period, outpatient, emergency):
    w.put(unit, "visits", period, outpatient, "outpatient")
    w.put(unit, "visits", period, emergency, "emergency")


def _fresh(node):
    return OrgUnit.objects.get(pk=node.pk)


def _ningbo():
    other = make_user("吴市督")
    grant(other, "city_supervisor", OrgUnit.objects.get(name="宁波市卫生健康委员会"))
    return other


# --- trends ----------------------------------------------------------------------------------------

def test_the_trend_gives_each_months_rolled_up_indicator_in_a_constant_number_of_queries(w):
    p = w.p
    # given three months of data; January and February rolled up, March written after (stale)
    _share(w, p.member_a1, JAN, 9, 1)
    _share(w, p.member_a2, JAN, 10, 90)
    _share(w, p.member_a1, FEB, 30, 10)
    services.rollup()
    _share(w, p.member_a2, MAR, 3, 1)

    # when the county's trend is read over a year ending in March
    data = services.trend(w.county, p.county_a.pk, ["emergency_share", "referrals_up"], MAR, 12)

    # then each month equals what the dashboard (the roll-up) says, and months without data are empty
    assert data["months"][0] == "2025-04" and data["months"][-3:] == [JAN, FEB, MAR]
    [share, _up] = data["series"]
    for month, value in zip(data["months"], share["values"]):
        expected = next(v["value"] for v in services.dashboard(w.county, p.county_a.pk, month)["rows"][0]["values"]
                        if v["indicator"].code == "emergency_share")
        assert value == expected, month
    assert share["values"][-3:] == [round(91 / 110 * 100, 4), 25.0, 25.0] and share["values"][0] is None
    # a leaf unit (no aggregate rows of its own) reads its values
    assert services.trend(w.county, p.member_a1.pk, ["emergency_share"], FEB, 2)["series"][0]["values"] == [10.0, 25.0]

    # and the year costs no more queries than a quarter
    def count(months):
        with CaptureQueriesContext(connection) as ctx:
            services.trend(w.county, p.county_a.pk, None, MAR, months)
        return len(ctx.captured_queries)

    assert count(12) == count(3) <= 10


TREND = """query($unit: ID!) { supervisionTrend(unit: $unit, indicators: ["emergency_share"], until: "2026-02", months: 2) {
  months series { code name values } } }"""


def test_the_trend_over_graphql_on_the_province_console(w, client):
    p = w.p
    _share(w, p.member_a1, FEB, 30, 10)
    _s, body = gql(client, TREND, {"unit": _gid(p.city_a)}, user=w.city)
    assert body["data"]["supervisionTrend"] == {"months": [JAN, FEB], "series": [
        {"code": "emergency_share", "name": body["data"]["supervisionTrend"]["series"][0]["name"], "values": [None, 25.0]}]}, body
    _s, body = gql(client, TREND.replace("emergency_share", "no_such"), {"unit": _gid(p.city_a)}, user=w.city)
    assert error_code(body) == "UNKNOWN_INDICATOR", body


# --- completeness and timeliness -----------------------------------------------------------------

def test_the_heat_map_shows_a_late_unit_as_late_and_an_early_one_as_on_time(w):
    p = w.p
    last = services.last_month().strftime("%Y-%m")  # due on the 10th of this month
    w.put(p.member_a1, "beds", JAN, 3)
    services.submit(w.reporter, p.member_a1.pk, JAN)  # January was due on 2026-02-10: late
    w.put(p.member_a1, "beds", last, 3)
    services.submit(w.reporter, p.member_a1.pk, last)

    data = services.heatmap(w.county, p.lead_a.pk, JAN, last)
    assert data["months"][0] == JAN and data["months"][-1] == last
    rows = {r["node"].pk: dict(zip(data["months"], r["cells"])) for r in data["rows"]}
    assert list(rows) == [p.lead_a.pk, p.member_a1.pk, p.member_a2.pk]  # the community reports too
    assert rows[p.member_a1.pk][JAN] == {"expected": 1, "submitted": 1, "on_time": 0, "late": 1, "missing": 0}
    assert rows[p.member_a1.pk][last]["on_time"] == 1
    assert rows[p.member_a2.pk][JAN]["missing"] == 1  # past its due date, never submitted
    due = services.due_at(services.get_data_set(None), services.parse_month(last))
    assert services.unit_status(None, due, timezone.now()) in ("pending", "missing")

    # a year costs the queries a month costs (the due dates are worked out once per month)
    def queries(first):
        with CaptureQueriesContext(connection) as ctx:
            services.heatmap(w.county, p.county_a.pk, first, last)
        return len(ctx.captured_queries)

    assert queries(services.months_back(services.parse_month(last), 12)[0].strftime("%Y-%m")) == queries(last)

    # one level up the community is one row counting its three reporting units
    county = services.heatmap(w.county, p.county_a.pk, "2026Q1", "2026Q1")
    [row] = county["rows"]
    assert county["months"] == [JAN, FEB, MAR]
    assert row["node"].pk == p.lead_a.pk and row["cells"][0] == {"expected": 3, "submitted": 1, "on_time": 0, "late": 1, "missing": 2}


HEATMAP = """query($unit: ID!) { supervisionHeatmap(unit: $unit, periodFrom: "2026-01", periodTo: "2026-02") {
  months rows { unit { name } cells { period expected late completeness timeliness } } } }"""


def test_the_heat_map_over_graphql_gives_rates(w, client):
    p = w.p
    services.submit(w.reporter, p.member_a1.pk, JAN)
    _s, body = gql(client, HEATMAP, {"unit": _gid(p.county_a)}, user=w.county)
    [row] = body["data"]["supervisionHeatmap"]["rows"]
    assert row["cells"][0] == {"period": JAN, "expected": 3, "late": 1, "completeness": 33.3, "timeliness": 0.0}, body


# --- the approval queue and the timeline -----------------------------------------------------------

QUEUE = """query($unit: ID!) { supervisionApprovalQueue(unit: $unit, period: "2026-01") {
  unit { unitId } step onTime nextStep canApprove canUnapprove } }"""
EVENTS = """query($unit: ID!) { supervisionApprovalEvents(unit: $unit, period: "2026-01") {
  action fromStep toStep actorName reason } }"""


def test_the_queue_offers_only_the_steps_the_reader_may_take_and_the_timeline_shows_them(w, client):
    p = w.p
    tenant = {"HTTP_X_TENANT": p.tenant_a.slug}
    services.submit(w.reporter, p.member_a1.pk, JAN)

    def queue(user, node, **headers):
        _s, body = gql(client, QUEUE, {"unit": _gid(node)}, user=user, **headers)
        assert "errors" not in body, body
        return {r["unit"]["unitId"]: r for r in body["data"]["supervisionApprovalQueue"]}

    # the community's approver, in the tenant, may approve the submitted unit, not the open one
    rows = queue(w.officer, p.lead_a, **tenant)
    assert rows[p.member_a1.pk] == {"unit": {"unitId": p.member_a1.pk}, "step": "SUBMITTED", "onTime": False,
                                    "nextStep": "COMMUNITY", "canApprove": True, "canUnapprove": True}
    assert rows[p.member_a2.pk]["step"] == "OPEN" and not rows[p.member_a2.pk]["canApprove"]
    # the county, on the console, waits for the community
    assert not queue(w.county, p.county_a)[p.member_a1.pk]["canApprove"]
    services.approve(w.officer, p.member_a1.pk, JAN)
    rows = queue(w.county, p.county_a)
    assert (rows[p.member_a1.pk]["canApprove"], rows[p.member_a1.pk]["canUnapprove"]) == (True, True)
    assert not queue(w.officer, p.lead_a, **tenant)[p.member_a1.pk]["canApprove"]  # the community's step is taken
    services.unapprove(w.county, p.member_a1.pk, JAN, "门诊人次与上月差异过大")

    _s, body = gql(client, EVENTS, {"unit": _gid(p.member_a1)}, user=w.county)
    assert [(e["action"], e["fromStep"], e["toStep"]) for e in body["data"]["supervisionApprovalEvents"]] == [
        ("submit", "OPEN", "SUBMITTED"), ("approve", "SUBMITTED", "COMMUNITY"), ("unapprove", "COMMUNITY", "SUBMITTED")]
    assert body["data"]["supervisionApprovalEvents"][-1]["reason"] == "门诊人次与上月差异过大"
    assert body["data"]["supervisionApprovalEvents"][-1]["actorName"] == w.county.real_name


def test_the_queue_reads_every_unit_in_a_bounded_number_of_queries(w):
    p = w.p
    for unit in (p.member_a1, p.member_a2):
        services.submit(w.reporter, unit.pk, JAN)
    with CaptureQueriesContext(connection) as ctx:
        rows = services.approval_queue(w.county, p.county_a.pk, JAN)
    assert len(rows) == 3 and len(ctx.captured_queries) < 25, len(ctx.captured_queries)
    paths = services.paths_at([p.member_a1.pk, p.lead_a.pk], services.parse_month(JAN))
    assert paths[p.member_a1.pk] == services.path_at(_fresh(p.member_a1), services.parse_month(JAN))


LOCKS = """query($unit: ID!, $dataSet: String) { supervisionApprovalQueue(unit: $unit, period: "2026-01", dataSet: $dataSet) {
  unit { unitId } lockReason lockDate reopenedUntil canReopen } }"""


def test_the_queue_says_which_units_are_locked_by_date_and_who_may_reopen_them(w, client):
    p = w.p
    tenant = {"HTTP_X_TENANT": p.tenant_a.slug}
    # given a data set of members locked 5 days after each month, January long past
    services.save_data_set(w.province, code="beds_monthly", name="床位月报", period_type="monthly", elements=["beds"],
                           levels=["member"], due_days=3, lock_days=5)
    clerk = make_user("钱卫生院")  # an approver at a member unit: below its community
    member(clerk, p.tenant_a, p.member_a1)
    grant(clerk, "supervision_officer", p.member_a1, p.tenant_a)

    def queue(user, node, data_set="beds_monthly", **headers):
        _s, body = gql(client, LOCKS, {"unit": _gid(node), "dataSet": data_set}, user=user, **headers)
        assert "errors" not in body, body
        return {r["unit"]["unitId"]: r for r in body["data"]["supervisionApprovalQueue"]}

    # then both members are locked by date, and the community's approver and the county may reopen them
    rows = queue(w.officer, p.lead_a, **tenant)
    assert rows[p.member_a1.pk] == {"unit": {"unitId": p.member_a1.pk}, "lockReason": "PAST_LOCK_DATE",
                                    "lockDate": "2026-02-05", "reopenedUntil": None, "canReopen": True}
    assert queue(w.county, p.county_a)[p.member_a2.pk]["canReopen"]
    assert not queue(clerk, p.member_a1, **tenant)[p.member_a1.pk]["canReopen"]  # a member's own approver may not

    # when the community reopens one and the other submits, the queue says so
    until = timezone.localdate() + dt.timedelta(days=3)
    services.reopen_entry(w.officer, data_set="beds_monthly", unit_id=p.member_a1.pk, period=JAN, until=until, reason="补报")
    services.reopen_entry(w.officer, data_set="beds_monthly", unit_id=p.member_a2.pk, period=JAN, until=until, reason="补报")
    services.submit(w.reporter, p.member_a2.pk, JAN, "beds_monthly")
    rows = queue(w.officer, p.lead_a, **tenant)
    assert (rows[p.member_a1.pk]["lockReason"], rows[p.member_a1.pk]["reopenedUntil"]) == (None, until.isoformat())
    assert rows[p.member_a1.pk]["canReopen"]  # the reopening may be extended
    assert (rows[p.member_a2.pk]["lockReason"], rows[p.member_a2.pk]["canReopen"]) == ("SUBMITTED", False)
    # the standard set never locks by date
    standard = queue(w.officer, p.lead_a, None, **tenant)
    assert {(r["lockReason"], r["lockDate"], r["canReopen"]) for r in standard.values()} == {(None, None, False)}

    # and the locks cost the same few queries however many units were reopened
    def count():
        with CaptureQueriesContext(connection) as ctx:
            services.approval_queue(w.county, p.county_a.pk, JAN, "beds_monthly")
        return len(ctx.captured_queries)

    count()  # the first read also loads the reader's grants
    before = count()
    services.reopen_entry(w.county, data_set="beds_monthly", unit_id=p.member_a2.pk, period=JAN, until=until, reason="再补")
    assert count() == before < 25


# --- scope, drill-down, export and another city ----------------------------------------------------

NODE = """query($unit: ID!) { supervisionNode(unit: $unit) { node { name } ancestors { name } children { unitId } } }
"""
SCOPE = "query { supervisionScope { nodes { unitId level } canApprove } }"


def test_scope_and_drill_down_follow_the_readers_grants(w, client):
    p = w.p
    _s, body = gql(client, SCOPE, user=w.city)
    assert body["data"]["supervisionScope"] == {"nodes": [{"unitId": p.city_a.pk, "level": "city"}], "canApprove": True}
    _s, body = gql(client, SCOPE, user=w.officer, HTTP_X_TENANT=p.tenant_a.slug)
    assert body["data"]["supervisionScope"]["nodes"] == [{"unitId": p.lead_a.pk, "level": "lead"}]
    _s, body = gql(client, NODE, {"unit": _gid(p.lead_a)}, user=w.city)
    view = body["data"]["supervisionNode"]
    assert [a["name"] for a in view["ancestors"]] == [p.city_a.name, p.county_a.name]  # not the province above him
    assert {c["unitId"] for c in view["children"]} == {p.member_a1.pk, p.member_a2.pk}


def test_the_export_is_an_xlsx_with_the_league_table(w, client):
    p = w.p
    _share(w, p.member_a1, JAN, 9, 1)   # 10 %
    _share(w, p.member_a2, JAN, 10, 90)  # 90 %
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_for(w.county)}"}
    response = client.get(f"/apps/supervision/export/?unit={_gid(p.lead_a)}&period={JAN}&indicator=emergency_share", **auth)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["排名", "全部指标", "完整性与及时性"]
    rows = list(book["排名"].iter_rows(values_only=True))
    assert rows[1][:4] == ("排名", "单位", "层级", "指标值")
    assert [r[:2] for r in rows[2:]] == [(1, p.member_a2.name), (2, p.member_a1.name)]
    assert rows[2][3] == 90.0 and rows[3][3] == 10.0
    assert any(r[0] == p.member_a1.name for r in book["完整性与及时性"].iter_rows(values_only=True))

    # a bad period is a clear error; without a token nothing
    bad = client.get(f"/apps/supervision/export/?unit={_gid(p.lead_a)}&period=2026-13&indicator=emergency_share", **auth)
    assert bad.status_code == 400 and bad.json()["errors"][0]["extensions"]["code"] == "INVALID_PERIOD"
    assert client.get(f"/apps/supervision/export/?unit={p.lead_a.pk}&period={JAN}&indicator=emergency_share").status_code == 401


def test_a_supervisor_of_another_city_is_refused_every_view(w, client):
    p = w.p
    _share(w, p.member_a1, JAN, 9, 1)
    ningbo = _ningbo()
    for fn, args in ((services.trend, (None, JAN, 12)), (services.heatmap, (JAN, JAN)),
                     (services.approval_queue, (JAN,)), (services.approval_events, (JAN,)),
                     (services.node_view, ()), (services.league, (JAN, "emergency_share"))):
        for node in (p.city_a, p.lead_a, p.member_a1):
            with pytest.raises(PermissionDeniedError):
                fn(ningbo, node.pk, *args)
    for query in (TREND, HEATMAP, QUEUE, EVENTS, NODE):
        _s, body = gql(client, query, {"unit": _gid(p.city_a)}, user=ningbo)
        assert error_code(body) == "PERMISSION_DENIED", query
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_for(ningbo)}"}
    response = client.get(f"/apps/supervision/export/?unit={_gid(p.city_a)}&period={JAN}&indicator=emergency_share", **auth)
    assert response.status_code == 403 and response.json()["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    # his own city's views answer, with none of 杭州's numbers
    _s, body = gql(client, SCOPE, user=ningbo)
    assert body["data"]["supervisionScope"]["nodes"] == [{"unitId": p.city_b.pk, "level": "city"}]
    assert services.trend(ningbo, p.city_b.pk, ["emergency_share"], JAN, 1)["series"][0]["values"] == [None]


# --- the demo's year -----------------------------------------------------------------------------

def test_the_demo_year_fills_the_dashboard_keeps_the_rules_and_is_written_once(w):
    from modules.supervision.demo import seed_year
    from modules.supervision.models import Approval, DataValue

    p = w.p
    written = seed_year()
    assert written > 0 and not DataValue.objects.filter(is_outlier=True).exists()
    assert seed_year() == 0  # the year is there: nothing again
    last = services.last_month().strftime("%Y-%m")
    data = services.trend(w.province, p.root.pk, ["primary_visit_share", "family_doctor_coverage"], last, 12)
    assert all(v is not None for s in data["series"] for v in s["values"])
    for unit in (p.member_a1, p.lead_a, p.hospital):
        assert services.run_validation(w.province, unit.pk, last) == [], unit.name
    assert Approval.objects.filter(step=Step.PROVINCE).exists() and Approval.objects.filter(on_time=False).exists()
    heat = services.heatmap(w.province, p.root.pk, last, last)
    assert sum(c["submitted"] for r in heat["rows"] for c in r["cells"]) > 0
