"""GraphQL types of courses, credits, daily quizzes and campaigns, and item analysis. Every member
of the tenant sees the published catalogue and their own progress; a quiz's key only after the
person has answered that day."""

from __future__ import annotations

import graphene

from jianlian.api.connection import CountableConnection
from jianlian.api.types import ModelType
from modules.learning import access, courses, quiz
from modules.learning.models import Course, Lesson, LessonKind, QuizCampaign, QuizKind, QuizSession

LessonKindEnum = graphene.Enum.from_enum(LessonKind, name="LearningLessonKind", description="课时类型。")
QuizKindEnum = graphene.Enum.from_enum(QuizKind, name="LearningQuizKind", description="答题活动类型。")


def _mine(info, lesson):
    cache = info.context.__dict__.setdefault("_learning_progress", {})
    if lesson.course_id not in cache:
        cache[lesson.course_id] = courses.progress_of(info.context.user, lesson.course)
    return cache[lesson.course_id].get(lesson.pk)


class LearningLessonType(ModelType):
    """A lesson, with the viewer's progress (where to resume a video)."""

    kind = LessonKindEnum(required=True, description="类型。")
    my_position = graphene.Int(required=True, description="我上次播放到的位置（秒）。")
    my_completed = graphene.Boolean(required=True, description="我是否已学完。")

    class Meta:
        model = Lesson
        name = "LearningLesson"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "title", "url", "body", "duration_seconds", "position")

    @staticmethod
    def resolve_my_position(lesson, info):
        p = _mine(info, lesson)
        return p.position if p else 0

    @staticmethod
    def resolve_my_completed(lesson, info):
        p = _mine(info, lesson)
        return bool(p and p.completed_at)

    @classmethod
    def access_node(cls, info, viewer, pk):
        lesson = Lesson.objects.select_related("course").filter(pk=pk).first()
        return lesson if lesson is not None and (lesson.course.is_published or access.is_manager(viewer)) else None


class LearningChapter(graphene.ObjectType):
    """A chapter of a course, with its lessons in order."""

    title = graphene.String(required=True, description="章节标题。")
    lessons = graphene.List(graphene.NonNull(LearningLessonType), required=True, description="课时。")

    @staticmethod
    def resolve_title(chapter, info):
        return chapter.title

    @staticmethod
    def resolve_lessons(chapter, info):
        return list(chapter.lessons.select_related("course").order_by("position"))


class LearningCourseType(ModelType):
    """A course of the catalogue."""

    credits = graphene.Float(required=True, description="学分。")
    category_name = graphene.String(required=True, description="分类。")
    department_name = graphene.String(required=True, description="分类所属科室（空为全院）。")
    department_id = graphene.ID(description="分类所属科室的 ID（全院为 null）。")
    lesson_count = graphene.Int(required=True, description="课时数。")
    chapters = graphene.List(graphene.NonNull(LearningChapter), required=True, description="章节。")
    my_done_lessons = graphene.Int(required=True, description="我已学完的课时数。")
    my_completed_at = graphene.DateTime(description="我完成课程的时间。")

    class Meta:
        model = Course
        name = "LearningCourse"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "title", "description", "credit_kind", "is_published", "created_at")

    @staticmethod
    def resolve_credits(c, info):
        return float(c.credits)

    @staticmethod
    def resolve_category_name(c, info):
        return c.category.name if c.category_id else ""

    @staticmethod
    def resolve_department_name(c, info):
        return c.category.department_name if c.category_id else ""

    @staticmethod
    def resolve_department_id(c, info):
        from graphql_relay import to_global_id

        return to_global_id("Department", c.category.department_id) if c.category_id and c.category.department_id else None

    @staticmethod
    def resolve_lesson_count(c, info):
        return getattr(c, "lesson_count", None) if hasattr(c, "lesson_count") else c.lessons.count()

    @staticmethod
    def resolve_chapters(c, info):
        return list(c.chapters.order_by("position"))

    @staticmethod
    def resolve_my_done_lessons(c, info):
        return sum(1 for p in courses.progress_of(info.context.user, c).values() if p.completed_at)

    @staticmethod
    def resolve_my_completed_at(c, info):
        done = courses.completion_of(info.context.user, c)
        return done.completed_at if done else None

    @classmethod
    def access_node(cls, info, viewer, pk):
        c = Course.objects.select_related("category").filter(pk=pk).first()
        return c if c is not None and (c.is_published or access.is_manager(viewer)) else None


class LearningCourseConnection(CountableConnection):
    """A page of courses."""

    class Meta:
        node = LearningCourseType


class LearningCourseCategory(graphene.ObjectType):
    """A catalogue category (of a department, or of the whole hospital)."""

    id = graphene.ID(required=True, description="分类 ID。")
    name = graphene.String(required=True, description="名称。")
    department_name = graphene.String(required=True, description="所属科室（空为全院）。")
    course_count = graphene.Int(required=True, description="已发布课程数。")


