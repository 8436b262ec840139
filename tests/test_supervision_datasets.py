"""Supervision data sets: a quarterly data set assigned by level and unit type, the due date
deciding on time or late, the lock date refusing entry and import rows (but not automatic
collection), reopening allowing entry until its end and refused to a member unit, the entry form's
content, and threshold alerts over GraphQL (a supervisor of another city sees nothing)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from jianlian.audit.models import AuditRecord
from jianlian.core.errors import DomainError, PermissionDeniedError
from modules.supervision import services
from modules.supervision.models import Approval, DataElement, DataValue, EntryReopening
from tests.factories import grant, make_user, member
from tests.worlds import gid as _gid
from tests.utils import error_code, gql

JAN = "2026-01"


def _codes(fn, *args, **kwargs):
    with pytest.raises(DomainError) as e:
        fn(*args, **kwargs)
    return [p.code for p in e.value.problems]


def _this_month() -> str:
    return timezone.localdate().strftime("%Y-%m")


@pytest.fixture
def w(supervision_world):
    return supervision_world


def _lockable(w, **extra):
    """A monthly data set of beds for members, due 3 and locked 5 days after the month."""
    return services.save_data_set(w.province, **{
        "code": "beds_monthly", "name": "床位月报", "period_type": "monthly", "elements": ["beds"],
        "levels": ["member"], "due_days": 3, "lock_days": 5, **extra})


# --- definitions and assignment ------------------------------------------------------------------

def test_a_quarterly_data_set_is_assigned_by_level_and_unit_type_and_stores_at_the_first_month(w):
    p = w.p
    # given bad definitions, every problem is reported at once
    assert _codes(services.save_data_set, w.province, code="Bad Code", name="x", elements=["beds"], levels=["member"]) == [
        "INVALID_CODE"]
    assert _codes(services.save_data_set, w.province, code="q1", name="季报", period_type="quarterly",
                  elements=["beds", "no_such"], levels=["ward"], unit_types=["castle"], due_days=10, lock_days=3) == [
        "UNKNOWN_ELEMENT", "INVALID_LEVEL", "INVALID_UNIT_TYPE", "INVALID"]
    with pytest.raises(PermissionDeniedError):  # only the province defines data sets
        services.save_data_set(w.city, code="city_set", name="市里的", elements=["beds"], levels=["member"])
    assert _codes(services.save_data_set, w.province, code="standard_monthly", name="标准月报", period_type="yearly",
                  elements=["beds"], levels=["member"]) == ["INVALID"]  # calls without a data set mean it, monthly
    # members report beds monthly (the standard set): they cannot report them quarterly as well
    assert _codes(services.save_data_set, w.province, code="q2", name="季报", period_type="quarterly", elements=["beds"],
                  levels=["member"]) == ["PERIOD_TYPE_CONFLICT"]
    # the province, cities and counties approve and read: no data set is theirs to report
    assert _codes(services.save_data_set, w.province, code="county_quarterly", name="县级季报", period_type="quarterly",
                  elements=["beds"], levels=["county"]) == ["INVALID_LEVEL"]

    # when the province defines a quarterly set for township centres
    DataElement.objects.create(code="township.follow_ups", name="基本公卫随访人次", value_type="integer", aggregation="sum",
                               max_value=100000)
    DataElement.objects.create(code="township.health_talks", name="健康讲座次数", value_type="integer", aggregation="sum")
    ds = services.save_data_set(w.province, code="township_quarterly", name="乡镇卫生院季报", period_type="quarterly",
                                elements=["township.follow_ups", "township.health_talks"], levels=["member"],
                                unit_types=["township_centre"], due_days=15, lock_days=30)
    assert AuditRecord.objects.filter(action="supervision.save_data_set", object_id="township_quarterly").exists()

    # then it is assigned to the members (township centres), not to the lead or the hospital
    def codes(unit):
        return {d.code for d in services.data_sets_for(unit)}

    assert codes(p.member_a1) == {"standard_monthly", "township_quarterly"}
    assert codes(p.lead_a) == codes(p.hospital) == {"standard_monthly"}
    assert codes(p.county_a) == set()
    quarterly = dict(name="乡镇卫生院季报", period_type="quarterly", elements=["township.follow_ups", "township.health_talks"],
                     levels=["member"], due_days=15)
    services.save_data_set(w.province, code="township_quarterly", unit_types=["community_centre"], **quarterly)
    assert "township_quarterly" not in codes(p.member_a1)  # a township centre is not a community centre
    services.save_data_set(w.province, code="township_quarterly", unit_types=[], **quarterly)

    # a quarter's value sits at its first month; a month is not a quarter; other units are refused
    this_quarter = f"{timezone.localdate().year}Q{(timezone.localdate().month - 1) // 3 + 1}"
    v = services.save_value(w.reporter, unit_id=p.member_a1.pk, element="township.follow_ups", period=this_quarter,
                            value=12, data_set="township_quarterly")
    assert v.period == services.parse_period(this_quarter).start
    assert _codes(services.save_value, w.reporter, unit_id=p.member_a1.pk, element="township.follow_ups", period=JAN,
                  value=1, data_set="township_quarterly") == ["INVALID_PERIOD"]
    assert _codes(services.save_value, w.reporter, unit_id=p.lead_a.pk, element="township.follow_ups",
                  period=this_quarter, value=1, data_set="township_quarterly") == ["NOT_ASSIGNED"]
    assert _codes(services.save_value, w.reporter, unit_id=p.member_a1.pk, element="visits", period=this_quarter, value=1,
                  option="outpatient", data_set="township_quarterly") == ["UNKNOWN_ELEMENT"]
    assert _codes(services.save_value, w.reporter, unit_id=p.member_a1.pk, element="beds", period=JAN, value=1,
                  data_set="no_such_set") == ["UNKNOWN_DATA_SET"]

    # completeness of the quarter lists only the units it is assigned to, approval is per data set
    services.submit(w.reporter, p.member_a1.pk, this_quarter, "township_quarterly")
    rows = {r["unit"].pk: r for r in services.completeness(w.county, p.county_a.pk, this_quarter, "township_quarterly")}
    assert set(rows) == {p.member_a1.pk, p.member_a2.pk}
    assert (rows[p.member_a1.pk]["complete"], rows[p.member_a1.pk]["values"]) == (True, 1)
    assert rows[p.member_a1.pk]["on_time"] is True  # the quarter has not even ended
    assert Approval.objects.get(unit=p.member_a1).data_set == ds
    # the standard monthly set of the same unit stays open; the quarter is locked
    services.save_value(w.reporter, unit_id=p.member_a1.pk, element="inpatient_admissions", period=_this_month(), value=13)
    assert _codes(services.save_value, w.reporter, unit_id=p.member_a1.pk, element="township.health_talks",
                  period=this_quarter, value=2, data_set="township_quarterly") == ["DATA_LOCKED"]


# --- due date and lock date ----------------------------------------------------------------------

def test_the_data_sets_due_date_decides_on_time_or_late(w):
    p = w.p
    standard = services.get_data_set(None)
    assert services.due_date(standard, services.parse_period(JAN)) == dt.date(2026, 2, 10)  # as DUE_DAY did
    assert services.lock_date(standard, services.parse_period(JAN)) is None  # the standard set never locks by date
    ds = _lockable(w, lock_days=None)
    assert services.due_date(ds, services.parse_period("2026-02")) == dt.date(2026, 3, 3)

    late = services.submit(w.reporter, p.member_a1.pk, JAN, "beds_monthly")  # due 2026-02-03, long gone
    on_time = services.submit(w.reporter, p.member_a1.pk, _this_month(), "beds_monthly")  # the month is not over
    assert (late.on_time, on_time.on_time) == (False, True)
    rows = {r["unit"].pk: r for r in services.completeness(w.county, p.lead_a.pk, _this_month(), "beds_monthly")}
    assert rows[p.member_a1.pk]["on_time"] is True and rows[p.member_a2.pk]["on_time"] is False
    assert p.lead_a.pk not in rows  # members only


def test_the_lock_date_refuses_entry_and_import_rows_but_not_automatic_collection(w):
    p = w.p
    _lockable(w)  # locked 5 days after each month
    assert _codes(services.save_value, w.reporter, unit_id=p.member_a1.pk, element="beds", period=JAN, value=3,
                  data_set="beds_monthly") == ["PERIOD_LOCKED"]
    services.save_value(w.reporter, unit_id=p.member_a1.pk, element="beds", period=_this_month(), value=3,
                        data_set="beds_monthly")  # the current month is open
    form = services.entry_form(w.reporter, "beds_monthly", p.member_a1.pk, JAN)
    assert (form["lock_reason"], form["lock_date"]) == ("PAST_LOCK_DATE", dt.date(2026, 2, 5))

    doc = json.dumps([{"unit": p.member_a1.pk, "element": "beds", "period": JAN, "value": 3, "dataSet": "beds_monthly"},
                      {"unit": p.member_a2.pk, "element": "beds", "period": JAN, "value": 3},  # the standard set: open
                      {"unit": p.member_a2.pk, "element": "beds", "period": _this_month(), "value": 4, "dataSet": "beds_monthly"}])
    r = services.import_values(w.reporter, "json", doc)
    assert (r.created, [(e["row"], e["code"]) for e in r.errors]) == (2, [(1, "PERIOD_LOCKED")])
    assert "已过锁定日期" in r.errors[0]["message"]

    # an app's counts arriving late are facts: only approval blocks them, never the lock date
    payload = {"period": "2025-12", "rows": [{"unit": p.member_a2.pk, "element": "beds", "value": "7"}]}
    assert services.apply_collected(p.tenant_a.schema_name, payload).created == 1
    services.submit(w.reporter, p.member_a2.pk, "2025-12", "beds_monthly")
    payload["rows"][0]["value"] = "8"
    assert [e["code"] for e in services.apply_collected(p.tenant_a.schema_name, payload).errors] == ["DATA_LOCKED"]
    assert DataValue.objects.get(unit=p.member_a2, element__code="beds", period=dt.date(2025, 12, 1)).value == 7


def test_reopening_allows_entry_until_its_end_and_is_refused_to_a_member_unit(w):
    from jianlian.notifications.models import Delivery
    from tenants.context import tenant_context

    p = w.p
    _lockable(w)
    # a member unit's own approver cannot reopen: it takes the community or above
    clerk = make_user("钱卫生院")
    member(clerk, p.tenant_a, p.member_a1)
    grant(clerk, "supervision_officer", p.member_a1, p.tenant_a)
    with pytest.raises(PermissionDeniedError):
        services.reopen_entry(clerk, data_set="beds_monthly", unit_id=p.member_a1.pk, period=JAN,
                              until=timezone.localdate(), reason="补报")
    with pytest.raises(PermissionDeniedError):  # nor a supervisor of another city
        other = make_user("吴市督")
        grant(other, "city_supervisor", p.city_b)
        services.reopen_entry(other, data_set="beds_monthly", unit_id=p.member_a1.pk, period=JAN,
                              until=timezone.localdate(), reason="补报")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    assert _codes(services.reopen_entry, w.officer, data_set="beds_monthly", unit_id=p.member_a1.pk, period=JAN,
                  until=yesterday, reason=" ") == ["INVALID_DATE", "REASON_REQUIRED"]

    # the community reopens January until today: entry is allowed, the reporters are told
    services.reopen_entry(w.officer, data_set="beds_monthly", unit_id=p.member_a1.pk, period=JAN,
                          until=timezone.localdate().isoformat(), reason="年报核对后补报")
    assert AuditRecord.objects.filter(action="supervision.reopen").exists()
    with tenant_context(p.tenant_a):
        assert Delivery.objects.filter(user_id=w.reporter.pk, notification__title="监管数据已重新开放填报").exists()
    v = services.save_value(w.reporter, unit_id=p.member_a1.pk, element="beds", period=JAN, value=9, data_set="beds_monthly")
    assert v.value == 9
    form = services.entry_form(w.reporter, "beds_monthly", p.member_a1.pk, JAN)
    assert (form["lock_reason"], form["reopened_until"]) == (None, timezone.localdate())
    # only that unit: its neighbour stays locked
    assert _codes(services.save_value, w.reporter, unit_id=p.member_a2.pk, element="beds", period=JAN, value=1,
                  data_set="beds_monthly") == ["PERIOD_LOCKED"]

    # once the reopening has ended, the lock date applies again
    EntryReopening.objects.update(until=yesterday)
    assert _codes(services.save_value, w.reporter, unit_id=p.member_a1.pk, element="beds", period=JAN, value=10,
                  data_set="beds_monthly") == ["PERIOD_LOCKED"]
    # the county may reopen too (above the community), and a submission still locks a reopened period
    services.reopen_entry(w.county, data_set="beds_monthly", unit_id=p.member_a1.pk, period=JAN,
                          until=timezone.localdate() + dt.timedelta(days=7), reason="再次补报")
    services.submit(w.reporter, p.member_a1.pk, JAN, "beds_monthly")
    assert _codes(services.save_value, w.reporter, unit_id=p.member_a1.pk, element="beds", period=JAN, value=10,
                  data_set="beds_monthly") == ["DATA_LOCKED"]


# --- the entry form ------------------------------------------------------------------------------

FORM = """query($unit: ID!, $period: String!) {
  supervisionReportingUnits { id name }
  supervisionEntryForm(dataSet: "standard_monthly", unit: $unit, period: $period) {
    dataSet { code periodType } unit { name } period dueDate lockDate locked lockReason canReport step
    rows { element { code name topic topicLabel } minValue maxValue cells { option label value comment isOutlier } }
    violations { code left right } } }"""
REOPEN = """mutation($unit: ID!, $until: String!) { reopenSupervisionEntry(input: {dataSet: "beds_monthly", unit: $unit,
  period: "2026-01", until: $until, reason: "补报"}) { until errors { field code } } }"""


def test_the_entry_form_shows_the_rows_values_outliers_rules_and_the_lock(w, client):
    p = w.p
    tenant = {"HTTP_X_TENANT": p.tenant_a.slug}
    w.put(p.member_a2, "beds", JAN, 6000, comment="新院区启用")
    w.put(p.member_a2, "visits", JAN, 120, "outpatient")
    w.put(p.member_a2, "inpatient_admissions", JAN, 10)
    w.put(p.member_a2, "discharges", JAN, 200000, "male")  # > admissions + beds × 31

    _s, body = gql(client, FORM, {"unit": _gid(p.member_a2), "period": JAN}, user=w.reporter, **tenant)
    assert "errors" not in body, body
    units = {u["name"] for u in body["data"]["supervisionReportingUnits"]}
    assert units == {p.lead_a.name, p.member_a1.name, p.member_a2.name}
    form = body["data"]["supervisionEntryForm"]
    assert form["dataSet"] == {"code": "standard_monthly", "periodType": "MONTHLY"}
    assert (form["period"], form["dueDate"], form["lockDate"], form["locked"], form["lockReason"], form["canReport"],
            form["step"]) == ("2026-01", "2026-02-10", None, False, None, True, "OPEN")
    rows = {r["element"]["code"]: r for r in form["rows"]}
    assert len(rows) == len(services.get_data_set(None).elements.all())
    # grouped under topics in the monitoring set's order (not by code), the catalogue's order within one
    codes = list(rows)
    topics = [r["element"]["topicLabel"] for r in form["rows"]]
    assert list(dict.fromkeys(topics)) == ["门急诊与医技", "住院与手术", "床位与人员", "收入与医保基金", "慢病管理与公共卫生",
                                           "人口与家庭医生签约", "双向转诊"]
    assert codes[:3] == ["visits", "resident_visits_total", "examinations"]
    assert [c for c in codes if rows[c]["element"]["topic"] == "RESOURCES"] == ["beds", "staff"]
    assert all(c.startswith("referrals.") for c in codes[-7:])
    _s, en = gql(client, FORM, {"unit": _gid(p.member_a2), "period": JAN}, user=w.reporter, HTTP_ACCEPT_LANGUAGE="en", **tenant)
    assert en["data"]["supervisionEntryForm"]["rows"][0]["element"]["topicLabel"] == "Visits, examinations and tests"
    assert rows["beds"]["maxValue"] == 5000 and rows["beds"]["cells"] == [
        {"option": "", "label": "", "value": 6000.0, "comment": "新院区启用", "isOutlier": True}]
    assert rows["visits"]["cells"] == [
        {"option": "outpatient", "label": "门诊", "value": 120.0, "comment": "", "isOutlier": False},
        {"option": "emergency", "label": "急诊", "value": None, "comment": "", "isOutlier": False}]
    assert [v["code"] for v in form["violations"]] == ["discharges_within_capacity"]

    # submitted: the form is locked, with its reason
    services.submit(w.reporter, p.member_a2.pk, JAN)
    _s, body = gql(client, FORM, {"unit": _gid(p.member_a2), "period": JAN}, user=w.reporter, **tenant)
    form = body["data"]["supervisionEntryForm"]
    assert (form["locked"], form["lockReason"], form["step"]) == (True, "SUBMITTED", "SUBMITTED")
    # another county's unit is not the reporter's to see
    _s, body = gql(client, FORM, {"unit": _gid(p.member_b1), "period": JAN}, user=w.reporter, **tenant)
    assert error_code(body) == "PERMISSION_DENIED"

    # data sets over GraphQL: defined by the province, listed per unit, reopened by the community
    save = """mutation($levels: [String!]!) { saveSupervisionDataSet(input: {code: "beds_monthly", name: "床位月报",
      periodType: MONTHLY, elements: ["beds"], levels: $levels, dueDays: 3, lockDays: 5}) {
      dataSet { code lockDays elements { code } } errors { field code } } }"""
    _s, body = gql(client, save, {"levels": ["ward"]}, user=w.province)
    assert body["data"]["saveSupervisionDataSet"]["errors"] == [{"field": "levels", "code": "INVALID_LEVEL"}], body
    _s, body = gql(client, save, {"levels": ["member"]}, user=w.province)
    assert body["data"]["saveSupervisionDataSet"] == {
        "dataSet": {"code": "beds_monthly", "lockDays": 5, "elements": [{"code": "beds"}]}, "errors": []}, body
    _s, body = gql(client, save, {"levels": ["member"]}, user=w.city)
    assert error_code(body) == "PERMISSION_DENIED"
    _s, body = gql(client, 'query($u: ID) { supervisionDataSets(unit: $u) { code periodType } }', {"u": _gid(p.lead_a)},
                   user=w.reporter, **tenant)
    assert body["data"]["supervisionDataSets"] == [{"code": "standard_monthly", "periodType": "MONTHLY"}], body
    _s, body = gql(client, REOPEN, {"unit": _gid(p.member_a1), "until": timezone.localdate().isoformat()}, user=w.officer, **tenant)
    assert body["data"]["reopenSupervisionEntry"] == {"until": timezone.localdate().isoformat(), "errors": []}, body
    _s, body = gql(client, REOPEN, {"unit": _gid(p.member_a1), "until": "someday"}, user=w.county)
    assert body["data"]["reopenSupervisionEntry"]["errors"] == [{"field": "until", "code": "INVALID_DATE"}], body


# --- alerts over GraphQL -------------------------------------------------------------------------

SAVE_ALERT = """mutation($node: ID!, $threshold: String!) { saveSupervisionAlert(input: {indicator: "emergency_share",
  node: $node, operator: ">", threshold: $threshold, active: true}) {
  alert { id indicator { code } node { name } operator threshold active } errors { field code } } }"""
ALERTS = """query($node: ID!) { supervisionAlerts(node: $node) { indicator { code } threshold active }
  supervisionAlertFirings(node: $node, period: "2026-01") { alert { indicator { code } } node { name level } period value } }"""


def test_alerts_are_saved_and_their_firings_seen_over_graphql_and_another_city_sees_nothing(w, client):
    p = w.p
    # the county supervisor works on the province console
    _s, body = gql(client, SAVE_ALERT, {"node": _gid(p.county_a), "threshold": "x"}, user=w.county)
    assert body["data"]["saveSupervisionAlert"]["errors"] == [{"field": "threshold", "code": "INVALID_VALUE"}], body
    _s, body = gql(client, SAVE_ALERT, {"node": _gid(p.county_a), "threshold": "50"}, user=w.county)
    saved = body["data"]["saveSupervisionAlert"]
    assert saved["errors"] == [] and saved["alert"]["threshold"] == 50.0 and saved["alert"]["active"] is True, body
    _s, body = gql(client, SAVE_ALERT, {"node": _gid(p.county_a), "threshold": "60"}, user=w.county)  # the same alert, changed
    assert body["data"]["saveSupervisionAlert"]["alert"]["id"] == saved["alert"]["id"]
    _s, body = gql(client, SAVE_ALERT, {"node": _gid(p.county_b), "threshold": "50"}, user=w.county)
    assert error_code(body) == "PERMISSION_DENIED"

    w.put(p.member_a1, "visits", JAN, 10, "outpatient")
    w.put(p.member_a1, "visits", JAN, 90, "emergency")  # 90 % > 60 %
    services.rollup([services.parse_month(JAN)])

    _s, body = gql(client, ALERTS, {"node": _gid(p.county_a)}, user=w.county)
    assert "errors" not in body, body
    assert body["data"]["supervisionAlerts"] == [{"indicator": {"code": "emergency_share"}, "threshold": 60.0, "active": True}]
    firings = body["data"]["supervisionAlertFirings"]
    assert {(f["node"]["level"], f["period"], f["value"]) for f in firings} == {("COUNTY", JAN, 90.0), ("LEAD", JAN, 90.0)}
    _s, body = gql(client, ALERTS, {"node": _gid(p.city_a)}, user=w.city)  # the city sees its county's alerts
    assert len(body["data"]["supervisionAlertFirings"]) == 2, body

    ningbo = make_user("吴市督")
    grant(ningbo, "city_supervisor", p.city_b)
    for node in (p.county_a, p.city_a, p.root):
        _s, body = gql(client, ALERTS, {"node": _gid(node)}, user=ningbo)
        assert error_code(body) == "PERMISSION_DENIED", node.name
    _s, body = gql(client, ALERTS, {"node": _gid(p.city_b)}, user=ningbo)
    assert body["data"] == {"supervisionAlerts": [], "supervisionAlertFirings": []}, body
