"""Supervision online in real browsers against the real server: a community's approver, in the
tenant, approves one unit's month and returns another's with a reason (seeing each step change
and the timeline); a province supervisor, on the province console, opens the dashboard, sees the
trend chart, the league table and the heat map, and drills down from the province to a county
and back. The approver also reopens a unit's period of a data set that is past its lock date
(a reason and a date required), and the supervisor adds a threshold alert on the dashboard, sees
it listed beside one that has fired, and switches it off."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from modules.supervision import services
from modules.supervision.models import Alert, Approval, EntryReopening
from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD, grant, make_user
from tests.worlds import SupervisionWorld as World

pytestmark = pytest.mark.django_db(transaction=True)


def _year_of_values(w: World) -> str:
    """Twelve months of visits for every unit of both communities, rolled up; the units of
    桐庐 submit last month. Returns last month ("2026-11")."""
    p = w.p
    reporter_b = make_user("象山统计")
    grant(reporter_b, "tenant_admin", p.lead_b, p.tenant_b)
    last = services.last_month()
    months = [last]
    for _i in range(11):
        months.append(services.last_month(months[-1]))
    rows_a, rows_b = [], []
    for n, month in enumerate(sorted(months)):
        period = month.strftime("%Y-%m")
        for rows, unit, base in ((rows_a, p.lead_a, 3000), (rows_a, p.member_a1, 1500), (rows_a, p.member_a2, 900),
                                 (rows_b, p.lead_b, 4000), (rows_b, p.member_b1, 700)):
            rows.append({"unit": unit.pk, "element": "visits", "option": "outpatient", "period": period, "value": base + 40 * n})
            rows.append({"unit": unit.pk, "element": "visits", "option": "emergency", "period": period, "value": base // 10})
    for user, rows in ((w.reporter, rows_a), (reporter_b, rows_b)):
        result = services.import_values(user, "json", json.dumps(rows))
        assert not result.errors, result.errors
    services.rollup()
    label = last.strftime("%Y-%m")
    for unit in (p.member_a1, p.member_a2):
        services.submit(w.reporter, unit.pk, label)
    return label


@pytest.fixture
def world(unique):
    return World(unique(""))


def _row(page, name):
    return page.get_by_test_id("approval-row").filter(has_text=name)


def test_an_approver_approves_and_returns_and_a_supervisor_drills_down_the_dashboard(site, world, new_page):
    p = world.p
    period = _year_of_values(world)

    # given the community's approver on the approval page of her tenant
    approver = new_page()
    sign_in(approver, site, world.officer.username, PASSWORD)
    approver.get_by_role("menuitem", name="监管审核").click()
    expect(approver.get_by_test_id("trail-current")).to_have_text(p.lead_a.name)
    first, second = _row(approver, p.member_a1.name), _row(approver, p.member_a2.name)
    expect(first.get_by_test_id("approval-step")).to_have_text("已上报")
    on_time = Approval.objects.get(unit=p.member_a1, period=services.parse_month(period)).on_time  # by the 10th
    expect(first.get_by_test_id("approval-on-time")).to_have_text("按时" if on_time else "逾期")
    expect(_row(approver, p.lead_a.name).get_by_test_id("approval-step")).to_have_text("未上报")

    # when she approves the first unit, its step moves on to the community's
    first.get_by_test_id("approve").click()
    expect(first.get_by_test_id("approval-step")).to_have_text("医共体已审核")
    expect(first.get_by_test_id("approve")).to_have_count(0)  # the county's step is not hers

    # and returns the second: a reason is required, then it is open again
    second.get_by_test_id("unapprove").click()
    dialog = approver.get_by_role("dialog")
    dialog.get_by_test_id("confirm-unapprove").click()
    expect(dialog).to_contain_text("请填写退回原因")
    dialog.get_by_label("退回原因").fill("门诊人次与上月差异过大，请核对后重新上报")
    dialog.get_by_test_id("confirm-unapprove").click()
    expect(second.get_by_test_id("approval-step")).to_have_text("未上报")
    expect(second.get_by_test_id("unapprove")).to_have_count(0)

    # the returned unit's timeline shows both steps and the reason
    second.get_by_test_id("history").click()
    timeline = approver.get_by_test_id("approval-timeline")
    expect(timeline).to_contain_text("上报")
    expect(timeline).to_contain_text("退回")
    expect(timeline).to_contain_text("门诊人次与上月差异过大")
    approver.keyboard.press("Escape")
    expect(timeline).to_have_count(0)
    screenshot(approver, "supervision-approval")
    assert not approver.js_errors, approver.js_errors

    # a province supervisor opens the dashboard on the province console
    supervisor = new_page()
    sign_in(supervisor, site, p.users["province_admin"].username, PASSWORD)
    supervisor.get_by_role("menuitem", name="监管看板").click()
    expect(supervisor.get_by_test_id("trail-current")).to_have_text(p.root.name)
    expect(supervisor.get_by_test_id("trend-chart").locator("canvas").first).to_be_visible()
    league = supervisor.get_by_test_id("league-table")
    expect(league.get_by_test_id("league-row")).to_have_count(3)  # 杭州, 宁波 and the provincial hospital
    expect(league.get_by_test_id("league-row").last).to_contain_text(p.hospital.name)  # no data: last, unranked
    expect(supervisor.get_by_test_id("heatmap-chart").locator("canvas").first).to_be_visible()

    # and drills down: the city, then its county
    league.get_by_test_id("league-row").filter(has_text=p.city_a.name).click()
    expect(supervisor.get_by_test_id("trail-current")).to_have_text(p.city_a.name)
    league.get_by_test_id("league-row").filter(has_text=p.county_a.name).click()
    expect(supervisor.get_by_test_id("trail-current")).to_have_text(p.county_a.name)
    expect(league.get_by_test_id("league-row")).to_have_count(1)
    expect(league.get_by_test_id("league-row")).to_contain_text(p.lead_a.name)
    expect(supervisor.get_by_test_id("trend-chart").locator("canvas").first).to_be_visible()
    expect(supervisor.get_by_test_id("heatmap-chart").locator("canvas").first).to_be_visible()
    screenshot(supervisor, "supervision-dashboard")

    # the trail leads back up to the province
    supervisor.get_by_test_id("trail-ancestor").filter(has_text=p.root.name).click()
    expect(supervisor.get_by_test_id("trail-current")).to_have_text(p.root.name)
    expect(league.get_by_test_id("league-row")).to_have_count(3)
    assert not supervisor.js_errors, supervisor.js_errors


def test_an_approver_reopens_a_units_period_past_its_lock_date(site, world, new_page):
    p = world.p
    # given a monthly data set of beds that locks the day its month ends: last month is past it
    services.save_data_set(world.province, code="beds_monthly", name="床位月报", period_type="monthly", elements=["beds"],
                           levels=["member"], due_days=0, lock_days=0)

    # the community's approver picks it on the approval page: both members are locked by date
    approver = new_page()
    sign_in(approver, site, world.officer.username, PASSWORD)
    approver.get_by_role("menuitem", name="监管审核").click()
    expect(approver.get_by_test_id("trail-current")).to_have_text(p.lead_a.name)
    approver.get_by_test_id("approval-data-set").click()
    approver.locator(".ant-select-dropdown:visible .ant-select-item-option").filter(has_text="床位月报").click()
    first, second = _row(approver, p.member_a1.name), _row(approver, p.member_a2.name)
    expect(first.get_by_test_id("approval-lock")).to_contain_text("已过填报截止")
    expect(second.get_by_test_id("approval-lock")).to_contain_text("已过填报截止")
    expect(approver.get_by_test_id("approval-row")).to_have_count(2)  # members only, as the data set says

    # when she reopens the first: a date and a reason are required
    first.get_by_test_id("reopen").click()
    dialog = approver.get_by_role("dialog")
    dialog.get_by_test_id("confirm-reopen").click()
    expect(dialog).to_contain_text("请选择开放截止日期")
    expect(dialog).to_contain_text("请填写重新开放的原因")
    until = timezone.localdate() + dt.timedelta(days=7)
    dialog.get_by_label("开放至").fill(until.isoformat())
    dialog.get_by_label("开放至").press("Enter")
    dialog.get_by_label("重新开放原因").fill("年报核对发现床位数漏报，需补报")
    dialog.get_by_test_id("confirm-reopen").click()

    # then the row says until when it is open, and its neighbour stays locked
    expect(dialog).to_have_count(0)
    expect(first.get_by_test_id("approval-lock")).to_have_text(f"已重新开放至 {until.isoformat()}")
    expect(first.get_by_test_id("reopen")).to_have_text("延长开放")
    expect(second.get_by_test_id("approval-lock")).to_contain_text("已过填报截止")
    screenshot(approver, "supervision-reopen")
    reopening = EntryReopening.objects.get(unit=p.member_a1, data_set__code="beds_monthly")
    assert (reopening.until, reopening.reason, reopening.granted_by_id) == (until, "年报核对发现床位数漏报，需补报", world.officer.pk)
    assert not approver.js_errors, approver.js_errors


def test_a_supervisor_adds_an_alert_on_the_dashboard_and_sees_it_listed(site, world, new_page):
    p = world.p
    period = _year_of_values(world)
    # given an alert the province set on primary care's share, which last month's roll-up crossed
    services.save_alert(world.province, indicator="primary_visit_share", node_id=p.root.pk, operator="<", threshold="50")
    assert services.check_alerts([services.parse_month(period)]) > 0

    # the province supervisor sees it and its firings under the dashboard
    supervisor = new_page()
    sign_in(supervisor, site, p.users["province_admin"].username, PASSWORD)
    supervisor.get_by_role("menuitem", name="监管看板").click()
    panel = supervisor.get_by_test_id("alerts-panel")
    rows = panel.get_by_test_id("alert-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("基层诊疗量占县域内总诊疗量比例")
    expect(rows.first.get_by_test_id("alert-condition")).to_have_text("< 50%")
    expect(panel.get_by_test_id("alert-firings")).to_contain_text(p.lead_a.name)

    # when he adds one on the emergency share: the indicator and the threshold are required
    panel.get_by_test_id("add-alert").click()
    dialog = supervisor.get_by_role("dialog")
    dialog.get_by_test_id("save-alert").click()
    expect(dialog).to_contain_text("请选择指标")
    expect(dialog).to_contain_text("请填写阈值")
    dialog.get_by_label("指标").click()
    supervisor.locator(".ant-select-dropdown:visible .ant-select-item-option").filter(has_text="急诊人次占门急诊人次比例").click()
    dialog.get_by_label("阈值").fill("12.5")
    dialog.get_by_test_id("save-alert").click()

    # then it is listed, active, beside the first
    expect(dialog).to_have_count(0)
    added = panel.locator('[data-indicator="emergency_share"]')
    expect(rows).to_have_count(2)
    expect(added.get_by_test_id("alert-condition")).to_have_text("≥ 12.5%")
    expect(added.get_by_test_id("alert-active")).to_have_text("启用")
    screenshot(supervisor, "supervision-alerts", focus="alerts-panel")

    # and switching it off changes that alert, not a new one
    added.get_by_test_id("edit-alert").click()
    dialog.get_by_role("switch").click()
    dialog.get_by_test_id("save-alert").click()
    expect(added.get_by_test_id("alert-active")).to_have_text("停用")
    assert list(Alert.objects.filter(indicator__code="emergency_share").values_list("node_id", "operator", "active")) == [
        (p.root.pk, ">=", False)]
    assert not supervisor.js_errors, supervisor.js_errors