class LearningCreditItem(graphene.ObjectType):
    """One completed course of the year."""

    course_title = graphene.String(required=True, description="课程。")
    credit_kind = graphene.String(required=True, description="学分类别。")
    credits = graphene.Float(required=True, description="学分。")
    completed_at = graphene.DateTime(required=True, description="完成时间。")


class LearningCreditRecord(graphene.ObjectType):
    """A person's continuing-education credits of one year."""

    year = graphene.Int(required=True, description="年度。")
    total = graphene.Float(required=True, description="学分合计。")
    items = graphene.List(graphene.NonNull(LearningCreditItem), required=True, description="明细。")


class LearningQuizQuestion(graphene.ObjectType):
    """A question of today's quiz (options in bank order; send the option's value)."""

    stem = graphene.String(required=True, description="题干。")
    kind = graphene.String(required=True, description="题型（single、multiple、true_false、fill）。")
    options = graphene.List(graphene.NonNull(graphene.String), required=True, description="选项（value 为序号）。")
    blanks = graphene.Int(required=True, description="填空题的空数。")
    key = graphene.JSONString(description="答案（作答后可见）。")
    explanation = graphene.String(description="解析（作答后可见）。")


class LearningQuizSessionType(ModelType):
    """The viewer's questions of one day in one campaign."""

    questions = graphene.List(graphene.NonNull(LearningQuizQuestion), required=True, description="题目。")
    answers = graphene.JSONString(description="我的作答（作答后）。")

    class Meta:
        model = QuizSession
        name = "LearningQuizSession"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "day", "correct", "score", "completed_at")

    @staticmethod
    def resolve_questions(s, info):
        done = s.completed_at is not None
        return [LearningQuizQuestion(stem=q.stem, kind=q.kind, options=q.options, blanks=len(q.answer) if q.kind == "fill" else 0,
                                     key=q.answer if done else None, explanation=q.explanation if done else None)
                for q in quiz.questions_of(s)]

    @classmethod
    def access_node(cls, info, viewer, pk):
        return QuizSession.objects.filter(pk=pk, user_id=viewer.pk).first()


class LearningDepartmentRank(graphene.ObjectType):
    """A department on a campaign's leaderboard."""

    department_name = graphene.String(required=True, description="科室。")
    participants = graphene.Int(required=True, description="参与人数。")
    total = graphene.Int(required=True, description="总分。")
    average = graphene.Float(required=True, description="人均得分。")


class LearningPersonRank(graphene.ObjectType):
    """A person on a campaign's leaderboard."""

    user_name = graphene.String(required=True, description="姓名。")
    department_name = graphene.String(required=True, description="科室。")
    total = graphene.Int(required=True, description="总分。")
    days = graphene.Int(required=True, description="答题天数。")


class LearningQuizCampaignType(ModelType):
    """每日一答 or a topic campaign, with its leaderboards."""

    kind = QuizKindEnum(required=True, description="类型。")
    my_total = graphene.Int(required=True, description="我的总分。")
    my_days = graphene.Int(required=True, description="我的答题天数。")
    my_today = graphene.Field(LearningQuizSessionType, description="我今天的题目（打开后才有）。")
    departments = graphene.List(graphene.NonNull(LearningDepartmentRank), required=True, description="科室排行榜。")
    people = graphene.List(graphene.NonNull(LearningPersonRank), required=True, description="个人排行榜（前20）。")

    class Meta:
        model = QuizCampaign
        name = "LearningQuizCampaign"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "title", "topic", "per_day", "starts_on", "ends_on")

    @staticmethod
    def resolve_my_total(c, info):
        return quiz.my_stats(info.context.user, c)["total"]

    @staticmethod
    def resolve_my_days(c, info):
        return quiz.my_stats(info.context.user, c)["days"]

    @staticmethod
    def resolve_my_today(c, info):
        return QuizSession.objects.filter(campaign=c, user_id=info.context.user.pk, day=quiz.today()).first()

    @staticmethod
    def resolve_departments(c, info):
        return [LearningDepartmentRank(**r) for r in quiz.leaderboard(c)[0]]

    @staticmethod
    def resolve_people(c, info):
        return [LearningPersonRank(user_name=r["user_name"], department_name=r["department_name"], total=r["total"], days=r["days"])
                for r in quiz.leaderboard(c)[1]]

    @classmethod
    def access_node(cls, info, viewer, pk):
        return QuizCampaign.objects.filter(pk=pk).first()


class LearningItemStat(graphene.ObjectType):
    """One question's item analysis."""

    stem = graphene.String(required=True, description="题干。")
    kind = graphene.String(required=True, description="题型。")
    topic = graphene.String(required=True, description="知识点。")
    answered = graphene.Int(required=True, description="作答人次。")
    correct = graphene.Int(required=True, description="得满分人次。")
    difficulty = graphene.Float(description="难度（得满分比例，越高越容易）。")
    discrimination = graphene.Float(description="区分度（高分组27%与低分组27%得满分比例之差）。")
