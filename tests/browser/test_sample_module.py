"""The sample module's frontend (tests/sample_modules/notes/frontend/): found by the workbench
without any edit to it, its menu entry shows where `notes` is installed to a note keeper, and
its page opens; where it is not installed the entry is absent."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from jianlian.marketplace import services
from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD, build_province, grant

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def province(unique):
    return build_province(unique(""))


def test_the_sample_modules_page_shows_where_it_is_installed(site, province, new_page):
    # given notes installed in 桐庐 and its doctor made a note keeper there
    services.install(None, province.tenant_a, "notes")
    doctor = province.users["doctor"]
    grant(doctor, "note_keeper", province.member_a1, province.tenant_a)

    # when she signs in, the module's menu entry is there and opens its page
    page = new_page()
    sign_in(page, site, doctor.username, PASSWORD)
    page.locator(".ant-menu").get_by_role("menuitem", name="工作便签").click()
    notes = page.get_by_test_id("notes-page")
    expect(notes).to_contain_text("赵医生的便签")
    expect(notes.get_by_test_id("notes-installed")).to_have_text("是")
    screenshot(page, "sample-module-notes")
    assert not page.js_errors, page.js_errors


def test_the_sample_modules_entry_is_absent_where_it_is_not_installed(site, province, new_page):
    # given a note keeper role cannot exist without the app: 象山's doctor, notes not installed
    page = new_page()
    sign_in(page, site, province.users["doctor_b"].username, PASSWORD)
    page.get_by_text("还没有消息").wait_for()
    page.wait_for_timeout(700)
    expect(page.locator(".ant-menu").get_by_role("menuitem", name="工作便签")).to_have_count(0)
    page.goto(f"{site}/notes")
    expect(page.get_by_test_id("no-access")).to_contain_text("本单位尚未安装这个应用")
