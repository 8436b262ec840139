"""Supervision online: formulas, disaggregated sums, last-value aggregation, validation rules and
outlier comments, import with bad rows, approval and unapproval with locking, a unit moved between
communities keeping its history, the referrals app's counts arriving through the bus,
percentages recomputed at every level, and supervisors limited to their own subtree (on the
province console, which the module's console fields serve)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from jianlian.audit.models import AuditRecord
from jianlian.core.errors import DomainError, PermissionDeniedError
from jianlian.hierarchy.models import OrgUnit
from jianlian.hierarchy.services import move_unit
from jianlian.marketplace import services as market
from modules.supervision import formulas, services
from modules.supervision.models import Approval, DataValue, Indicator, Step
from tests.factories import grant, make_user, member
from tests.utils import error_code, gql
from tests.worlds import FEB, JAN, MAR, gid as _gid

def _codes(fn, *args, **kwargs):
    with pytest.raises(DomainError) as e:
        fn(*args, **kwargs)
    return [p.code for p in e.value.problems]


@pytest.fixture
def w(supervision_world):
    return supervision_world


# --- formulas ------------------------------------------------------------------------------------

def test_formulas_evaluate_safely_and_are_validated_when_saved(w):
    f = services.check_formula("100 * (#{visits.emergency} + 1) / #{visits}", "numerator")  # read with the catalogue
    values = {("visits", "emergency"): 9, ("visits", ""): 50}
    assert f.evaluate(lambda r: values[(r.element, r.option)]) == 20.0
    assert formulas.parse("#{a} / #{b}").evaluate(lambda r: 0) is None  # division by zero: no value
    assert formulas.parse("#{a} + #{b}").evaluate(lambda r: None) is None  # no data at all
    assert formulas.parse("#{beds} * [days]").evaluate(lambda r: 10, days=31) == 310
    for bad in ['__import__("os").system("id")', "#{a} ** 2", "open", "#{a}.real", "(lambda: 1)()", "#{a} +", "#{a@ward}"]:
        with pytest.raises(formulas.FormulaError):
            formulas.parse(bad)

    # given the catalogue, unknown elements and options are refused on save, each field reported
    codes = _codes(services.save_indicator, w.province, code="bad_one", name="坏指标", numerator="#{no_such_element}",
                   denominator="#{visits.inpatient}", factor=100, source="测试")
    assert codes == ["INVALID_FORMULA", "INVALID_FORMULA"]
    assert _codes(services.save_indicator, w.province, code="x", name="", numerator="1", source="", factor=7) == [
        "INVALID_CODE"]
    ind = services.save_indicator(w.province, code="emergency_per_1000", name="每千门急诊急诊人次",
                                  numerator="#{visits.emergency}", denominator="#{visits}", factor=1000, source="测试口径")
    assert ind.pk and AuditRecord.objects.filter(action="supervision.save_indicator").exists()
    with pytest.raises(PermissionDeniedError):  # only the province defines indicators
        services.save_indicator(w.city, code="c1", name="市里的", numerator="1", source="x")


def test_the_national_set_is_preloaded_with_the_source_of_every_definition(w):
    names = set(Indicator.objects.values_list("name", flat=True))
    for name in ("基层诊疗量占县域内总诊疗量比例", "上转患者人次", "下转患者人次", "牵头医院下转患者数量占比", "县域内住院人次占比",
                 "县域就诊率", "慢病患者基层管理率", "家庭医生签约服务覆盖率", "远程诊断服务量", "医保基金县域内支出占比"):
        assert name in names
    assert not Indicator.objects.filter(source="").exists()
    for ind in Indicator.objects.all():  # every preloaded formula parses against the catalogue
        services.check_formula(ind.numerator, "numerator")
        services.check_formula(ind.denominator, "denominator")


# --- aggregation ---------------------------------------------------------------------------------

def test_disaggregated_values_sum_by_option_and_in_total_up_the_tree(w):
    p = w.p
    w.put(p.member_a1, "visits", JAN, 300, "outpatient")
    w.put(p.member_a1, "visits", JAN, 20, "emergency")
    w.put(p.member_a2, "visits", JAN, 100, "outpatient")
    w.put(p.lead_a, "visits", JAN, 1000, "outpatient")
    w.put(p.lead_a, "visits", JAN, 80, "emergency")
    assert _codes(w.put, p.member_a1, "visits", JAN, 5) == ["UNKNOWN_CATEGORY"]  # a disaggregated element needs its option
    assert _codes(w.put, p.member_a1, "visits", JAN, 5, "ward") == ["UNKNOWN_CATEGORY"]
    assert w.agg(p.member_a1, JAN, "#{visits}") == 320
    assert w.agg(p.lead_a, JAN, "#{visits.emergency}") == 100
    assert w.agg(p.lead_a, JAN, "#{visits.outpatient}") == 1400
    for node in (p.lead_a, p.county_a, p.city_a, p.root):
        assert w.agg(node, JAN, "#{visits}") == 1500
    assert w.agg(p.lead_a, JAN, "#{visits@member}") == 420  # primary-care units only
    assert w.agg(p.county_b, JAN, "#{visits}") is None  # another county has no data


def test_last_value_elements_take_the_last_month_of_a_longer_period_and_sum_over_units(w):
    p = w.p
    for period, a1, a2 in ((JAN, 10, 5), (FEB, 12, 5), (MAR, 15, 6)):
        w.put(p.member_a1, "beds", period, a1)
        w.put(p.member_a2, "beds", period, a2)
        w.put(p.member_a1, "inpatient_admissions", period, 30)
    assert w.agg(p.lead_a, FEB, "#{beds}") == 17
    assert w.agg(p.lead_a, "2026Q1", "#{beds}") == 21  # stocks: March's beds, not 53
    assert w.agg(p.county_a, "2026", "#{beds}") == 21
    assert w.agg(p.lead_a, "2026Q1", "#{inpatient_admissions}") == 90  # flows are summed


def test_percentages_are_recomputed_from_aggregated_parts_at_every_level_never_averaged(w):
    p = w.p
    w.put(p.member_a1, "visits", JAN, 9, "outpatient")
    w.put(p.member_a1, "visits", JAN, 1, "emergency")  # 10 %
    w.put(p.member_a2, "visits", JAN, 10, "outpatient")
    w.put(p.member_a2, "visits", JAN, 90, "emergency")  # 90 %
    expected = round(91 / 110 * 100, 4)  # 82.7273, not the 50 % an average of the two would give
    board = services.dashboard(w.province, p.root.pk, JAN)
    assert [r["node"].pk for r in board["rows"]] == [p.root.pk] + [c.pk for c in p.root.get_children()]
    for node in (p.lead_a, p.county_a, p.city_a, p.root):
        rows = services.dashboard(w.province, node.pk, JAN)["rows"]
        [share] = [v for v in rows[0]["values"] if v["indicator"].code == "emergency_share"]
        assert share["value"] == expected, node.name
    rows = services.dashboard(w.province, p.lead_a.pk, JAN)["rows"]
    by_unit = {r["node"].pk: next(v["value"] for v in r["values"] if v["indicator"].code == "emergency_share") for r in rows}
    assert by_unit[p.member_a1.pk] == 10.0 and by_unit[p.member_a2.pk] == 90.0


# --- entry rules ---------------------------------------------------------------------------------

def test_validation_rules_and_outlier_values_that_need_a_comment(w):
    p = w.p
    assert _codes(w.put, p.member_a1, "beds", JAN, 6000) == ["OUTLIER_COMMENT_REQUIRED"]
    v = w.put(p.member_a1, "beds", JAN, 6000, comment="新院区启用，床位数据待核")
    assert v.is_outlier and v.comment
    assert _codes(w.put, p.member_a1, "beds", JAN, "十") == ["INVALID_VALUE"]
    assert _codes(w.put, p.member_a1, "beds", JAN, "1.5") == ["INVALID_VALUE"]
    assert _codes(w.put, p.member_a1, "beds", "2026-13", 1) == ["INVALID_PERIOD"]
    with pytest.raises(PermissionDeniedError):  # 象山's unit is not 桐庐's to report
        w.put(p.member_b1, "beds", JAN, 1)

    w.put(p.member_a2, "beds", JAN, 1)
    w.put(p.member_a2, "inpatient_admissions", JAN, 10)
    w.put(p.member_a2, "discharges", JAN, 20, "male")
    w.put(p.member_a2, "discharges", JAN, 30, "female")  # 50 > 10 + 1 × 31
    [violation] = services.run_validation(w.reporter, p.member_a2.pk, JAN)
    assert (violation["rule"].code, violation["left"], violation["right"]) == ("discharges_within_capacity", 50, 41)
    w.put(p.member_a2, "discharges", JAN, 5, "female")  # 25 ≤ 41
    assert services.run_validation(w.reporter, p.member_a2.pk, JAN) == []


def test_import_reports_bad_rows_writes_good_ones_and_is_idempotent(w):
    p = w.p
    OrgUnit.objects.filter(pk=p.member_a1.pk).update(credit_code="12330122MB0000001X")
    csv_text = "\ufeffunit,element,option,period,value,comment\n" + "\n".join([
        "12330122MB0000001X,visits,outpatient,2026-01,120,",   # 1 good
        "12330122MB0000001X,visits,emergency,2026-01,8,",      # 2 good
        "NO-SUCH-UNIT,visits,outpatient,2026-01,1,",           # 3 unknown unit
        "12330122MB0000001X,no_such,,2026-01,1,",              # 4 unknown element
        "12330122MB0000001X,beds,,2026-1x,1,",                 # 5 bad period
        "12330122MB0000001X,beds,,2026-01,abc,",               # 6 not a number
        "12330122MB0000001X,beds,,2026-01,9000,",              # 7 outlier without comment
        f"{p.member_b1.pk},beds,,2026-01,3,",                  # 8 another county's unit
        "12330122MB0000001X,beds,,2026-01,40,",                # 9 good
    ])
    r = services.import_values(w.reporter, "csv", csv_text)
    assert (r.created, r.updated, r.unchanged) == (3, 0, 0)
    assert [(e["row"], e["code"]) for e in r.errors] == [
        (3, "UNKNOWN_UNIT"), (4, "UNKNOWN_ELEMENT"), (5, "INVALID_PERIOD"), (6, "INVALID_VALUE"),
        (7, "OUTLIER_COMMENT_REQUIRED"), (8, "PERMISSION_DENIED")]
    again = services.import_values(w.reporter, "csv", csv_text)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert DataValue.objects.filter(unit=p.member_a1).count() == 3

    doc = json.dumps([{"unit": "12330122MB0000001X", "element": "beds", "period": "2026-01", "value": 42}])
    r = services.import_values(w.reporter, "json", doc)
    assert (r.created, r.updated, r.errors) == (0, 1, [])
    assert _codes(services.import_values, w.reporter, "json", "{not json") == ["INVALID_IMPORT"]
    assert _codes(services.import_values, w.reporter, "xml", "<a/>") == ["INVALID_IMPORT"]

    # The same rows from an Excel workbook (Base64), a bad row among them.
    import base64
    import io as _io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["unit", "element", "option", "period", "value", "comment"])
    sheet.append(["12330122MB0000001X", "beds", None, "2026-01", 43, None])
    sheet.append(["12330122MB0000001X", "beds", None, "2026-13", 1, None])
    buffer = _io.BytesIO()
    book.save(buffer)
    r = services.import_values(w.reporter, "xlsx", base64.b64encode(buffer.getvalue()).decode())
    assert (r.updated, [(e["row"], e["code"]) for e in r.errors]) == (1, [(2, "INVALID_PERIOD")])
    assert DataValue.objects.get(unit=p.member_a1, element__code="beds", period="2026-01-01").value == 43
    assert _codes(services.import_values, w.reporter, "xlsx", base64.b64encode(b"not a workbook").decode()) == ["INVALID_IMPORT"]


# --- approval ------------------------------------------------------------------------------------

def test_approval_goes_up_the_tree_locks_the_data_and_unapproval_needs_a_reason(w):
    from jianlian.notifications.models import Delivery
    from tenants.context import tenant_context

    p = w.p
    w.put(p.member_a1, "beds", JAN, 10)
    with pytest.raises(PermissionDeniedError):
        services.submit(p.users["doctor"], p.member_a1.pk, JAN)
    a = services.submit(w.reporter, p.member_a1.pk, JAN)
    assert a.step == Step.SUBMITTED and a.submitted_at and a.on_time is False  # due by 2026-02-10; today is later
    assert _codes(w.put, p.member_a1, "beds", JAN, 11) == ["DATA_LOCKED"]
    w.put(p.member_a1, "beds", FEB, 11)  # another month stays open
    with tenant_context(p.tenant_a):  # the community's approvers were told
        assert Delivery.objects.filter(user_id=w.officer.pk).exists()

    with pytest.raises(PermissionDeniedError):  # the county cannot skip the community
        services.approve(w.county, p.member_a1.pk, JAN)
    assert services.approve(w.officer, p.member_a1.pk, JAN).step == Step.COMMUNITY
    assert services.approve(w.county, p.member_a1.pk, JAN).step == Step.COUNTY
    with pytest.raises(PermissionDeniedError):  # 宁波's supervisor has nothing to say about 桐庐
        other = make_user("吴市督")
        grant(other, "city_supervisor", p.city_b)
        services.approve(other, p.member_a1.pk, JAN)
    assert services.approve(w.city, p.member_a1.pk, JAN).step == Step.CITY
    assert services.approve(w.province, p.member_a1.pk, JAN).step == Step.PROVINCE
    assert _codes(services.approve, w.province, p.member_a1.pk, JAN) == ["ILLEGAL_APPROVAL"]
    r = services.import_values(w.reporter, "json", json.dumps([{"unit": p.member_a1.pk, "element": "beds", "period": JAN, "value": 1}]))
    assert [e["code"] for e in r.errors] == ["DATA_LOCKED"]

    assert _codes(services.unapprove, w.province, p.member_a1.pk, JAN, "") == ["REASON_REQUIRED"]
    assert services.unapprove(w.province, p.member_a1.pk, JAN, "床位数与年报不符").step == Step.CITY
    for by in (w.city, w.county, w.officer):
        services.unapprove(by, p.member_a1.pk, JAN, "床位数与年报不符")
    assert Approval.objects.get(unit=p.member_a1, period=dt.date(2026, 1, 1)).step == Step.SUBMITTED
    assert _codes(w.put, p.member_a1, "beds", JAN, 11) == ["DATA_LOCKED"]  # still submitted
    services.unapprove(w.officer, p.member_a1.pk, JAN, "请核对后重新上报")
    assert w.put(p.member_a1, "beds", JAN, 12).value == 12  # reopened
    approval = Approval.objects.get(unit=p.member_a1, period=dt.date(2026, 1, 1))
    assert [e.action for e in approval.events.all()] == ["submit"] + ["approve"] * 4 + ["unapprove"] * 5
    assert AuditRecord.objects.filter(action="supervision.unapprove").count() == 5
    with tenant_context(p.tenant_a):  # the reporters heard of the return
        assert Delivery.objects.filter(user_id=w.reporter.pk, notification__title="监管数据被退回").exists()


# --- history across moves ------------------------------------------------------------------------

def test_a_unit_moved_to_another_community_keeps_its_past_data_under_the_old_one(w):
    p = w.p
    w.put(p.member_a2, "inpatient_admissions", JAN, 7)
    move_unit(None, p.member_a2, p.lead_b, "划归象山医共体")
    w.put(p.member_a1, "inpatient_admissions", JAN, 1)
    # a late report for January, written after the move, still goes where the unit was then
    services.import_values(w.province, "json", "[]")
    late = services.path_at(OrgUnit.objects.get(pk=p.member_a2.pk), dt.date(2026, 1, 1))
    assert p.lead_a.pk in late and p.lead_b.pk not in late
    now = services.path_at(OrgUnit.objects.get(pk=p.member_a2.pk), dt.date.today().replace(day=1))
    assert p.lead_b.pk in now and p.lead_a.pk not in now

    assert w.agg(p.lead_a, JAN, "#{inpatient_admissions}") == 8
    assert w.agg(p.city_a, JAN, "#{inpatient_admissions}") == 8
    assert w.agg(p.lead_b, JAN, "#{inpatient_admissions}") is None
    assert w.agg(p.city_b, JAN, "#{inpatient_admissions}") is None


# --- automatic collection ------------------------------------------------------------------------

def test_the_referrals_apps_counts_arrive_automatically_through_the_bus(transactional_db, unique):
    from jianlian.bus import relay
    from modules.supervision.tasks import collect
    from tests.worlds import ReferralWorld

    services.ensure_standard_set()
    rw = ReferralWorld(unique(""))
    market.install(None, rw.p.tenant_a, "supervision")
    out = rw.refer_up()
    month = out.submitted_at.date().replace(day=1)
    period = month.strftime("%Y-%m")
    relay.run_once()  # the referral reaches 浙江省人民医院 (no supervision app there: nothing collected)

    sent = collect.apply(kwargs={"period": period, "_schema_name": rw.p.tenant_a.schema_name}).get()
    assert sent >= 1
    assert not DataValue.objects.exists()  # only the outbox row so far
    relay.run_once()
    v = DataValue.objects.get(unit=rw.p.member_a1, element__code="referrals.up", period=month)
    assert (v.value, v.origin, v.source_tenant) == (1, "auto", rw.p.tenant_a.schema_name)
    assert rw.p.lead_a.pk in v.path

    collect.apply(kwargs={"period": period, "_schema_name": rw.p.tenant_a.schema_name}).get()  # the next run
    relay.run_once()
    assert DataValue.objects.get(unit=rw.p.member_a1, element__code="referrals.up", period=month).value == 1  # idempotent
    # the task runs only where the app is installed
    assert collect.apply(kwargs={"period": period, "_schema_name": rw.p.tenant_b.schema_name}).get() is None


# --- permissions and the province console -------------------------------------------------------

DASHBOARD = """query($unit: ID!, $period: String!) { supervisionDashboard(unit: $unit, period: $period) {
  period rows { unitName level indicators { code value numerator denominator } } } }"""


def test_supervisors_see_their_own_subtree_on_the_province_console_and_another_city_sees_nothing(w, client):
    p = w.p
    w.put(p.member_a1, "visits", JAN, 9, "outpatient")
    w.put(p.member_a1, "visits", JAN, 1, "emergency")
    # the province console has no tenant: the dashboard is a console field and checks permissions itself
    _s, body = gql(client, DASHBOARD, {"unit": _gid(p.city_a), "period": JAN}, user=w.city)
    assert "errors" not in body, body
    [share] = [i for i in body["data"]["supervisionDashboard"]["rows"][0]["indicators"] if i["code"] == "emergency_share"]
    assert share["value"] == 10.0

    ningbo = make_user("吴市督")
    grant(ningbo, "city_supervisor", p.city_b)
    for node in (p.city_a, p.county_a, p.lead_a, p.member_a1, p.root):
        _s, body = gql(client, DASHBOARD, {"unit": _gid(node), "period": JAN}, user=ningbo)
        assert error_code(body) == "PERMISSION_DENIED", node.name
    with pytest.raises(PermissionDeniedError):
        services.completeness(ningbo, p.lead_a.pk, JAN)
    rows = services.dashboard(ningbo, p.city_b.pk, JAN)["rows"]
    assert all(v["value"] is None for r in rows for v in r["values"])  # nothing of 杭州's data shows up

    # a unit sees its own, in its tenant; in a tenant without the app the fields stay closed
    _s, body = gql(client, DASHBOARD, {"unit": _gid(p.lead_a), "period": JAN}, user=w.reporter, HTTP_X_TENANT=p.tenant_a.slug)
    assert "errors" not in body, body
    _s, body = gql(client, DASHBOARD, {"unit": _gid(p.lead_b), "period": JAN}, user=p.users["doctor_b"], HTTP_X_TENANT=p.tenant_b.slug)
    assert error_code(body) == "APP_NOT_INSTALLED"


def test_completeness_and_timeliness_per_unit(w):
    p = w.p
    w.put(p.member_a1, "beds", JAN, 3)
    services.submit(w.reporter, p.member_a1.pk, JAN)
    rows = {r["unit"].pk: r for r in services.completeness(w.county, p.county_a.pk, JAN)}
    assert set(rows) == {p.lead_a.pk, p.member_a1.pk, p.member_a2.pk}
    assert (rows[p.member_a1.pk]["complete"], rows[p.member_a1.pk]["values"]) == (True, 1)
    assert rows[p.member_a2.pk]["complete"] is False and rows[p.member_a2.pk]["on_time"] is False


SUBMIT = """mutation($unit: ID!) { supervisionApproval(input: {unit: $unit, period: "2026-01", action: UNAPPROVE}) {
  approval { step } errors { field code message } } }"""


def test_graphql_unapproval_without_a_reason_is_a_payload_error(w, client):
    p = w.p
    services.submit(w.reporter, p.member_a1.pk, JAN)
    _s, body = gql(client, SUBMIT, {"unit": _gid(p.member_a1)}, user=w.officer, HTTP_X_TENANT=p.tenant_a.slug)
    assert body["data"]["supervisionApproval"]["errors"][0]["code"] == "REASON_REQUIRED", body


ENTRY = """mutation($unit: ID!) { saveSupervisionValue(input: {unit: $unit, element: "beds", period: "2026-01", value: "3"}) {
  ok errors { code } } }"""


def test_only_the_manifests_console_fields_skip_the_installation_gate_on_the_console(w, client):
    p = w.p
    # entry is a tenant's business: on the province console it stays closed like any module field
    _s, body = gql(client, ENTRY, {"unit": _gid(p.member_a1)}, user=w.province)
    assert error_code(body) == "APP_NOT_INSTALLED"
    _s, body = gql(client, ENTRY, {"unit": _gid(p.member_a1)}, user=w.reporter, HTTP_X_TENANT=p.tenant_a.slug)
    assert body["data"]["saveSupervisionValue"] == {"ok": True, "errors": []}, body
    # the console fields are still gated in a tenant that has not installed the app
    _s, body = gql(client, DASHBOARD, {"unit": _gid(p.lead_b), "period": JAN}, user=w.province, HTTP_X_TENANT=p.tenant_b.slug)
    assert error_code(body) == "APP_NOT_INSTALLED"
    # and every name the manifest lists is one of the module's gated root fields
    from graphene.utils.str_converters import to_camel_case

    from jianlian.api.schema import GATED_FIELDS
    from jianlian.marketplace.manifest import get

    names = {k.split(".", 1)[1] for k, key in GATED_FIELDS.items() if key == "supervision"}
    assert {to_camel_case(n) for n in get("supervision").console_fields} <= names


def test_the_rollup_gives_every_node_what_computing_from_the_values_gives_and_goes_stale_on_writes(w):
    p = w.p
    w.put(p.member_a1, "visits", JAN, 9, "outpatient")
    w.put(p.member_a1, "visits", JAN, 1, "emergency")
    w.put(p.member_a2, "visits", JAN, 10, "outpatient")
    w.put(p.member_a2, "visits", JAN, 90, "emergency")
    w.put(p.member_a1, "referrals.median_accept_minutes", JAN, 10)
    w.put(p.member_a2, "referrals.median_accept_minutes", JAN, 30)
    month = services.parse_period(JAN)
    nodes = [OrgUnit.objects.get(pk=n.pk) for n in (p.member_a1, p.lead_a, p.county_a, p.city_a, p.root, p.city_b)]
    computed = {n.pk: services.compute_aggregate(n, month) for n in nodes}
    assert services.rollup() == [dt.date(2026, 1, 1)]
    assert services.rollup() == []  # nothing stale any more
    for n in nodes:
        assert services.aggregate(n, month) == computed[n.pk], n.name
    assert w.agg(p.root, JAN, "#{referrals.median_accept_minutes}") == 20  # an average stays an average
    assert w.agg(p.county_a, JAN, "100 * #{visits.emergency} / #{visits}") == round(91 / 110 * 100, 4)

    w.put(p.member_a2, "visits", JAN, 20, "outpatient")  # the month is stale: reads come from the values again
    assert w.agg(p.root, JAN, "#{visits}") == 120
    services.rollup()
    assert w.agg(p.root, JAN, "#{visits}") == 120


def test_a_tenant_cannot_send_values_for_units_it_does_not_own(w):
    p = w.p
    payload = {"period": JAN, "rows": [{"unit": p.member_a1.pk, "element": "referrals.up", "value": "5"},
                                       {"unit": p.member_b1.pk, "element": "referrals.up", "value": "2"},
                                       {"unit": p.member_b1.pk, "element": "no_such", "value": "2"},
                                       {"unit": p.member_b1.pk, "element": "referrals.down", "value": "x"}]}
    r = services.apply_collected(p.tenant_b.schema_name, payload)  # 象山 speaks only for its own units
    assert (r.created, [e["code"] for e in r.errors]) == (1, ["UNKNOWN_UNIT", "UNKNOWN_ELEMENT", "INVALID_VALUE"])
    assert not DataValue.objects.filter(unit=p.member_a1).exists()
    assert services.apply_collected(p.tenant_b.schema_name, payload).unchanged == 1  # applied twice: no change


VALUES = """query($unit: ID!) { supervisionValues(unit: $unit, period: "2026-01") { element option value comment isOutlier origin }
  supervisionApprovals(unit: $unit, period: "2026-01") { unitId step } }"""
RULE = """mutation($left: String!) { saveSupervisionRule(input: {code: "beds_positive", name: "床位数为正", left: $left,
  operator: ">", right: "0"}) { code errors { field code } } }"""
APPROVE = """mutation($unit: ID!, $action: SupervisionApprovalAction!) {
  supervisionApproval(input: {unit: $unit, period: "2026-01", action: $action}) { approval { step } errors { code } } }"""


def test_entry_the_approval_queue_and_rules_over_graphql(w, client):
    p = w.p
    tenant = {"HTTP_X_TENANT": p.tenant_a.slug}
    w.put(p.member_a1, "beds", JAN, 6000, comment="新院区")
    _s, body = gql(client, APPROVE, {"unit": _gid(p.member_a1), "action": "SUBMIT"}, user=w.reporter, **tenant)
    assert body["data"]["supervisionApproval"] == {"approval": {"step": "SUBMITTED"}, "errors": []}, body
    _s, body = gql(client, APPROVE, {"unit": _gid(p.member_a1), "action": "APPROVE"}, user=w.officer, **tenant)
    assert body["data"]["supervisionApproval"]["approval"]["step"] == "COMMUNITY", body
    # the county bureau works on the province console: its queue and its step
    _s, body = gql(client, VALUES, {"unit": _gid(p.member_a1)}, user=w.county)
    assert body["data"]["supervisionValues"] == [
        {"element": "beds", "option": "", "value": 6000.0, "comment": "新院区", "isOutlier": True, "origin": "manual"}], body
    assert body["data"]["supervisionApprovals"] == [{"unitId": p.member_a1.pk, "step": "COMMUNITY"}]
    _s, body = gql(client, APPROVE, {"unit": _gid(p.member_a1), "action": "APPROVE"}, user=w.county)
    assert body["data"]["supervisionApproval"]["approval"]["step"] == "COUNTY", body
    _s, body = gql(client, VALUES, {"unit": _gid(p.member_a1)}, user=p.users["doctor_b"])
    assert error_code(body) == "PERMISSION_DENIED"
    _s, body = gql(client, """query($unit: ID!) { supervisionCompleteness(unit: $unit, period: "2026-01") {
      unitId complete onTime step values } }""", {"unit": _gid(p.lead_a)}, user=w.county)
    rows = {r["unitId"]: r for r in body["data"]["supervisionCompleteness"]}
    assert rows[p.member_a1.pk] == {"unitId": p.member_a1.pk, "complete": True, "onTime": False, "step": "COUNTY", "values": 1}
    assert rows[p.member_a2.pk]["step"] == "OPEN"

    _s, body = gql(client, RULE, {"left": "#{beds"}, user=w.province)
    assert body["data"]["saveSupervisionRule"]["errors"] == [{"field": "left", "code": "INVALID_FORMULA"}], body
    _s, body = gql(client, RULE, {"left": "#{beds}"}, user=w.province)
    assert body["data"]["saveSupervisionRule"] == {"code": "beds_positive", "errors": []}, body
    _s, body = gql(client, RULE, {"left": "#{beds}"}, user=w.city)
    assert error_code(body) == "PERMISSION_DENIED"


def test_a_move_during_a_month_rehomes_that_months_values_at_the_next_rollup_and_leaves_history(w):
    p = w.p
    this_month = dt.date.today().replace(day=1).strftime("%Y-%m")
    w.put(p.member_a2, "inpatient_admissions", JAN, 7)
    w.put(p.member_a2, "inpatient_admissions", this_month, 3)  # entered before the move
    move_unit(None, p.member_a2, p.lead_b, "划归象山医共体")
    services.rollup()
    assert w.agg(p.lead_b, this_month, "#{inpatient_admissions}") == 3  # the month ends under the new community
    assert w.agg(p.lead_a, this_month, "#{inpatient_admissions}") is None
    assert w.agg(p.lead_a, JAN, "#{inpatient_admissions}") == 7  # history stays
    assert w.agg(p.city_b, JAN, "#{inpatient_admissions}") is None


# --- threshold alerts ----------------------------------------------------------------------------

def test_a_threshold_alert_tells_the_supervisors_once_per_node_and_month(w):
    from jianlian.notifications.models import Delivery, Notification
    from modules.supervision.models import AlertFiring

    p = w.p
    assert _codes(services.save_alert, w.county, indicator="no_such", node_id=p.county_a.pk, operator="~", threshold="x") == [
        "UNKNOWN_INDICATOR", "INVALID_OPERATOR", "INVALID_VALUE"]
    with pytest.raises(PermissionDeniedError):  # 象山 is not his county
        services.save_alert(w.county, indicator="emergency_share", node_id=p.county_b.pk, operator=">", threshold=50)
    services.save_alert(w.county, indicator="emergency_share", node_id=p.county_a.pk, operator=">", threshold=50)
    w.put(p.member_a1, "visits", JAN, 10, "outpatient")
    w.put(p.member_a1, "visits", JAN, 90, "emergency")  # 90 % at 桐庐's community and county
    before = Notification.objects.count()
    services.rollup([services.parse_month(JAN)])
    fired = list(AlertFiring.objects.values_list("node__level", flat=True).order_by("node__level"))
    assert fired == ["county", "lead"]
    notes = Notification.objects.order_by("pk")[before:]
    assert len(notes) == 2 and all("指标预警" in n.title for n in notes)
    assert set(Delivery.objects.filter(notification__in=notes).values_list("user_id", flat=True)) == {w.county.pk}
    services.rollup([services.parse_month(JAN)])  # again: nothing new is sent
    assert Notification.objects.count() == before + 2
