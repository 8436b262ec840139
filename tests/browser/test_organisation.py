"""The organisation page in a real browser against the real server: a tenant admin imports a
staff workbook with a bad row, sees that row's error by sheet, row and column, imports the valid
rows, and finds the new people by pinyin initials."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD, build_province, make_id_number

pytestmark = pytest.mark.django_db(transaction=True)

DEPT_HEADER = ["科室编码*", "科室名称*", "上级科室编码", "类型", "类别", "所属单位"]
STAFF_HEADER = ["工号*", "姓名*", "身份证号*", "手机号*", "主科室编码*", "其他科室编码", "所属单位", "岗位", "职务",
                "职称", "级别", "用工类型", "办公电话", "电子邮箱", "标签"]


@pytest.fixture
def province(unique):
    return build_province(unique(""))


def _workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "科室"
    ws.append(DEPT_HEADER)
    ws.append(["G-LC", "临床科室", "", "分组", "临床", ""])
    ws.append(["NK", "内科", "G-LC", "科室", "", ""])
    ws = wb.create_sheet("人员")
    ws.append(STAFF_HEADER)
    ws.append(["TL0201", "单晓明", make_id_number(), "13800002001", "NK", "", "", "护士", "护士长", "主管护师", "", "", "", "", ""])
    ws.append(["TL0202", "曾国强", make_id_number(), "13800002002", "NK", "", "", "医生", "主任", "主任医师", "", "", "", "", ""])
    # row 4: the ID number's check digit is wrong
    ws.append(["TL0203", "王错号", "330122198503120014", "13800002003", "NK", "", "", "", "", "", "", "", "", "", ""])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_import_a_staff_workbook_with_a_bad_row_and_see_the_rows_error(site, province, new_page):
    page = new_page()
    sign_in(page, site, province.users["tenant_admin"].username, PASSWORD)
    page.get_by_role("menuitem", name="科室与人员").click()
    page.get_by_text("还没有科室，可从 Excel 导入").wait_for()

    # when the admin previews a workbook with one bad row
    page.get_by_test_id("open-import").click()
    dialog = page.get_by_role("dialog")
    dialog.locator("input[type=file]").set_input_files(files={
        "name": "人员.xlsx", "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "buffer": _workbook()})
    expect(dialog.get_by_test_id("file-name")).to_have_text("人员.xlsx")
    dialog.get_by_test_id("preview-import").click()
    # then the row's error names the sheet, the row and the column
    errors = dialog.get_by_test_id("row-errors")
    errors.wait_for()
    row = errors.locator("tbody tr.ant-table-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("人员")
    expect(row).to_contain_text("C 身份证号")
    expect(row).to_contain_text("「人员」第4行「身份证号」列")
    expect(dialog.get_by_test_id("import-report")).to_contain_text("新建 2")
    screenshot(page, "org-import-errors")

    # and all-or-nothing refuses the file, on the file field
    dialog.get_by_test_id("run-import").click()
    expect(dialog.get_by_test_id("file-field")).to_contain_text("已全部取消导入")
    # while "valid rows only" imports the two good people
    dialog.get_by_text("仅导入正确的行").click()
    dialog.get_by_test_id("run-import").click()
    page.get_by_text("导入完成").wait_for()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)

    # the departments show in the tree, and the people are found by pinyin initials
    page.get_by_test_id("dept-node").filter(has_text="临床科室").wait_for()
    page.get_by_test_id("contact-search").locator("input").fill("zgq")
    page.get_by_test_id("contact-search").locator("input").press("Enter")
    table = page.get_by_test_id("staff-table")
    expect(table.locator("tbody tr.ant-table-row")).to_have_count(1)
    expect(table).to_contain_text("曾国强")
    page.get_by_test_id("contact-search").locator("input").fill("")
    page.get_by_test_id("contact-search").locator("input").press("Enter")
    expect(table.locator("tbody tr.ant-table-row")).to_have_count(2)
    screenshot(page, "org")
    assert not page.js_errors, page.js_errors
