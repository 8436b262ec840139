"""The menu offers what the reader can use, from the server's `viewer` (installed apps and
permission codes): ordinary staff see no management entries they would be refused, referrals
show only where the app is installed, and a county supervisor on the province console does not
see tenant management."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from jianlian.marketplace import services
from tests.browser.conftest import PHONE, screenshot, sign_in
from tests.factories import PASSWORD, build_province, grant, make_user, member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def province(unique):
    return build_province(unique(""))


def _menu(page):
    return page.locator(".ant-menu")


def test_ordinary_staff_see_no_management_entry_they_cannot_use(site, province, new_page):
    # given a member of staff at a centre of 桐庐, where referrals is installed
    services.install(None, province.tenant_a, "referrals")
    staff = make_user("孙职工")
    member(staff, province.tenant_a, province.member_a2)
    grant(staff, "staff", province.member_a2, province.tenant_a)

    # when she signs in
    page = new_page()
    sign_in(page, site, staff.username, PASSWORD)
    menu = _menu(page)
    expect(menu.get_by_role("menuitem", name="科室与人员")).to_be_visible()

    # then her menu has the people directory but neither the marketplace nor the audit log, and
    # no referrals (she may not read referrals) although the app is installed
    for refused in ("应用市场", "审计日志", "双向转诊"):
        expect(menu.get_by_role("menuitem", name=refused)).to_have_count(0)
    # and the directory offers her no Excel import
    menu.get_by_role("menuitem", name="科室与人员").click()
    page.get_by_test_id("contact-search").wait_for()
    page.wait_for_timeout(500)
    expect(page.get_by_test_id("open-import")).to_have_count(0)
    screenshot(page, "menu-staff")
    # and the marketplace's address tells her she may not use it
    page.goto(f"{site}/marketplace")
    expect(page.get_by_test_id("no-access")).to_be_visible()
    assert not page.js_errors, page.js_errors


def test_referrals_show_only_where_the_app_is_installed(site, province, new_page):
    # given a doctor of 桐庐 (referrals not installed there) who also works in 象山 (installed)
    services.install(None, province.tenant_b, "referrals")
    doctor = province.users["doctor"]
    member(doctor, province.tenant_b, province.member_b1)
    grant(doctor, "doctor", province.member_b1, province.tenant_b)
    page = new_page()
    sign_in(page, site, doctor.username, PASSWORD)

    def open_workspace(tenant):
        page.get_by_test_id("workspace-switcher").click()
        page.get_by_test_id(f"workspace-{tenant.slug}").click()
        expect(page.get_by_test_id("current-workspace")).to_contain_text(tenant.name)
        expect(_menu(page).get_by_role("menuitem", name="消息与待办")).to_be_visible()

    open_workspace(province.tenant_a)
    page.get_by_text("还没有消息").wait_for()
    page.wait_for_timeout(700)  # the viewer's answer is in: nothing more will appear
    expect(_menu(page).get_by_role("menuitem", name="双向转诊")).to_have_count(0)
    open_workspace(province.tenant_b)
    expect(_menu(page).get_by_role("menuitem", name="双向转诊")).to_be_visible()
    assert not page.js_errors, page.js_errors


def test_a_county_supervisor_does_not_see_tenant_management_on_the_console(site, province, new_page):
    """Her role (SUPERVISOR_PERMS) holds marketplace.publish and marketplace.mandate, which the
    server honours for her county: the console's marketplace offers them, as the server would
    carry them out. Tenant management and the province's audit log are not hers."""
    supervisor = make_user("周县督")
    grant(supervisor, "county_supervisor", province.county_a)
    page = new_page(viewport=PHONE)
    sign_in(page, site, supervisor.username, PASSWORD)
    page.get_by_test_id("menu-button").click()
    menu = page.locator(".ant-drawer .ant-menu")
    expect(menu.get_by_role("menuitem", name="监管看板")).to_be_visible()
    expect(menu.get_by_role("menuitem", name="租户管理")).to_have_count(0)
    expect(menu.get_by_role("menuitem", name="审计日志")).to_have_count(0)
    menu.get_by_role("menuitem", name="应用市场").click()
    expect(page.get_by_test_id("open-publish")).to_be_visible()
    assert not page.js_errors, page.js_errors
