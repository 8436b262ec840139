"""The learning managers' screens in real browsers (issue 20): a manager adds a question to the bank by
hand and starts a campaign, builds a course of two lessons (reordering them), publishes it and
assigns it to 内科; a nurse on a 360 px phone finds it in her to-dos, reads both lessons (an
article among them) and the manager's completion moves without a reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, screenshot, sign_in
from tests.browser.test_learning import _pick_time, world  # noqa: F401 (fixture)
from tests.factories import PASSWORD
from tests.test_learning_courses import _xlsx

pytestmark = pytest.mark.django_db(transaction=True)


def _option(page, text: str) -> None:
    page.locator(".ant-select-dropdown:visible .ant-select-item-option").filter(has_text=text).first.click()


def _input(scope, test_id: str):
    """The text box of an Ant Design input that carries `test_id` on itself or on its wrapper."""
    return scope.locator(f'input[data-testid="{test_id}"], [data-testid="{test_id}"] input').first


def test_a_manager_builds_publishes_and_assigns_a_course_and_a_nurse_completes_it_at_360px(site, world, new_page, tmp_path):
    admin = new_page()
    sign_in(admin, site, world.user("admin").username, PASSWORD)

    # the bank: a fill-in question by hand; a missing key is caught under its field
    admin.goto(f"{site}/learning/admin?tab=bank")
    admin.get_by_test_id("learning-new-question").click()
    editor = admin.get_by_test_id("learning-question-form")
    editor.get_by_test_id("learning-question-kind").click()
    _option(admin, "填空")
    editor.get_by_test_id("learning-question-stem").fill("职业暴露后应在__小时内报告。")
    _input(editor, "learning-question-topic").fill("职业防护")
    admin.get_by_test_id("learning-question-save").click()
    expect(editor).to_contain_text("请填写答案")
    blank = _input(editor, "learning-question-blank")
    blank.fill("1")
    blank.press("Enter")
    blank.fill("一")
    blank.press("Enter")
    screenshot(admin, "learning-admin-question")
    admin.get_by_test_id("learning-question-save").click()
    expect(editor).to_have_count(0)
    expect(admin.get_by_test_id("learning-question-row").first).to_contain_text("职业暴露后应在__小时内报告。")
    screenshot(admin, "learning-admin-bank")

    # a topic campaign of 2 a day on 急救, its (empty) leaderboard shown
    admin.get_by_role("tab", name="每日一答与竞赛").click()
    form = admin.get_by_test_id("learning-campaign-form")
    form.get_by_test_id("learning-campaign-title").fill("急救知识竞赛")
    form.get_by_text("专题竞赛").click()
    form.get_by_test_id("learning-campaign-topic").click()
    _option(admin, "急救")
    _input(form, "learning-campaign-per-day").fill("2")
    form.get_by_test_id("learning-campaign-create").click()
    expect(admin.get_by_test_id("learning-campaign-card").filter(has_text="急救知识竞赛")).to_contain_text("每天 2 题 · 急救")
    screenshot(admin, "learning-admin-quiz")

    # a course of two lessons: an article, then a document moved before it
    admin.get_by_role("tab", name="课程").click()
    admin.get_by_test_id("learning-new-course").click()
    course = admin.get_by_test_id("learning-course-form")
    course.get_by_test_id("learning-course-title").fill("职业暴露处置")
    _input(course, "learning-course-category").fill("院感")
    _input(course, "learning-course-credits").fill("1.5")
    lessons = course.get_by_test_id("learning-lesson-edit")
    lessons.nth(0).get_by_test_id("learning-lesson-title").fill("暴露后怎么做")
    lessons.nth(0).get_by_test_id("learning-lesson-body").fill("立即挤出伤口血液，流动水冲洗，消毒，报告。")
    course.get_by_test_id("learning-add-lesson").click()
    lessons.nth(1).get_by_test_id("learning-lesson-kind").click()
    _option(admin, "文档")
    lessons.nth(1).get_by_test_id("learning-lesson-title").fill("处置流程图")
    lessons.nth(1).get_by_test_id("learning-lesson-url").fill("https://docs.example/exposure.pdf")
    lessons.nth(1).get_by_role("button", name="上移").click()
    expect(lessons.nth(0).get_by_test_id("learning-lesson-title")).to_have_value("处置流程图")
    screenshot(admin, "learning-admin-course-editor")
    admin.get_by_test_id("learning-course-publish").click()
    row = admin.get_by_test_id("learning-course-admin-row").filter(has_text="职业暴露处置")
    expect(row).to_contain_text("已发布")
    screenshot(admin, "learning-admin-courses")

    # a course list from Excel: the bad row is shown by row and column, the valid one imported
    sheet = tmp_path / "courses.xlsx"
    sheet.write_bytes(_xlsx([["患者身份识别", "患者安全", "", "0.5", "", "", "", "两种识别方法", "图文", "", "", "至少两种。"],
                             ["病历书写", "质控", "", "1", "", "", "", "规范", "音频", "", "", ""]]))
    admin.get_by_test_id("learning-import-courses").click()
    admin.locator(".ant-modal input[type=file]").set_input_files(str(sheet))
    expect(admin.get_by_test_id("learning-import-file")).to_have_text("courses.xlsx")
    admin.get_by_test_id("learning-import-preview").click()
    errors = admin.get_by_test_id("learning-import-errors")
    expect(errors).to_contain_text("类型")
    expect(errors.locator("tbody tr.ant-table-row")).to_have_count(1)
    admin.get_by_text("只导入正确的行").click()
    admin.get_by_test_id("learning-import-run").click()
    expect(admin.get_by_test_id("learning-import-report")).to_contain_text("新增 1 门课程")
    screenshot(admin, "learning-admin-course-import")
    admin.locator(".ant-modal-close").click()
    expect(admin.get_by_test_id("learning-course-admin-row").filter(has_text="患者身份识别")).to_contain_text("已发布")

    # assigned to 内科 with a deadline: the live completion opens at 0 of 2
    row.get_by_test_id("learning-assign-course").click()
    assign = admin.get_by_test_id("learning-assign-course-form")
    assign.get_by_test_id("learning-assign-course-departments").click()
    admin.locator(".ant-select-tree-node-content-wrapper").filter(has_text="内科").click()
    admin.keyboard.press("Escape")
    _pick_time(admin, assign.locator(".ant-picker input"), "2030-12-31 18:00:00")
    admin.get_by_test_id("learning-assign-course-submit").click()
    completion = admin.get_by_test_id("learning-completion")
    expect(completion).to_contain_text("职业暴露处置")
    expect(completion.get_by_test_id("learning-done")).to_have_text("0/2")

    # the nurse finds it in her to-dos on her phone and reads both lessons
    nurse = new_page(viewport=PHONE)
    sign_in(nurse, site, world.user("赵敏").username, PASSWORD)
    nurse.goto(f"{site}/todos")
    nurse.get_by_test_id("todo-item").filter(has_text="职业暴露处置").click()
    page = nurse.get_by_test_id("learning-course")
    expect(page.get_by_test_id("learning-lesson")).to_contain_text("处置流程图")
    page.get_by_test_id("learning-lesson-finish").click()
    expect(page.get_by_test_id("learning-lesson")).to_contain_text("暴露后怎么做")
    expect(page.get_by_test_id("learning-lesson")).to_contain_text("流动水冲洗")
    box = page.get_by_test_id("learning-lesson-finish").bounding_box()
    assert box and box["x"] + box["width"] <= PHONE["width"], "我已学完 is cut off at 360 px"
    page.get_by_test_id("learning-lesson-finish").click()
    expect(page.get_by_test_id("learning-course-done")).to_contain_text("1.5 学分")
    screenshot(nurse, "learning-admin-nurse-done")

    # the manager's completion moved without a reload
    expect(completion.get_by_test_id("learning-done")).to_have_text("1/2", timeout=15_000)
    screenshot(admin, "learning-admin-course-completion")
    assert not admin.js_errors and not nurse.js_errors, (admin.js_errors, nurse.js_errors)
