"""The workbench in English (issue 17 item 11), at 1280 and 360 px: app names and descriptions
come from the manifests, indicator names from their definitions, the system names itself in
English in the audit log, notifications read in English, and the brand is not cut off."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from jianlian.audit import service as audit
from jianlian.org.models import Department
from tenants.context import tenant_context
from tests.browser.conftest import screenshot, sign_in
from modules.supervision import services
from tests.browser.test_supervision_views import _year_of_values
from tests.factories import PASSWORD
from tests.worlds import SupervisionWorld

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(unique):
    w = SupervisionWorld(unique(""))
    with tenant_context(w.p.tenant_a):
        dept = Department.objects.create(unit_id=w.p.lead_a.pk, code="EN-1", name="院办")
        audit.record("org.apply_onboard", target=dept, actor_label="系统（定时任务）")
    month = _year_of_values(w)
    # the community returns a submission: the reporter is told (a module's notice, stored in both languages)
    services.unapprove(w.officer, w.p.member_a1.pk, month, "床位数有误")
    return w


def _english(page) -> None:
    page.get_by_test_id("language-switch").click()
    page.get_by_text("Sign out").or_(page.get_by_test_id("brand").filter(has_text="Jianlian Workbench")).first.wait_for()


def _not_cut(page, testid: str) -> None:
    box = page.get_by_test_id(testid)
    assert box.evaluate("e => e.scrollWidth <= e.clientWidth"), f"{testid} is cut off"


def test_module_data_and_system_labels_read_in_english(site, world, new_page):
    page = new_page()
    sign_in(page, site, world.reporter.username, PASSWORD)
    _english(page)
    # the workbench: app names from the manifests; the brand whole; the inbox in English
    page.goto(f"{site}/")
    page.get_by_text("Supervision online").first.wait_for()
    page.get_by_text("Supervision data returned").wait_for()
    expect(page.locator("body")).to_contain_text("was returned: 床位数有误")
    expect(page.locator("body")).not_to_contain_text("监管数据被退回")
    _not_cut(page, "brand")
    screenshot(page, "workbench-en")

    # the marketplace: the description in English too
    page.goto(f"{site}/marketplace")
    page.get_by_text("Supervision online").first.wait_for()
    expect(page.locator("body")).not_to_contain_text("监管在线")
    screenshot(page, "marketplace-en")

    # the audit log: the scheduled task, named in English
    page.goto(f"{site}/audit")
    page.get_by_text("System (scheduled task)").first.wait_for()
    screenshot(page, "audit-en")
    assert not page.js_errors, page.js_errors

    # the province's dashboard: indicator names from their definitions
    supervisor = new_page()
    sign_in(supervisor, site, world.p.users["province_admin"].username, PASSWORD)
    _english(supervisor)
    supervisor.goto(f"{site}/supervision/dashboard")
    expect(supervisor.locator("body")).to_contain_text("League table: Primary care's share of the county's visits")
    expect(supervisor.get_by_test_id("trend-chart").locator("canvas").first).to_be_visible()
    screenshot(supervisor, "supervision-dashboard-en")
    assert not supervisor.js_errors, supervisor.js_errors
