"""Supervision live, in two real browsers against the real server: a community's approver returns
a unit's report on the approval page, and the unit's reporter — with its entry page open — sees
已退回 and the reason without reloading; she corrects and resubmits, and the approver's row shows
when it was resubmitted, again without a reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from modules.supervision import services
from modules.supervision.models import Approval, Step
from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD
from tests.worlds import SupervisionWorld as World

pytestmark = pytest.mark.django_db(transaction=True)

REASON = "床位数与上月差异过大，请核对后重新上报"


def test_a_report_returned_on_the_approval_page_shows_on_the_units_entry_page_without_a_reload(site, unique, new_page):
    w = World(unique(""))
    lead = w.p.lead_a
    period = services.last_month().strftime("%Y-%m")  # what both pages open on
    w.put(lead, "beds", period, 300)
    services.submit(w.reporter, lead.pk, period)

    # given the unit's reporter with its entry page open: submitted, so read-only
    entry = new_page()
    sign_in(entry, site, w.reporter.username, PASSWORD)
    entry.get_by_role("menuitem", name="监管数据填报").click()
    expect(entry.get_by_test_id("entry-unit")).to_contain_text(lead.name)
    expect(entry.get_by_test_id("entry-step")).to_have_text("已上报")
    expect(entry.get_by_test_id("entry-submit")).to_have_count(0)
    entry.evaluate("window.__sameDocument = true")  # gone if the page reloads

    # when the community's approver returns it with a reason on the approval page
    approver = new_page()
    sign_in(approver, site, w.officer.username, PASSWORD)
    approver.get_by_role("menuitem", name="监管审核").click()
    row = approver.locator(f'[data-testid="approval-row"][data-unit="{lead.name}"]')
    expect(row.get_by_test_id("approval-step")).to_have_text("已上报")
    row.get_by_test_id("unapprove").click()
    dialog = approver.get_by_role("dialog")
    dialog.get_by_label("退回原因").fill(REASON)
    dialog.get_by_test_id("confirm-unapprove").click()
    expect(dialog).to_have_count(0)
    expect(row.get_by_test_id("approval-returned")).to_have_text("已退回")

    # then the entry page shows 已退回 with the reason, and offers 上报 again, in the same document
    expect(entry.get_by_test_id("entry-step")).to_have_text("已退回")
    expect(entry.get_by_test_id("entry-returned")).to_contain_text(REASON)
    expect(entry.get_by_test_id("entry-submit")).to_be_visible()
    assert entry.evaluate("window.__sameDocument") is True
    entry.evaluate("window.scrollTo(0, 0)")
    screenshot(entry, "supervision-entry-returned")

    # and when she corrects and resubmits, the approver's row shows when, also without a reload
    entry.locator('[id="v_beds|"]').fill("320")
    entry.get_by_test_id("entry-submit").click()
    entry.get_by_role("button", name="确认上报").click()
    expect(entry.get_by_test_id("entry-step")).to_have_text("已上报", timeout=15_000)  # saves, then submits
    expect(row.get_by_test_id("approval-step")).to_have_text("已上报")
    expect(row.get_by_test_id("approval-resubmitted")).to_contain_text("退回后重新上报于")
    expect(row.get_by_test_id("approval-returned")).to_have_count(0)
    screenshot(approver, "supervision-approval-resubmitted")

    assert Approval.objects.get(unit=lead, period=services.parse_month(period), data_set__code="standard_monthly").step == Step.SUBMITTED
    assert not entry.js_errors and not approver.js_errors, (entry.js_errors, approver.js_errors)
