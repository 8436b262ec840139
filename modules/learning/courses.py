"""Courses: building one (chapters of video, document and article lessons), the catalogue,
each person's progress (the player reports a video's position every ~10 s; the next visit resumes
there) and completion, which records the course's credits in that year and counts the person done
in the course's assignments.

A video counts as watched when `furthest` reaches 90% of its length; `furthest` can only grow as
fast as time passes between two reports (plus a little slack), so skipping to the end is not
watching. A document or an article is done when the person says so (`finished`)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianlian.audit import service as audit
from jianlian.core.errors import DomainError, NotFoundError
from modules.learning import access
from modules.learning.models import (
    Chapter, Course, CourseCategory, CourseCompletion, Lesson, LessonKind, LessonProgress,
)

WATCHED = Decimal("0.9")  # share of a video's length that counts as watched
SLACK_SECONDS = 15  # a report may move `furthest` ahead of the time spent by this much
MAX_CREDITS = Decimal("99.9")


def clean_credits(value) -> Decimal:
    try:
        credits = Decimal(str(value if value not in (None, "") else 0)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise DomainError("INVALID", _("学分须为数字，如 0.5 或 2。"), "credits") from None
    if credits < 0 or credits > MAX_CREDITS:
        raise DomainError("INVALID", _("学分须在 0 到 99.9 之间。"), "credits")
    return credits


def category_for(name: str, department=None) -> CourseCategory | None:
    """The category `name` (of `department`, an org Department or None), created when new."""
    name = (name or "").strip()[:40]
    if not name:
        return None
    dept_name = department.name if department is not None else ""
    cat, _c = CourseCategory.objects.get_or_create(name=name, department_name=dept_name,
                                                   defaults={"department_id": getattr(department, "pk", None)})
    return cat


def lesson_fields(chapter: int, lesson: int) -> dict:
    """Where a lesson's errors point in the input: `chapters.0.lessons.1.url`."""
    at = f"chapters.{chapter}.lessons.{lesson}."
    return {"kind": at + "kind", "title": at + "title", "url": at + "url", "body": at + "body", "duration": at + "duration_seconds"}


def check_lesson(data: dict, course, chapter, position: int, fields: dict | None = None) -> Lesson:
    """A lesson checked against its kind; errors name `fields[part]` (default "chapters")."""
    f = (fields or {}).get
    kind = data.get("kind")
    if kind not in LessonKind.values:
        raise DomainError("INVALID", _("课时类型须为 视频、文档 或 图文。"), f("kind", "chapters"))
    title = (data.get("title") or "").strip()
    if not title:
        raise DomainError("INVALID", _("请填写课时标题。"), f("title", "chapters"))
    url, body, duration = (data.get("url") or "").strip(), (data.get("body") or "").strip(), int(data.get("duration_seconds") or 0)
    if kind in (LessonKind.VIDEO, LessonKind.DOCUMENT) and not url:
        raise DomainError("INVALID", _("视频和文档课时须填写地址。"), f("url", "chapters"))
    if kind == LessonKind.VIDEO and not 0 < duration <= 24 * 3600:
        raise DomainError("INVALID", _("视频课时须填写时长（1秒到24小时）。"), f("duration", "chapters"))
    if kind == LessonKind.ARTICLE and not body:
        raise DomainError("INVALID", _("图文课时须填写正文。"), f("body", "chapters"))
    return Lesson(course=course, chapter=chapter, title=title[:100], kind=kind, url=url[:500], body=body,
                  duration_seconds=duration if kind == LessonKind.VIDEO else 0, position=position)


