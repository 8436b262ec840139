"""Payslips in real browsers against the real server (issue 21): the payroll officer imports a
workbook with a bad row, sees the row named, publishes the good ones; a nurse on a 360 px phone
opens hers with her password again, reads it and confirms."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tenants.context import tenant_context
from tests.browser.conftest import PHONE, screenshot, sign_in
from tests.factories import PASSWORD, build_province
from tests.payslips_world import build, workbook

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(unique):
    p = build_province(unique(""))
    with tenant_context(p.tenant_a):
        w = build(p)
    office = w.user("office")
    office.set_password(PASSWORD)
    office.save()
    return w


def test_payroll_imports_with_a_bad_row_publishes_and_a_nurse_confirms_at_360px(site, world, new_page, tmp_path):
    book = tmp_path / "工资表.xlsx"
    book.write_bytes(workbook(world.rows() + [["NOPE01", "无此人", "1", "1", "1", "1"]]))

    # given the payroll officer imports the month's workbook, one row of which is wrong
    office = new_page()
    sign_in(office, site, world.user("office").username, PASSWORD)
    office.goto(f"{site}/payslips/admin")
    card = office.get_by_test_id("payslips-import")
    card.get_by_test_id("payslips-month").fill("2026-11")
    card.locator("input[type=file]").set_input_files(str(book))
    card.get_by_test_id("payslips-run-import").click()
    expect(office.get_by_test_id("payslips-notice")).to_contain_text("已导入 3 张工资条")
    errors = office.get_by_test_id("payslips-row-errors")
    expect(errors).to_contain_text("第5行「工号」列：工号 NOPE01 不是本单位在职人员。")
    screenshot(office, "payslips-import")
    # when the officer publishes the batch
    office.get_by_test_id("payslips-publish").click()
    expect(office.get_by_test_id("payslips-batch-status")).to_have_text("已发布")

    # then the nurse, on her phone, opens it with her password again and confirms
    nurse = new_page(viewport=PHONE)
    sign_in(nurse, site, world.user("赵敏").username, PASSWORD)
    nurse.goto(f"{site}/payslips")
    nurse.get_by_test_id("payslip-row").filter(has_text="2026-11").click()
    expect(nurse.get_by_test_id("payslip-status")).to_have_text("未查看")
    nurse.get_by_test_id("payslip-password").fill("wrong-password")
    nurse.get_by_test_id("payslip-unlock").click()
    expect(nurse.get_by_test_id("payslip-error")).to_contain_text("密码不正确")
    nurse.get_by_test_id("payslip-password").fill(PASSWORD)
    nurse.get_by_test_id("payslip-unlock").click()
    lines = nurse.get_by_test_id("payslip-lines")
    expect(lines).to_contain_text("实发合计")
    expect(lines).to_contain_text("8765.43")
    screenshot(nurse, "payslips-nurse")
    box = nurse.get_by_test_id("payslip-confirm").bounding_box()
    assert box and box["x"] + box["width"] <= PHONE["width"], "确认无误 is cut off at 360 px"
    nurse.get_by_test_id("payslip-confirm").click()
    expect(nurse.get_by_test_id("payslip-confirmed")).to_be_visible()
    expect(nurse.get_by_test_id("payslip-status")).to_have_text("已确认")
    screenshot(nurse, "payslips-confirmed")
    assert not office.js_errors and not nurse.js_errors, (office.js_errors, nurse.js_errors)
