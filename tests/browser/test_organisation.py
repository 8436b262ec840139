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
    expect(dialog.get_by_test_id("import-summary")).to_have_text("已导入：共读取 5 行，跳过 1 行有错误的行")
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


def _pick_department(page, testid: str, name: str) -> None:
    page.get_by_test_id(testid).click()
    page.locator(".ant-select-dropdown:visible .ant-select-tree-node-content-wrapper").filter(has_text=name).click()


def test_onboard_transfer_and_leave_a_person_from_the_staff_list(site, province, new_page):
    from tenants.context import tenant_context
    from tests.factories import make_department

    with tenant_context(province.tenant_a):
        make_department("NK", "内科", unit=province.lead_a, category="clinical")
        make_department("WK", "外科", unit=province.lead_a, category="clinical")
        make_department("G-ZN", "职能科室", unit=province.lead_a, kind="group", category="functional")
    page = new_page()
    sign_in(page, site, province.users["tenant_admin"].username, PASSWORD)
    page.get_by_role("menuitem", name="科室与人员").click()
    expect(page.get_by_test_id("pending-events")).to_have_count(0)
    page.get_by_text("没有待生效的变动").wait_for()

    # when the admin onboards a person whose ID number has a wrong check digit
    page.get_by_test_id("open-onboard").click()
    form = page.get_by_test_id("onboard-form")
    form.get_by_label("姓名").fill("解晓梅")
    form.get_by_label("工号").fill("TL0301")
    form.get_by_label("身份证号").fill("330122198503120014")
    form.get_by_label("手机号").fill("13800003001")
    # a grouping node (职能科室) holds departments, not people: it cannot be picked
    _pick_department(page, "onboard-department", "职能科室")
    expect(page.get_by_test_id("onboard-department")).not_to_contain_text("职能科室")
    page.locator(".ant-select-dropdown:visible .ant-select-tree-node-content-wrapper").filter(has_text="内科").click()
    page.get_by_role("dialog").get_by_role("button", name="入职").click()
    # then the server's reason shows on the field, in Chinese
    field = form.locator(".ant-form-item").filter(has=page.get_by_label("身份证号"))
    expect(field.locator(".ant-form-item-explain-error")).to_have_text("身份证号校验位不正确，请核对后重新输入。")
    screenshot(page, "org-onboard-error")
    # and once corrected, the person is onboarded at once and found by pinyin initials (解 as a surname)
    form.get_by_label("身份证号").fill(make_id_number())
    page.get_by_role("dialog").get_by_role("button", name="入职").click()
    page.get_by_text("已登记 解晓梅 入职").wait_for()
    expect(page.get_by_role("dialog")).to_have_count(0)
    search = page.get_by_test_id("contact-search").locator("input")
    search.fill("xxm")
    search.press("Enter")
    table = page.get_by_test_id("staff-table")
    row = table.locator("tbody tr.ant-table-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("解晓梅")
    expect(row).to_contain_text("内科")

    # when they transfer her to 外科 from now
    row.get_by_test_id("staff-actions").click()
    page.get_by_role("menuitem", name="调动").click()
    _pick_department(page, "transfer-department", "外科")
    page.get_by_role("dialog").get_by_test_id("confirm-action").click()
    page.get_by_text("解晓梅 的变动已生效").wait_for()
    # then the list reads again and shows her new department
    expect(row).to_contain_text("外科")
    expect(row).not_to_contain_text("内科")
    screenshot(page, "org-staff-actions")

    # when she leaves (confirmed in the dialog), she drops out of the contacts
    row.get_by_test_id("staff-actions").click()
    page.get_by_role("menuitem", name="离职").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("成员关系和授权终止")
    dialog.get_by_test_id("confirm-action").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(table.locator("tbody tr.ant-table-row")).to_have_count(0)
    page.get_by_text("没有找到匹配的人员").wait_for()
    from jianlian.org.models import StaffProfile, StaffStatus

    with tenant_context(province.tenant_a):
        assert StaffProfile.objects.get(staff_no="TL0301").status == StaffStatus.LEFT
    assert not page.js_errors, page.js_errors
