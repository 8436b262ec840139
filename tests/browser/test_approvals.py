"""Approvals in real browsers against the real server (issue 16): a nurse submits a leave request
on a 360 px phone, her department head sees it arrive live in the to-do centre and approves it in
two taps at 360 px, and the nurse's page turns to 已通过 without a reload."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tenants.context import tenant_context
from tests.approvals_world import build
from tests.browser.conftest import PHONE, screenshot, sign_in
from tests.factories import PASSWORD, build_province

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(unique):
    p = build_province(unique(""))
    with tenant_context(p.tenant_a):
        w = build(p)
    for name in ("赵敏", "内科主任"):
        user = w.user(name)
        user.set_password(PASSWORD)
        user.save()
    return w


def _wait_subscribed(page, name: str):
    """Waits until the page has sent its subscription `name` over the socket."""
    page.wait_for_function("n => (window.__subs || []).some(s => s.includes(n))", arg=name, timeout=10_000)
    page.wait_for_timeout(500)


def _watch_subscriptions(page):
    page.add_init_script("""
      (() => {
        const send = WebSocket.prototype.send;
        WebSocket.prototype.send = function (data) {
          (window.__subs = window.__subs || []).push(String(data));
          return send.call(this, data);
        };
      })();
    """)


def test_a_leave_request_reaches_the_head_live_who_approves_it_in_two_taps_at_360px(site, world, new_page):
    start = dt.date.today() + dt.timedelta(days=7)
    end = start + dt.timedelta(days=1)

    # given the department head's to-do centre open on a phone
    head = new_page(viewport=PHONE)
    _watch_subscriptions(head)
    sign_in(head, site, world.user("内科主任").username, PASSWORD)
    head.goto(f"{site}/todos")
    head.get_by_text("没有待处理的事项").wait_for()
    _wait_subscribed(head, "TodoCountsChanged")

    # when the nurse fills in a leave request on her phone
    nurse = new_page(viewport=PHONE)
    _watch_subscriptions(nurse)
    sign_in(nurse, site, world.user("赵敏").username, PASSWORD)
    nurse.goto(f"{site}/approvals")
    nurse.get_by_test_id("template-leave").click()
    form = nurse.get_by_test_id("approval-form")
    # the server's per-field errors show under their fields
    nurse.get_by_test_id("submit-approval").click()
    expect(form.get_by_text("此项为必填。").first).to_be_visible()
    form.locator("#root_leaveType").click()
    nurse.locator(".ant-select-item-option").filter(has_text="年假").click()
    inputs = form.get_by_test_id("field-range").locator("input")
    inputs.nth(0).fill(start.isoformat())
    inputs.nth(0).press("Enter")
    inputs.nth(1).fill(end.isoformat())
    inputs.nth(1).press("Enter")
    expect(form.get_by_test_id("range-days")).to_contain_text("2")
    form.locator("#root_reason").fill("回老家探亲")
    screenshot(nurse, "approval-start")
    nurse.get_by_test_id("submit-approval").click()
    detail = nurse.get_by_test_id("approval-detail")
    expect(detail.get_by_test_id("approval-status")).to_have_text("审批中")
    expect(detail.get_by_test_id("approval-flow")).to_contain_text("内科主任")
    _wait_subscribed(nurse, "ApprovalChanged")

    # then it appears in the head's to-do centre without a reload
    item = head.get_by_test_id("todo-item").filter(has_text="赵敏")
    item.wait_for(timeout=15_000)
    expect(head.get_by_test_id("count-PENDING")).to_contain_text("1")
    screenshot(head, "todos")

    # and two taps approve it: the item, then 同意
    item.click()
    drawer = head.get_by_test_id("todo-drawer")
    expect(drawer.get_by_test_id("approval-status")).to_have_text("审批中")
    approve = drawer.get_by_test_id("action-APPROVE")
    box = approve.bounding_box()
    assert box and box["x"] + box["width"] <= PHONE["width"], "同意 is cut off at 360 px"
    screenshot(head, "approval-detail")
    approve.click()
    expect(drawer.get_by_test_id("approval-status")).to_have_text("已通过")
    expect(drawer.locator('button[data-testid^="action-"]').filter(has_text="同意")).to_have_count(0)

    # while the nurse's page turns to 已通过 on its own
    expect(detail.get_by_test_id("approval-status")).to_have_text("已通过", timeout=15_000)
    expect(detail.get_by_test_id("approval-timeline")).to_contain_text("同意")
    assert not head.js_errors and not nurse.js_errors, (head.js_errors, nurse.js_errors)

    # it is under 我已处理 with its outcome, and the to-do centre reads in English too
    head.keyboard.press("Escape")
    head.get_by_test_id("tab-DONE").click()
    head.get_by_test_id("todo-item").filter(has_text="赵敏").wait_for()
    expect(head.get_by_test_id("todo-item").filter(has_text="赵敏")).to_contain_text("已通过")
    screenshot(head, "todos-done")
    head.get_by_test_id("language-switch").click()
    head.get_by_text("To-do centre").wait_for()
    screenshot(head, "todos-en")


def test_an_admin_builds_a_form_and_a_flow_with_a_condition_branch_in_the_designer(site, world, new_page):
    from modules.approvals.models import Template

    admin = new_page()
    sign_in(admin, site, world.user("admin").username, PASSWORD)
    admin.get_by_role("menuitem", name="审批设计").click()
    designer = admin.get_by_test_id("approval-designer")
    designer.get_by_label("模板名称").fill("外出登记")
    designer.get_by_label("模板代码（字母）").fill("outing")
    # a form of two fields, the second moved up to come first
    designer.get_by_test_id("add-field").click()
    designer.get_by_test_id("add-field").click()
    first, second = designer.get_by_test_id("designer-field").nth(0), designer.get_by_test_id("designer-field").nth(1)
    first.get_by_label("字段标题").fill("外出事由")
    first.get_by_label("字段代码").fill("reason")
    first.get_by_text("必填").click()
    second.get_by_label("字段标题").fill("外出天数")
    second.get_by_label("字段代码").fill("days")
    second.get_by_label("字段类型").click()
    admin.locator(".ant-select-item-option").filter(has_text="数字").click()
    second.get_by_label("上移").click()
    expect(designer.get_by_test_id("approval-form")).to_contain_text("外出天数")
    # a department head approves; more than 2 days also goes to the head one level up
    designer.get_by_test_id("add-node").click()
    designer.get_by_test_id("designer-node").get_by_label("节点名称").fill("科室负责人")
    designer.get_by_test_id("branch-switch").click()
    branch = designer.get_by_test_id("designer-branch")
    branch.get_by_label("条件值").fill("2")
    branch.get_by_label("分支名称").fill("超过2天")
    branch.get_by_test_id("designer-branch-node").get_by_label("节点名称").fill("分管领导")
    branch.get_by_test_id("designer-branch-node").locator("input.ant-input-number-input").fill("2")
    screenshot(admin, "approval-designer")
    designer.get_by_test_id("designer-save").click()
    admin.get_by_text("已保存").wait_for()

    with tenant_context(world.p.tenant_a):
        version = Template.objects.get(key="outing").current_version
    assert version.form_schema["required"] == ["reason"]
    assert list(version.form_schema["properties"]) == ["days", "reason"]
    head = version.flow["child"]
    assert (head["name"], head["assignee"]) == ("科室负责人", {"kind": "department_head", "level": 1})
    [yes, other] = head["child"]["branches"]
    assert yes["when"] == {"all": [{"field": "days", "op": "gt", "value": 2}]} and other["default"]
    assert (yes["child"]["name"], yes["child"]["assignee"]) == ("分管领导", {"kind": "department_head", "level": 2})
    assert not admin.js_errors, admin.js_errors
