"""Learning centre courses, credits, course assignments and reminders, course import (issue 20):
a video resumes where it was and cannot be skipped to the end, finishing every lesson completes the
course and records its credits in the year, managers export the year's credits, an assigned course
counts people done by department and reminds the rest before the deadline, a course list imports
with per-row errors."""

from __future__ import annotations

import base64
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from jianlian.core.errors import DomainError
from jianlian.notifications.models import Delivery
from jianlian.todos.models import State, TodoItem
from modules.learning import assignments, course_import, courses, credits
from modules.learning.models import Course, CourseCompletion, LessonProgress
from tenants.context import tenant_context
from tests.conftest import _built_for_the_module
from tests.factories import build_province
from tests.learning_world import build


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    def make():
        p = build_province()
        with tenant_context(p.tenant_a):
            return build(p)

    yield from _built_for_the_module(django_db_blocker, make)


@pytest.fixture
def w(db, _world):
    held, world = _world
    for u in world.people.values():
        u.__dict__.pop("_jl_grants", None)
    with tenant_context(world.p.tenant_a):
        yield world


def hand_hygiene(w, credits_=2):
    return courses.create_course(w.user("admin"), title="手卫生规范", credits=credits_, credit_kind="Ⅱ类", category="院感",
                                 department=w.depts["内科"], chapters=[
                                     {"title": "第一章", "lessons": [{"title": "七步洗手法", "kind": "video", "url": "https://v.example/1.mp4",
                                                                    "duration_seconds": 100}]},
                                     {"title": "第二章", "lessons": [{"title": "指征", "kind": "article", "body": "接触患者前后。"}]}])


def lessons(course):
    return list(course.lessons.order_by("position"))


def rewind(progress_lesson, user, seconds):
    """Time passes since the last report."""
    LessonProgress.objects.filter(lesson=progress_lesson, user_id=user.pk).update(
        updated_at=timezone.now() - dt.timedelta(seconds=seconds))


def test_a_video_resumes_cannot_be_skipped_and_finishing_every_lesson_earns_the_credits(w):
    nurse = w.user("赵敏")
    course = hand_hygiene(w)
    video, article = lessons(course)
    p = courses.report_progress(nurse, video.pk, 10)
    assert (p.position, p.furthest, p.completed_at) == (10, 10, None)
    # she drags the bar to the end right away: the position is kept, but she has not watched it
    p = courses.report_progress(nurse, video.pk, 100)
    assert p.position == 100 and p.furthest <= 10 + courses.SLACK_SECONDS and p.completed_at is None
    # back to where she was; the player resumes there next time
    courses.report_progress(nurse, video.pk, 20)
    assert courses.progress_of(nurse, course)[video.pk].position == 20
    for pos in (40, 60, 80, 92):  # real watching: 20 s between reports
        rewind(video, nurse, 20)
        p = courses.report_progress(nurse, video.pk, pos)
    assert p.completed_at is not None and p.furthest == 92
    assert CourseCompletion.objects.filter(course=course, user_id=nurse.pk).count() == 0  # the article is left
    courses.report_progress(nurse, article.pk, 0, finished=True)
    done = CourseCompletion.objects.get(course=course, user_id=nurse.pk)
    assert done.credits == Decimal("2.0") and done.year == timezone.localdate().year
    total, rows = credits.my_record(nurse, done.year)
    assert total >= Decimal("2.0") and course.pk in [r.course_id for r in rows]
    assert all(r.user_id == w.user("孙立").pk for r in credits.my_record(w.user("孙立"), done.year)[1])  # only her own

    # the manager's export: per person totals and the details
    wb = load_workbook(io.BytesIO(credits.export(w.user("admin"), done.year)))
    summary = [r for r in wb["汇总"].iter_rows(values_only=True)]
    assert summary[0] == ("姓名", "科室", "年度", "课程数", "学分合计")
    row = next(r for r in summary if r[0] == "赵敏")
    assert row[1] == "内科" and row[4] >= 2
    assert any(r[2] == "手卫生规范" and r[4] == 2 for r in wb["明细"].iter_rows(values_only=True))
    with pytest.raises(DomainError):
        credits.export(nurse, done.year)


