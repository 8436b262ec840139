"""Courses and the daily quiz in real browsers (issue 20): on a 360 px phone a nurse finds her
course in the catalogue, the video offers to resume where she stopped, finishing an article
completes a course and its credits show in her record; she answers today's quiz once and sees
her department on the leaderboard; the admin reads an exam's item analysis."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tenants.context import tenant_context
from tests.browser.conftest import PHONE, screenshot, sign_in
from tests.factories import PASSWORD, build_province
from tests.learning_world import build

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(unique):
    from modules.learning import assignments, attempts, courses, exams, quiz
    from modules.learning.models import AttemptItem

    p = build_province(unique(""))
    with tenant_context(p.tenant_a):
        w = build(p)
        admin, nurse = w.user("admin"), w.user("赵敏")
        hygiene = courses.create_course(admin, title="手卫生规范", credits=2, credit_kind="Ⅱ类", category="院感",
                                        department=w.depts["内科"], chapters=[
                                            {"title": "第一章 洗手", "lessons": [
                                                {"title": "七步洗手法", "kind": "video", "url": "/static/none.mp4", "duration_seconds": 300},
                                                {"title": "手卫生指征", "kind": "article", "body": "接触患者前后、无菌操作前。"}]}])
        courses.create_course(admin, title="患者身份识别", credits=0.5, category="患者安全", chapters=[
            {"title": "第一章", "lessons": [{"title": "两种识别方法", "kind": "article", "body": "至少使用两种身份识别方法。"}]}])
        courses.report_progress(nurse, hygiene.lessons.get(kind="video").pk, 40)
        assignments.assign(admin, None, {"department_ids": [w.depts["内科"].pk]}, timezone.now() + dt.timedelta(days=7),
                           course_id=hygiene.pk)
        quiz.create_campaign(admin, title="急救知识月", kind="campaign", per_day=2, topic="急救")
        # a closed exam two people sat, for the item analysis
        exam = exams.create_exam(admin, title="急救考核", mode="fixed", questions=[{"question": w.bank[i].pk} for i in (6, 7, 8)])
        assignments.assign(admin, exam.pk, {"user_ids": [w.user("钱进").pk, w.user("孙立").pk]}, timezone.now() + dt.timedelta(days=1))
        for name, right in (("钱进", True), ("孙立", False)):
            a = attempts.start_attempt(w.user(name), exam.pk)
            for item in AttemptItem.objects.filter(attempt=a).select_related("question"):
                q = item.question
                answer = q.answer if right else ((q.answer + 1) % len(q.options) if q.kind == "single" else not q.answer)
                attempts.save_answer(w.user(name), item.pk, answer)
            attempts.submit(w.user(name), a.pk)
        exams.close_exam(admin, exam.pk)
    for name in ("赵敏", "admin"):
        user = w.user(name)
        user.set_password(PASSWORD)
        user.save()
    return w


def test_a_nurse_studies_courses_and_answers_the_daily_quiz_at_360px(site, world, new_page):
    nurse = new_page(viewport=PHONE)
    sign_in(nurse, site, world.user("赵敏").username, PASSWORD)
    # the assigned course is in her list; the catalogue shows both, with her progress
    nurse.goto(f"{site}/learning")
    expect(nurse.get_by_test_id("learning-assigned-course-row")).to_contain_text("手卫生规范")
    nurse.goto(f"{site}/learning/courses")
    rows = nurse.get_by_test_id("learning-course-row")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="手卫生规范")).to_contain_text("0/2")
    screenshot(nurse, "learning-courses")
    rows.filter(has_text="手卫生规范").click()
    # the video offers to go on from 0:40
    expect(nurse.get_by_test_id("learning-resume")).to_contain_text("0:40")
    expect(nurse.get_by_test_id("learning-video")).to_be_visible()
    screenshot(nurse, "learning-course")

    # an article finished completes a one-lesson course, and its credits are in her record
    nurse.goto(f"{site}/learning/courses")
    nurse.get_by_test_id("learning-course-row").filter(has_text="患者身份识别").click()
    nurse.get_by_test_id("learning-lesson-finish").click()
    expect(nurse.get_by_test_id("learning-course-done")).to_contain_text("0.5 学分")
    nurse.goto(f"{site}/learning/credits")
    expect(nurse.get_by_test_id("learning-credit-total")).to_contain_text("0.5")
    expect(nurse.get_by_test_id("learning-credits")).to_contain_text("患者身份识别")
    screenshot(nurse, "learning-credits")

    # today's quiz: two questions, answered once; then the key, her points and the leaderboard
    nurse.goto(f"{site}/learning/quiz")
    nurse.get_by_test_id("learning-quiz-open").click()
    questions = nurse.get_by_test_id("learning-quiz-question")
    expect(questions).to_have_count(2)
    for i in range(2):
        questions.nth(i).locator(".ant-radio-wrapper").first.click()
    box = nurse.get_by_test_id("learning-quiz-submit").bounding_box()
    assert box and box["x"] + box["width"] <= PHONE["width"], "提交答案 is cut off at 360 px"
    nurse.get_by_test_id("learning-quiz-submit").click()
    expect(nurse.get_by_test_id("learning-quiz-result")).to_contain_text("/2")
    expect(questions.first).to_contain_text("答案：")
    expect(nurse.get_by_test_id("learning-quiz-submit")).to_have_count(0)
    screenshot(nurse, "learning-quiz")
    nurse.get_by_role("tab", name="排行榜").click()
    expect(nurse.get_by_test_id("learning-leaderboard")).to_contain_text("内科")
    expect(nurse.get_by_test_id("learning-leaderboard")).to_contain_text("赵敏")
    screenshot(nurse, "learning-leaderboard")

    # the admin reads the closed exam's item analysis
    admin = new_page()
    sign_in(admin, site, world.user("admin").username, PASSWORD)
    admin.goto(f"{site}/learning/admin")
    admin.get_by_test_id("learning-analysis-row").filter(has_text="急救考核").click()
    table = admin.get_by_test_id("learning-item-analysis")
    expect(table.locator("tbody tr.ant-table-row")).to_have_count(3)
    expect(table).to_contain_text("50%")
    screenshot(admin, "learning-item-analysis")
    assert not admin.js_errors and not nurse.js_errors, (admin.js_errors, nurse.js_errors)