def create_course(actor, *, title: str, chapters: list[dict], description: str = "", category: str = "",
                  department=None, credits=0, credit_kind: str = "", published: bool = True) -> Course:
    """A course with its chapters [{title, lessons: [{title, kind, url?, body?, duration_seconds?}]}],
    in the catalogue at once unless `published` is False (a draft, see course_admin). Who:
    `learning.manage`. Audited."""
    access.require_manager(actor)
    title = (title or "").strip()
    if not title:
        raise DomainError("INVALID", _("请填写课程名称。"), "title")
    credits = clean_credits(credits)
    if not chapters or not all((c.get("title") or "").strip() and c.get("lessons") for c in chapters):
        raise DomainError("INVALID", _("课程至少要有一个章节，每个章节要有标题和至少一个课时。"), "chapters")
    with transaction.atomic():
        course = Course.objects.create(title=title[:100], description=description or "", credits=credits,
                                       credit_kind=(credit_kind or "")[:10], category=category_for(category, department),
                                       is_published=published, created_by_id=actor.pk)
        position = 0
        for i, c in enumerate(chapters, start=1):
            chapter = Chapter.objects.create(course=course, title=c["title"].strip()[:100], position=i)
            lessons = []
            for j, data in enumerate(c["lessons"]):
                position += 1
                lessons.append(check_lesson(data, course, chapter, position, lesson_fields(i - 1, j)))
            Lesson.objects.bulk_create(lessons)
        audit.record("learning.create_course", actor=actor, target=course, after={"title": course.title, "lessons": position})
    return course


def catalogue(category_id=None, search: str = ""):
    qs = Course.objects.filter(is_published=True).select_related("category").annotate(lesson_count=Count("lessons"))
    if category_id:
        qs = qs.filter(category_id=category_id)
    if search:
        qs = qs.filter(Q(title__icontains=search.strip()[:50]))
    return qs


def access_course(user, course_id: int) -> Course:
    """Every member of the tenant sees the published catalogue; managers also the unpublished."""
    course = Course.objects.filter(pk=course_id).first()
    if course is None or not (course.is_published or access.is_manager(user)):
        raise NotFoundError(_("课程不存在或您无权查看。"), field="course")
    return course


def report_progress(user, lesson_id: int, position: int, finished: bool = False) -> LessonProgress:
    """The player's report: where the person is (seconds) and, for a document or an article,
    whether they finished it. Completes the lesson, then the course when every lesson is done."""
    lesson = Lesson.objects.select_related("course").filter(pk=lesson_id).first()
    if lesson is None or not (lesson.course.is_published or access.is_manager(user)):
        raise NotFoundError(_("课时不存在或您无权查看。"), field="lesson")
    if position is None or position < 0:
        raise DomainError("INVALID", _("播放位置不能为负。"), "position")
    now = timezone.now()
    with transaction.atomic():
        p, created = LessonProgress.objects.select_for_update().get_or_create(
            lesson=lesson, user_id=user.pk, defaults={"course": lesson.course, "updated_at": now})
        if lesson.kind == LessonKind.VIDEO:
            position = min(position, lesson.duration_seconds)
            elapsed = 0 if created else max(0, int((now - p.updated_at).total_seconds()))
            p.furthest = max(p.furthest, min(position, p.furthest + elapsed + SLACK_SECONDS))
            done = p.furthest >= lesson.duration_seconds * WATCHED
        else:
            position, done = 0, bool(finished)
        p.position, p.updated_at = position, now
        newly_done = done and p.completed_at is None
        if newly_done:
            p.completed_at = now
        p.save()
        if newly_done:
            _maybe_complete_course(user, lesson.course, now)
    return p


def _maybe_complete_course(user, course: Course, now) -> None:
    total = course.lessons.count()
    done = LessonProgress.objects.filter(course=course, user_id=user.pk, completed_at__isnull=False).count()
    if done < total:
        return
    completion, created = CourseCompletion.objects.get_or_create(
        course=course, user_id=user.pk,
        defaults={"completed_at": now, "year": timezone.localtime(now).year, "credits": course.credits,
                  "user_name": (getattr(user, "real_name", "") or "")[:60]})
    if created:
        from modules.learning import assignments

        audit.record("learning.complete_course", actor=user, target=course, after={"credits": str(course.credits)})
        assignments.course_finished(course.pk, user.pk, now)


def progress_of(user, course: Course) -> dict[int, LessonProgress]:
    return {p.lesson_id: p for p in LessonProgress.objects.filter(course=course, user_id=user.pk)}


def completion_of(user, course: Course) -> CourseCompletion | None:
    return CourseCompletion.objects.filter(course=course, user_id=user.pk).first()
