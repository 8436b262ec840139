"""The learning centre's tables (in each installing tenant's schema). People are referred to by
`user_id` (global accounts live in the public schema), as the other modules do."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    SINGLE = "single", _("单选题")
    MULTIPLE = "multiple", _("多选题")
    TRUE_FALSE = "true_false", _("判断题")
    FILL = "fill", _("填空题")
    SHORT = "short", _("简答题")


OBJECTIVE = (Kind.SINGLE, Kind.MULTIPLE, Kind.TRUE_FALSE, Kind.FILL)


class Difficulty(models.TextChoices):
    EASY = "easy", _("易")
    MEDIUM = "medium", _("中")
    HARD = "hard", _("难")


class Question(models.Model):
    """One question of the bank. `answer` is the key, by kind: single → option index, multiple →
    sorted option indexes, true_false → bool, fill → one list of accepted texts per blank, short →
    a reference answer for the marker. Never shown to a taker before the exam closes."""

    kind = models.CharField(_("题型"), max_length=12, choices=Kind.choices)
    stem = models.TextField(_("题干"))
    options = models.JSONField(_("选项"), default=list, blank=True)
    answer = models.JSONField(_("答案"))
    explanation = models.TextField(_("解析"), blank=True, default="")
    topic = models.CharField(_("知识点"), max_length=40, db_index=True)
    difficulty = models.CharField(_("难度"), max_length=8, choices=Difficulty.choices, default=Difficulty.MEDIUM)
    is_active = models.BooleanField(_("启用"), default=True)
    created_by_id = models.BigIntegerField(_("创建人ID"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["topic", "difficulty", "kind"])]


class ExamMode(models.TextChoices):
    FIXED = "fixed", _("固定试卷")
    RANDOM = "random", _("随机组卷")


class Exam(models.Model):
    """An exam: a fixed paper (ExamQuestion rows) or rules to draw each attempt's paper from the
    bank (`rules`: [{topic, difficulty, count, points}]). Keys and others' answers stay hidden
    until `closes_at` has passed (or the exam was closed by hand)."""

    title = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True, default="")
    mode = models.CharField(_("组卷方式"), max_length=8, choices=ExamMode.choices)
    rules = models.JSONField(_("组卷规则"), default=list, blank=True)
    time_limit_minutes = models.PositiveIntegerField(_("限时（分钟）"))
    max_attempts = models.PositiveIntegerField(_("可考次数"), default=1)
    pass_percent = models.PositiveIntegerField(_("及格线（百分比）"), default=60)
    shuffle_questions = models.BooleanField(_("打乱题序"), default=True)
    shuffle_options = models.BooleanField(_("打乱选项"), default=True)
    opens_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    closes_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    closed = models.BooleanField(_("已结束"), default=False)
    created_by_id = models.BigIntegerField(_("创建人ID"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)


class ExamQuestion(models.Model):
    """A question of a fixed paper, in paper order."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="paper")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(_("序号"))
    points = models.PositiveIntegerField(_("分值"), default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["exam", "question"], name="learning_paper_question_once")]
        ordering = ["position"]


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("作答中")
    MARKING = "marking", _("待阅卷")
    MARKED = "marked", _("已出分")


class Attempt(models.Model):
    """One sitting of one person. Its paper (AttemptItem rows, with their shuffled order) is
    fixed when it starts, so a reload or another device sees the same paper. `deadline` is the
    server's: past it the attempt ends whatever the client does."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="attempts")
    user_id = models.BigIntegerField(_("考生ID"), db_index=True)
    user_name = models.CharField(_("考生姓名"), max_length=60, blank=True, default="")
    number = models.PositiveIntegerField(_("第几次"))
    status = models.CharField(_("状态"), max_length=12, choices=AttemptStatus.choices, default=AttemptStatus.IN_PROGRESS)
    started_at = models.DateTimeField(_("开始时间"))
    deadline = models.DateTimeField(_("截止时间"), db_index=True)
    ended_at = models.DateTimeField(_("交卷时间"), null=True, blank=True)
    timed_out = models.BooleanField(_("超时自动交卷"), default=False)
    score = models.DecimalField(_("得分"), max_digits=7, decimal_places=1, null=True, blank=True)
    max_score = models.PositiveIntegerField(_("总分"), default=0)
    passed = models.BooleanField(_("及格"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["exam", "user_id", "number"], name="learning_attempt_number_once"),
            models.UniqueConstraint(fields=["exam", "user_id"], condition=models.Q(status="in_progress"),
                                    name="learning_one_open_attempt"),
        ]


class AttemptItem(models.Model):
    """A question of an attempt's paper, in the order this person sees it. `option_order` lists
    the original option indexes in display order; `answer` is in original indexes."""

    # No index of its own: the unique (attempt, question) index below serves look-ups by attempt.
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items", db_index=False)
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(_("序号"))
    points = models.PositiveIntegerField(_("分值"))
    option_order = models.JSONField(_("选项顺序"), default=list)
    answer = models.JSONField(_("作答"), null=True, blank=True)
    answered_at = models.DateTimeField(_("作答时间"), null=True, blank=True)
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=1, null=True, blank=True)
    marked_by_id = models.BigIntegerField(_("阅卷人ID"), null=True, blank=True)
    marked_at = models.DateTimeField(_("阅卷时间"), null=True, blank=True)
    comment = models.CharField(_("评语"), max_length=200, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["attempt", "question"], name="learning_item_question_once")]
        ordering = ["position"]


class Assignment(models.Model):
    """An exam or a course assigned to an audience (the organisation's resolver) with a deadline.
    The people are fixed when it is assigned (AssignedPerson), with their primary department then.
    `reminded_at`: when the people not yet done were reminded before the deadline (once)."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="assignments", null=True, blank=True)
    course = models.ForeignKey("learning.Course", on_delete=models.CASCADE, related_name="assignments", null=True, blank=True)
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    audience = models.JSONField(_("范围"), default=dict)
    deadline = models.DateTimeField(_("截止时间"))
    created_by_id = models.BigIntegerField(_("布置人ID"), null=True, blank=True)
    created_at = models.DateTimeField(_("布置时间"), auto_now_add=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(exam__isnull=True) ^ models.Q(course__isnull=True),
                                              name="learning_assignment_exam_or_course")]


class AssignedPerson(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="people")
    user_id = models.BigIntegerField(_("人员ID"))
    department_id = models.BigIntegerField(_("科室ID"), null=True, blank=True)
    department_name = models.CharField(_("科室"), max_length=60, blank=True, default="")
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    passed = models.BooleanField(_("及格"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assignment", "user_id"], name="learning_assigned_once")]
        indexes = [models.Index(fields=["user_id"])]


from modules.learning.models_courses import (  # noqa: E402,F401 — Django finds the app's models here
    Chapter, Course, CourseCategory, CourseCompletion, Lesson, LessonKind, LessonProgress,
)
from modules.learning.models_quiz import QuizCampaign, QuizKind, QuizSession  # noqa: E402,F401
