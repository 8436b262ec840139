"""Courses: categories per department, courses of chapters of lessons (video, document,
article), each person's progress per lesson (a video's position, resumable) and a course's
completion, which earns its credits in the year it was completed (继续医学教育学分)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CourseCategory(models.Model):
    """A catalogue category, optionally owned by a department (its courses list under it)."""

    name = models.CharField(_("分类"), max_length=40)
    department_id = models.BigIntegerField(_("科室ID"), null=True, blank=True)
    department_name = models.CharField(_("科室"), max_length=60, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "department_name"], name="learning_category_once")]
        ordering = ["department_name", "name"]


class Course(models.Model):
    title = models.CharField(_("课程名称"), max_length=100)
    description = models.TextField(_("简介"), blank=True, default="")
    category = models.ForeignKey(CourseCategory, on_delete=models.SET_NULL, null=True, blank=True, related_name="courses")
    credits = models.DecimalField(_("学分"), max_digits=4, decimal_places=1, default=0)
    credit_kind = models.CharField(_("学分类别"), max_length=10, blank=True, default="")  # Ⅰ类 / Ⅱ类
    is_published = models.BooleanField(_("已发布"), default=True)
    created_by_id = models.BigIntegerField(_("创建人ID"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)


class Chapter(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="chapters")
    title = models.CharField(_("章节"), max_length=100)
    position = models.PositiveIntegerField(_("序号"))

    class Meta:
        ordering = ["position"]


class LessonKind(models.TextChoices):
    VIDEO = "video", _("视频")
    DOCUMENT = "document", _("文档")
    ARTICLE = "article", _("图文")


class Lesson(models.Model):
    """A lesson: a video (`url`, `duration_seconds`), a document (`url`) or an article (`body`)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="lessons")
    title = models.CharField(_("课时"), max_length=100)
    kind = models.CharField(_("类型"), max_length=10, choices=LessonKind.choices)
    url = models.CharField(_("地址"), max_length=500, blank=True, default="")
    body = models.TextField(_("正文"), blank=True, default="")
    duration_seconds = models.PositiveIntegerField(_("时长（秒）"), default=0)
    position = models.PositiveIntegerField(_("序号"))

    class Meta:
        ordering = ["position"]


class LessonProgress(models.Model):
    """One person's progress in one lesson. `position` is where the player was last (to resume);
    `furthest` how far they have really watched (it cannot jump ahead of the time spent)."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+")
    user_id = models.BigIntegerField(_("人员ID"))
    position = models.PositiveIntegerField(_("播放位置（秒）"), default=0)
    furthest = models.PositiveIntegerField(_("最远观看（秒）"), default=0)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["lesson", "user_id"], name="learning_progress_once")]
        indexes = [models.Index(fields=["user_id", "course"])]


class CourseCompletion(models.Model):
    """A person completed a course: the credits it carried then, in the year completed (the yearly
    credit record is the sum of these)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="completions")
    user_id = models.BigIntegerField(_("人员ID"))
    user_name = models.CharField(_("姓名"), max_length=60, blank=True, default="")
    completed_at = models.DateTimeField(_("完成时间"))
    year = models.PositiveIntegerField(_("年度"))
    credits = models.DecimalField(_("学分"), max_digits=4, decimal_places=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course", "user_id"], name="learning_course_completed_once")]
        indexes = [models.Index(fields=["user_id", "year"]), models.Index(fields=["year"])]