def test_course_checks_and_catalogue(w):
    with pytest.raises(DomainError) as e:
        courses.create_course(w.user("admin"), title="空课", chapters=[])
    assert e.value.code == "INVALID" and e.value.field == "chapters"
    with pytest.raises(DomainError) as e:
        courses.create_course(w.user("admin"), title="坏视频", chapters=[{"title": "一", "lessons": [{"title": "v", "kind": "video", "url": "x"}]}])
    assert "时长" in str(e.value.message)
    with pytest.raises(DomainError) as e:
        courses.create_course(w.user("admin"), title="学分", credits="两分", chapters=[{"title": "一", "lessons": [{"title": "a", "kind": "article", "body": "b"}]}])
    assert e.value.field == "credits"
    with pytest.raises(DomainError) as e:
        courses.create_course(w.user("赵敏"), title="越权", chapters=[])
    assert e.value.code == "PERMISSION_DENIED"
    c = hand_hygiene(w)
    assert c.category.department_name == "内科"
    assert c in courses.catalogue(search="手卫生")


def test_an_assigned_course_counts_people_done_by_department_and_reminds_the_rest(w):
    course = hand_hygiene(w, credits_=1)
    a = assignments.assign(w.user("admin"), None, {"user_ids": [w.user(n).pk for n in ("赵敏", "钱进", "孙立")]},
                           timezone.now() + dt.timedelta(hours=20), course_id=course.pk)
    todo = TodoItem.objects.get(key=assignments.todo_key(a.pk), user_id=w.user("钱进").pk)
    assert todo.state == State.PENDING and todo.link.startswith("/learning/courses/")
    video, article = lessons(course)
    qian = w.user("钱进")
    courses.report_progress(qian, video.pk, 0)
    rewind(video, qian, 200)
    courses.report_progress(qian, video.pk, 100)
    courses.report_progress(qian, article.pk, 0, finished=True)
    by_dept = {r["department_name"]: r for r in assignments.completion(a)}
    assert (by_dept["内科"]["total"], by_dept["内科"]["done"]) == (2, 1)
    assert (by_dept["外科"]["total"], by_dept["外科"]["done"]) == (1, 0)
    assert TodoItem.objects.get(pk=todo.pk).state == State.DONE
    # due within a day: the two not done are reminded, once
    from modules.learning.tasks import remind_assignments

    before = Delivery.objects.count()
    assert remind_assignments.run() >= 2
    reminded = set(Delivery.objects.order_by("-id")[:Delivery.objects.count() - before].values_list("user_id", flat=True))
    assert {w.user("赵敏").pk, w.user("孙立").pk} <= reminded and qian.pk not in reminded
    assert assignments.remind_due() == 0


def _xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "课程"
    ws.append(["课程名称*", "分类", "科室", "学分", "学分类别", "简介", "章节", "课时*", "类型*", "地址", "时长（分钟）", "正文"])
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_course_list_imports_with_per_row_errors(w):
    data = _xlsx([
        ["院感防控", "院感", "内科", "1.5", "Ⅰ类", "", "第一章", "标准预防", "视频", "https://v.example/a.mp4", "12", ""],
        ["院感防控", "院感", "内科", "1.5", "Ⅰ类", "", "第二章", "医废", "图文", "", "", "分类收集。"],
        ["急救技能", "急救", "不存在科", "1", "", "", "", "心肺复苏", "视频", "https://v.example/b.mp4", "10", ""],
        ["消毒隔离", "院感", "", "一分", "", "", "", "讲义", "文档", "", "", ""],
        ["病历书写", "质控", "", "1", "", "", "", "规范", "音频", "", "", ""],
    ])
    admin = w.user("admin")
    report = course_import.import_courses(admin, data, mode="all_or_nothing")
    assert not report.applied and Course.objects.filter(title="院感防控").count() == 0
    by_row = {(e["row"], e["column"]) for e in report.errors}
    assert by_row == {(4, "科室"), (5, "学分"), (6, "类型")}
    assert all(e["message"].startswith(f"第{e['row']}行") for e in report.errors)
    report = course_import.import_courses(admin, data, mode="valid_only")
    assert report.applied and report.created == 1
    c = Course.objects.get(title="院感防控")
    assert c.credits == Decimal("1.5") and c.chapters.count() == 2 and c.lessons.count() == 2
    assert c.lessons.get(title="标准预防").duration_seconds == 720
    # the bad document row names its address column
    report = course_import.import_courses(admin, _xlsx([["讲义课", "", "", "", "", "", "", "讲义", "文档", "", "", ""]]), mode="valid_only")
    assert [(e["column"], e["code"]) for e in report.errors] == [("地址", "INVALID")]
    assert base64.b64encode(course_import.template())
