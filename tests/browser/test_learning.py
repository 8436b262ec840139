"""The learning centre in real browsers against the real server (issue 20): an admin builds a
random paper by rules and assigns it to 内科; a nurse takes it on a 360 px phone, reloads halfway
and continues with her answers intact, submits and sees her score; the admin's completion view
changes live."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tenants.context import tenant_context
from tests.browser.conftest import PHONE, screenshot, sign_in
from tests.factories import PASSWORD, build_province
from tests.learning_world import build

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(unique):
    p = build_province(unique(""))
    with tenant_context(p.tenant_a):
        w = build(p)
    for name in ("赵敏", "admin"):
        user = w.user(name)
        user.set_password(PASSWORD)
        user.save()
    return w


def _answer(page, kind: str) -> None:
    """Give some answer to the question on screen, whatever its type."""
    take = page.get_by_test_id("learning-take")
    if kind in ("单选", "多选"):
        take.locator(".ant-radio-wrapper, .ant-checkbox-wrapper").first.click()
    elif kind == "判断":
        take.locator(".ant-radio-button-wrapper").filter(has_text="错").click()
    elif kind == "填空":
        for i in range(page.get_by_test_id("learning-blank").count()):
            page.get_by_test_id("learning-blank").nth(i).locator("input").fill("48")
    else:
        page.get_by_test_id("learning-text").fill("挤、冲、消、报")
    expect(page.get_by_test_id("learning-saved")).to_have_text("已保存")


def _kind(page) -> str:
    return page.get_by_test_id("learning-question").locator(".ant-tag").inner_text()


def _pick_time(page, field, value: str) -> None:
    """Type a time into an Ant Design picker and confirm it with its OK button. Under load the first
    click sometimes lands while the dropdown is still opening and the field stays empty, so the typing
    is repeated until the field shows the value (at most three times)."""
    for _ in range(3):
        field.click()
        field.fill(value)
        ok = page.locator(".ant-picker-dropdown:visible .ant-picker-ok button")
        expect(ok).to_be_enabled()
        ok.click()
        try:
            expect(field).to_have_value(value, timeout=3_000)
            return
        except AssertionError:
            continue
    expect(field).to_have_value(value)


def test_admin_builds_a_random_paper_and_a_nurse_takes_it_at_360px(site, world, new_page):
    # given the admin builds a random paper: 3 easy 院感 questions and 2 急救 of any difficulty
    admin = new_page()
    sign_in(admin, site, world.user("admin").username, PASSWORD)
    admin.goto(f"{site}/learning/admin")
    form = admin.get_by_test_id("learning-paper-form")
    form.get_by_test_id("learning-exam-title").fill("院感与急救随机卷")
    rules = form.get_by_test_id("learning-rule")

    def rule(n: int, topic: str, difficulty: str, count: str) -> None:
        row = rules.nth(n)
        row.get_by_test_id("learning-rule-topic").click()
        admin.locator(".ant-select-dropdown:visible .ant-select-item-option").filter(has_text=topic).click()
        expect(row.get_by_test_id("learning-rule-topic")).to_contain_text(topic)  # the choice took
        row.get_by_test_id("learning-rule-difficulty").click()
        admin.locator(".ant-select-dropdown:visible .ant-select-item-option").filter(has_text=difficulty).click()
        expect(row.get_by_test_id("learning-rule-difficulty")).to_contain_text(difficulty)
        row.locator('input[data-testid="learning-rule-count"], [data-testid="learning-rule-count"] input').fill(count)
        row.locator('input[data-testid="learning-rule-points"], [data-testid="learning-rule-points"] input').fill("20")

    rule(0, "院感", "易", "3")
    form.get_by_test_id("learning-add-rule").click()
    rule(1, "急救", "不限", "2")
    screenshot(admin, "learning-admin")
    form.get_by_test_id("learning-create-exam").click()
    # (what lasts, not the 3-second toast: the new exam is offered in the assignment form below)

    # and assigns it to 内科 with a deadline
    assign = admin.get_by_test_id("learning-assign-form")
    expect(assign.get_by_test_id("learning-assign-exam")).to_contain_text("院感与急救随机卷")
    assign.get_by_test_id("learning-assign-departments").click()
    admin.locator(".ant-select-tree-node-content-wrapper").filter(has_text="内科").click()
    admin.keyboard.press("Escape")
    _pick_time(admin, assign.locator(".ant-picker input"), "2030-12-31 18:00:00")
    assign.get_by_test_id("learning-assign-submit").click()
    completion = admin.get_by_test_id("learning-completion")
    expect(completion.get_by_test_id("learning-done")).to_have_text("0/2")

    # when the nurse opens it from her phone
    nurse = new_page(viewport=PHONE)
    sign_in(nurse, site, world.user("赵敏").username, PASSWORD)
    nurse.goto(f"{site}/learning")
    nurse.get_by_test_id("learning-exam-row").filter(has_text="院感与急救随机卷").click()
    nurse.get_by_test_id("learning-start").click()
    take = nurse.get_by_test_id("learning-take")
    expect(take.get_by_test_id("learning-timer")).to_contain_text("19:")
    # one question per screen; answer two, then the phone reloads
    for n in (1, 2):
        expect(nurse.get_by_test_id("learning-question")).to_contain_text(f"第 {n}/5 题")
        _answer(nurse, _kind(nurse))
        nurse.get_by_test_id("learning-next").click()
    expect(nurse.get_by_test_id("learning-question")).to_contain_text("第 3/5 题")
    stem = nurse.get_by_test_id("learning-question").text_content()
    screenshot(nurse, "learning-take")
    nurse.reload()
    # she is back at the third question, with two answers kept
    expect(nurse.get_by_test_id("learning-question")).to_have_text(stem)
    expect(nurse.get_by_test_id("learning-take").get_by_text("2/5", exact=True)).to_be_visible()
    for n in (3, 4, 5):  # answer the rest
        expect(nurse.get_by_test_id("learning-question")).to_contain_text(f"第 {n}/5 题")
        _answer(nurse, _kind(nurse))
        if n < 5:
            nurse.get_by_test_id("learning-next").click()
    box = nurse.get_by_test_id("learning-submit").bounding_box()
    assert box and box["x"] + box["width"] <= PHONE["width"], "交卷 is cut off at 360 px"
    nurse.get_by_test_id("learning-submit").click()
    nurse.locator(".ant-popconfirm .ant-btn-primary").click()
    result = nurse.get_by_test_id("learning-result")
    expect(result).to_be_visible()
    expect(result).to_contain_text("得分")
    expect(result).to_contain_text("/ 100")
    screenshot(nurse, "learning-result")

    # then the admin's completion view moves without a reload
    expect(completion.get_by_test_id("learning-done")).to_have_text("1/2", timeout=15_000)
    screenshot(admin, "learning-completion")
    assert not admin.js_errors and not nurse.js_errors, (admin.js_errors, nurse.js_errors)
