"""The staff list in a real browser (issue 17 items 8 and 10): an admin pages through the staff
(server pages with the total), phones never wrap, and adds, renames and moves a department; an
ordinary doctor on a phone gets the contacts directory instead — the department tree in a drawer,
person cards, click-to-call — and a mobile hidden by a visibility rule never reaches the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, screenshot, sign_in
from tests.factories import PASSWORD, build_province, make_department, make_staff

pytestmark = pytest.mark.django_db(transaction=True)

HIDDEN_MOBILE = "13900009999"


@pytest.fixture
def province(unique):
    from jianlian.org import services
    from tenants.context import tenant_context

    p = build_province(unique(""))
    with tenant_context(p.tenant_a):
        group = make_department("FS-G", "分水临床", unit=p.member_a1, kind="group", category="clinical")
        internal = make_department("FS-NK", "内科", unit=p.member_a1, parent=group)
        for i in range(21):
            make_staff(f"分水医生{i:02d}", unit=p.member_a1, department=internal, mobile=f"1380000{i:04d}", post="医生")
        make_staff("钟院长", unit=p.member_a1, department=internal, mobile=HIDDEN_MOBILE, post="院长",
                   office_phone="0571-64212345")
        services.add_visibility_rule(None, post="院长")
    return p


def test_admin_pages_and_reshapes_departments_and_a_doctor_gets_the_directory(site, province, new_page):
    page = new_page()
    sign_in(page, site, province.users["tenant_admin"].username, PASSWORD)
    page.get_by_role("menuitem", name="科室与人员").click()
    table = page.get_by_test_id("staff-table")
    rows = table.locator("tbody tr.ant-table-row")
    # server pages: 20 of 22, the total shown, the second page holds the rest
    expect(rows).to_have_count(20)
    expect(page.locator(".ant-pagination-total-text")).to_have_text("共 22 人")
    phone = table.get_by_test_id("staff-phone").first
    assert phone.evaluate("e => e.getClientRects().length") == 1, "a mobile number broke across lines at 1280 px"
    page.locator(".ant-pagination-item-2").click()
    expect(rows).to_have_count(2)
    expect(table).to_contain_text("钟院长")
    # the admin sees the hidden mobile (org.view_hidden_fields)
    expect(table).to_contain_text(HIDDEN_MOBILE)

    # add a department under 分水临床, rename 内科, move the new one to the top
    page.get_by_test_id("dept-node").filter(has_text="分水临床").click()
    page.get_by_test_id("dept-add").click()
    form = page.get_by_test_id("department-form")
    form.get_by_test_id("dept-code").fill("FS-EK")
    form.get_by_test_id("dept-name").fill("儿科")
    page.get_by_role("dialog").locator(".ant-btn-primary").click()
    page.get_by_text("已新增 儿科").wait_for()
    node = page.get_by_test_id("dept-node").filter(has_text="分水临床")
    page.locator(".ant-tree-treenode").filter(has=node).locator(".ant-tree-switcher").click()
    page.get_by_test_id("dept-node").filter(has_text="内科").click()
    page.get_by_test_id("dept-rename").click()
    page.get_by_test_id("dept-name").fill("全科医学科")
    page.get_by_role("dialog").locator(".ant-btn-primary").click()
    page.get_by_text("已改名为 全科医学科").wait_for()
    page.get_by_test_id("dept-node").filter(has_text="全科医学科").wait_for()
    page.get_by_test_id("dept-node").filter(has_text="儿科").click()
    page.get_by_test_id("dept-move").click()
    page.get_by_role("dialog").locator(".ant-btn-primary").click()
    page.get_by_text("已移动 儿科").wait_for()
    # the tree reads again: 儿科 now sits at the top beside 分水临床
    expect(page.locator(".ant-tree-treenode[aria-level='1'], .ant-tree-list-holder-inner > .ant-tree-treenode")
           .filter(has_text="儿科")).to_have_count(1)
    expect(page.locator(".ant-spin-blur")).to_have_count(0)
    screenshot(page, "org-departments")
    assert not page.js_errors, page.js_errors

    # an ordinary doctor on a phone: the directory, the tree behind a selector, click-to-call
    phone_page = new_page(viewport=PHONE)
    sign_in(phone_page, site, province.users["doctor"].username, PASSWORD)
    phone_page.goto(f"{site}/org")
    directory = phone_page.get_by_test_id("contacts-directory")
    expect(directory.get_by_test_id("contact-item")).to_have_count(20)
    expect(phone_page.get_by_test_id("staff-table")).to_have_count(0)
    expect(phone_page.get_by_test_id("dept-tree")).to_have_count(0)
    expect(directory.get_by_test_id("call-mobile").first).to_have_attribute("href", "tel:13800000000")
    phone_page.get_by_test_id("open-dept-drawer").click()
    phone_page.get_by_test_id("dept-node").filter(has_text="分水临床").click()
    expect(phone_page.get_by_test_id("open-dept-drawer")).to_contain_text("分水临床")
    expect(directory.locator(".ant-spin-blur")).to_have_count(0)
    screenshot(phone_page, "org-contacts")
    directory.locator(".ant-pagination-item-2").click()
    item = directory.get_by_test_id("contact-item").filter(has_text="钟院长")
    expect(item.get_by_test_id("call-office")).to_have_attribute("href", "tel:057164212345")
    item.get_by_test_id("contact-name").click()
    card = phone_page.get_by_role("dialog")
    expect(card).to_contain_text("未公开")
    assert HIDDEN_MOBILE not in phone_page.content()
    assert not phone_page.js_errors, phone_page.js_errors
