"""Supervision entry in a real browser against the real server: a community's reporter opens the
entry page from the menu, fills in last month's standard data set with one value outside its
bounds (which asks for a comment before it saves), saves, submits (上报), and sees the form turn
read-only with the reason."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from modules.supervision import services
from modules.supervision.models import Approval, DataValue, Step
from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD
from tests.worlds import SupervisionWorld as World

pytestmark = pytest.mark.django_db(transaction=True)


def _cell(page, key: str):
    return page.locator(f'[id="{key}"]')


def test_a_reporter_fills_in_saves_and_submits_and_the_form_becomes_read_only(site, unique, new_page):
    world = World(unique(""))
    lead = world.p.lead_a
    page = new_page()
    sign_in(page, site, world.reporter.username, PASSWORD)

    # the reporter may report, so the menu offers the entry page
    page.get_by_role("menuitem", name="监管数据填报").click()
    form = page.get_by_test_id("entry-form")
    form.wait_for()
    expect(page.get_by_test_id("entry-unit")).to_contain_text(lead.name)
    expect(page.get_by_test_id("entry-step")).to_have_text("未上报")
    month = services.parse_month(page.get_by_test_id("entry-period").inner_text().strip())  # the month just ended
    # the fields stand under their topics, in the monitoring set's order: beds and staff together
    headings = page.locator("[data-testid^=entry-topic-] h5").all_inner_texts()
    assert headings[:3] == ["门急诊与医技", "住院与手术", "床位与人员"] and headings[-1] == "双向转诊", headings
    expect(page.get_by_test_id("entry-topic-RESOURCES").locator('[id="v_beds|"]')).to_have_count(1)

    # when values are entered, one of them outside its bounds
    _cell(page, "v_visits|outpatient").fill("1200")
    _cell(page, "v_visits|emergency").fill("80")
    _cell(page, "v_inpatient_admissions|").fill("30")
    _cell(page, "v_beds|").fill("6000")  # beds are bounded 0–5000
    page.get_by_test_id("entry-save").click()
    expect(form).to_contain_text("该值超出合理范围，请填写说明。")  # a comment is required before saving
    _cell(page, "c_beds|").fill("新院区启用，床位待核")
    page.get_by_test_id("entry-save").click()
    page.get_by_text("已保存 4 项").wait_for()
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "supervision-entry")

    # then 上报 locks the period: the form is read-only and says why
    page.get_by_test_id("entry-submit").click()
    page.get_by_role("button", name="确认上报").click()
    expect(page.get_by_test_id("entry-step")).to_have_text("已上报", timeout=15_000)  # saves, then submits
    expect(page.get_by_test_id("entry-locked")).to_contain_text("已锁定")
    expect(_cell(page, "v_beds|")).to_be_disabled()
    expect(page.get_by_test_id("entry-submit")).to_have_count(0)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "supervision-entry-submitted")

    assert Approval.objects.get(unit=lead, period=month, data_set__code="standard_monthly").step == Step.SUBMITTED
    beds = DataValue.objects.get(unit=lead, element__code="beds", period=month)
    assert (beds.value, beds.is_outlier, beds.comment) == (6000, True, "新院区启用，床位待核")
    assert not page.js_errors, page.js_errors
