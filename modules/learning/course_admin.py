"""Managing courses after creation: the managers' list (drafts included), editing a course's fields
and its chapters and lessons (reordering is the order sent), publishing and withdrawing it; and
editing a question of the bank.

Editing keeps a lesson that is sent back with its id (and everyone's progress in it); a lesson left
out is removed with its progress. People who already completed the course keep their completion
and its credits. A question someone has answered keeps its type, options and key (QUESTION_IN_USE):
changing them would change what earlier answers meant; retire it (`active: false`) and add a new one."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from jianlian.audit import service as audit
from jianlian.core.errors import DomainError, NotFoundError
from modules.learning import access, questions
from modules.learning.courses import category_for, check_lesson, clean_credits, lesson_fields
from modules.learning.models import AttemptItem, Chapter, Course, ExamQuestion, Lesson, Question


def managed_courses(actor, search: str = ""):
    """Every course, drafts included, newest first. Who: `learning.manage`."""
    access.require_manager(actor)
    qs = Course.objects.select_related("category").annotate(lesson_count=Count("lessons"))
    if search:
        qs = qs.filter(title__icontains=search.strip()[:50])
    return qs


def _course(actor, course_id: int) -> Course:
    access.require_manager(actor)
    course = Course.objects.select_for_update().filter(pk=course_id).first()
    if course is None:
        raise NotFoundError(_("课程不存在。"), field="course")
    return course


def update_course(actor, course_id: int, *, title: str, chapters: list[dict], description: str = "", category: str = "",
                  department=None, credits=0, credit_kind: str = "") -> Course:
    """Replace the course's fields and structure. `chapters`: [{title, lessons: [{id?, title, kind, …}]}]
    in the order wanted; a lesson's `id` must be one of this course's lessons. Audited."""
    title = (title or "").strip()
    if not title:
        raise DomainError("INVALID", _("请填写课程名称。"), "title")
    credits = clean_credits(credits)
    if not chapters or not all((c.get("title") or "").strip() and c.get("lessons") for c in chapters):
        raise DomainError("INVALID", _("课程至少要有一个章节，每个章节要有标题和至少一个课时。"), "chapters")
    with transaction.atomic():
        course = _course(actor, course_id)
        existing = {ls.pk: ls for ls in course.lessons.all()}
        old_chapters = list(course.chapters.values_list("pk", flat=True))
        course.title, course.description = title[:100], description or ""
        course.credits, course.credit_kind = credits, (credit_kind or "")[:10]
        course.category = category_for(category, department)
        course.save()
        position, kept, new = 0, [], []
        for i, c in enumerate(chapters, start=1):
            chapter = Chapter.objects.create(course=course, title=c["title"].strip()[:100], position=i)
            for j, data in enumerate(c["lessons"]):
                position += 1
                lesson = check_lesson(data, course, chapter, position, lesson_fields(i - 1, j))
                if data.get("id"):
                    old = existing.pop(int(data["id"]), None)
                    if old is None:
                        raise DomainError("NOT_FOUND", _("课时不存在或不属于这门课程。"), f"chapters.{i - 1}.lessons.{j}")
                    lesson.pk = old.pk
                    kept.append(lesson)
                else:
                    new.append(lesson)
        Lesson.objects.bulk_update(kept, ["chapter", "title", "kind", "url", "body", "duration_seconds", "position"])
        Lesson.objects.bulk_create(new)
        Lesson.objects.filter(pk__in=list(existing)).delete()
        Chapter.objects.filter(pk__in=old_chapters).delete()
        audit.record("learning.update_course", actor=actor, target=course,
                     after={"title": course.title, "lessons": position, "removed": len(existing)})
    return course


def publish_course(actor, course_id: int, published: bool) -> Course:
    """Publish a course to the catalogue (or withdraw it). Audited."""
    with transaction.atomic():
        course = _course(actor, course_id)
        if published and not course.lessons.exists():
            raise DomainError("INVALID", _("课程还没有课时，不能发布。"), "course")
        if course.is_published != published:
            course.is_published = published
            course.save(update_fields=["is_published"])
            audit.record("learning.publish_course" if published else "learning.withdraw_course", actor=actor, target=course)
    return course


KEY_FIELDS = ("kind", "options", "answer")


def update_question(actor, question_id: int, *, kind, stem, options=None, answer, topic, difficulty, explanation="",
                    active: bool | None = None) -> Question:
    """Edit a question of the bank. Who: `learning.manage`. Audited."""
    access.require_manager(actor)
    with transaction.atomic():
        q = Question.objects.select_for_update().filter(pk=question_id).first()
        if q is None:
            raise NotFoundError(_("题目不存在。"), field="question")
        checked = questions.build(kind=kind, stem=stem, options=options, answer=answer, topic=topic,
                                  difficulty=difficulty, explanation=explanation)
        changes_key = any(getattr(checked, f) != getattr(q, f) for f in KEY_FIELDS)
        if changes_key and (AttemptItem.objects.filter(question=q).exists() or ExamQuestion.objects.filter(question=q).exists()):
            raise DomainError("QUESTION_IN_USE", _("这道题已用于考试，题型、选项和答案不能再改；可停用后另建新题。"), "answer")
        before = {"stem": q.stem, "topic": q.topic, "difficulty": q.difficulty, "is_active": q.is_active}
        for f in ("kind", "stem", "options", "answer", "topic", "difficulty", "explanation"):
            setattr(q, f, getattr(checked, f))
        if active is not None:
            q.is_active = bool(active)
        q.save()
        audit.record("learning.update_question", actor=actor, target=q, before=before,
                     after={"stem": q.stem, "topic": q.topic, "difficulty": q.difficulty, "is_active": q.is_active})
    return q
