"""Mutations for courses, credits' sources, course assignments, daily quizzes and campaigns."""

from __future__ import annotations

import graphene
from django.utils.translation import gettext_lazy as _

from jianlian.api.base import BaseMutation, GlobalID, action_mutation
from jianlian.api.permissions import CURRENT_TENANT, SIGNED_IN, Perm
from jianlian.core.errors import DomainError
from jianlian.org.schema import ImportModeEnum
from modules.learning import assignments, course_import, courses, quiz
from modules.learning.mutations import LearningAudienceInput, LearningImportReport, run_import
from modules.learning.types import LearningAssignmentType
from modules.learning.types_courses import (
    LearningCourseType, LearningLessonType, LearningQuizCampaignType, LearningQuizSessionType, LessonKindEnum, QuizKindEnum,
)

MANAGE = Perm("learning.manage", at=CURRENT_TENANT)


class LearningLessonInput(graphene.InputObjectType):
    """A lesson: a video (url, durationSeconds), a document (url) or an article (body)."""

    title = graphene.String(required=True, description="标题。")
    kind = LessonKindEnum(required=True, description="类型。")
    url = graphene.String(description="视频或文档地址。")
    body = graphene.String(description="图文正文。")
    duration_seconds = graphene.Int(description="视频时长（秒）。")


class LearningChapterInput(graphene.InputObjectType):
    """A chapter and its lessons."""

    title = graphene.String(required=True, description="标题。")
    lessons = graphene.List(graphene.NonNull(LearningLessonInput), required=True, description="课时。")


class CreateLearningCourseInput(graphene.InputObjectType):
    """A course."""

    title = graphene.String(required=True, description="名称。")
    description = graphene.String(description="简介。")
    category = graphene.String(description="分类名称（没有时新建）。")
    department = GlobalID("Department", description="分类所属科室（空为全院）。")
    credits = graphene.Float(description="学分（0–99.9）。")
    credit_kind = graphene.String(description="学分类别，如 Ⅰ类、Ⅱ类。")
    chapters = graphene.List(graphene.NonNull(LearningChapterInput), required=True, description="章节。")
    published = graphene.Boolean(description="是否立即发布到课程目录，默认是；false 存为草稿。")


def department_of(input):
    """The category's department named in the input, or None (the whole hospital)."""
    from jianlian.org.models import Department

    if not input.get("department"):
        return None
    dept = Department.objects.filter(pk=input["department"]).first()
    if dept is None:
        raise DomainError("NOT_FOUND", _("科室不存在。"), "department")
    return dept


def _create_course(user, i):
    return {"course": courses.create_course(
        user, title=i["title"], description=i.get("description") or "", category=i.get("category") or "",
        department=department_of(i), credits=i.get("credits") or 0, credit_kind=i.get("credit_kind") or "",
        published=i.get("published") is not False,
        chapters=[{"title": ch["title"], "lessons": [dict(ls) for ls in ch["lessons"]]} for ch in i["chapters"]])}


CreateLearningCourse = action_mutation(
    "CreateLearningCourse", "创建课程：章节与视频、文档、图文课时，学分与分类。", permissions=MANAGE,
    error_codes=("INVALID", "NOT_FOUND"), input=CreateLearningCourseInput,
    returns={"course": graphene.Field(LearningCourseType, description="新课程。")}, run=_create_course)


class ImportLearningCoursesInput(graphene.InputObjectType):
    """A filled-in course template (learningCourseTemplate)."""

    file = graphene.String(required=True, description=".xlsx 文件（Base64 编码，不超过20MB）。")
    mode = ImportModeEnum(required=True, description="导入方式。")
    dry_run = graphene.Boolean(description="仅预览。")


class ImportLearningCourses(BaseMutation):
    report = graphene.Field(LearningImportReport, description="导入结果或预览（created 为新增课程数）。")

    class Meta:
        description = "从 Excel 导入课程清单：每行一个课时，同名课程合为一门；逐行指出错误。"
        permissions = MANAGE
        error_codes = ("INVALID_FILE", "FILE_TOO_LARGE", "IMPORT_HAS_ERRORS")

    class Arguments:
        input = ImportLearningCoursesInput(required=True)

    @classmethod
    def perform(cls, info, input):
        report, errors = run_import(info, input, course_import.import_courses, course_import.SHEET)
        return cls(report=report, errors=errors)


class ReportLearningProgressInput(graphene.InputObjectType):
    """Where the player is (sent every ~10 s and on pause), or that a document/article was read."""

    lesson = GlobalID("LearningLesson", required=True, description="课时。")
    position = graphene.Int(required=True, description="播放位置（秒；文档、图文为0）。")
    finished = graphene.Boolean(description="文档、图文：已读完。")


class ReportLearningProgress(BaseMutation):
    lesson = graphene.Field(LearningLessonType, description="课时（含我的进度）。")
    course = graphene.Field(LearningCourseType, description="课程（含是否已完成）。")

    class Meta:
        description = "上报学习进度：视频看到90%、文档或图文读完即完成课时；全部课时完成即完成课程并计入当年学分。"
        permissions = SIGNED_IN
        error_codes = ("NOT_FOUND", "INVALID")

    class Arguments:
        input = ReportLearningProgressInput(required=True)

    @classmethod
    def perform(cls, info, input):
        p = courses.report_progress(info.context.user, input["lesson"], input["position"], bool(input.get("finished")))
        info.context.__dict__.pop("_learning_progress", None)
        return cls(lesson=p.lesson, course=p.lesson.course, errors=[])


class AssignLearningCourseInput(graphene.InputObjectType):
    """A course, the people to take it, and a deadline."""

    course = GlobalID("LearningCourse", required=True, description="课程。")
    audience = LearningAudienceInput(required=True, description="范围。")
    deadline = graphene.DateTime(required=True, description="截止时间。")


def _assign(user, i):
    audience = {k: v for k, v in (i["audience"] or {}).items() if v}
    return {"assignment": assignments.assign(user, None, audience, i["deadline"], course_id=i["course"])}


AssignLearningCourse = action_mutation(
    "AssignLearningCourse", "把课程布置给人员、单位、角色、科室、标签或分组：每人一条待办，截止前一天提醒，按科室统计完成率。",
    permissions=MANAGE, error_codes=("INVALID", "NOT_FOUND"), input=AssignLearningCourseInput,
    returns={"assignment": graphene.Field(LearningAssignmentType, description="课程布置。")}, run=_assign)


class CreateLearningQuizCampaignInput(graphene.InputObjectType):
    """每日一答 or a topic campaign."""

    title = graphene.String(required=True, description="名称。")
    kind = QuizKindEnum(required=True, description="类型。")
    per_day = graphene.Int(description="每人每天题数，默认1。")
    topic = graphene.String(description="知识点（空为全部客观题）。")
    starts_on = graphene.Date(description="开始日期，默认今天。")
    ends_on = graphene.Date(description="结束日期（空为长期）。")


def _create_campaign(user, i):
    return {"campaign": quiz.create_campaign(user, title=i["title"], kind=i["kind"], per_day=i.get("per_day") or 1,
                                             topic=i.get("topic") or "", starts_on=i.get("starts_on"), ends_on=i.get("ends_on"))}


CreateLearningQuizCampaign = action_mutation(
    "CreateLearningQuizCampaign", "创建每日一答或专题竞赛。", permissions=MANAGE, error_codes=("INVALID", "NOT_ENOUGH_QUESTIONS"),
    input=CreateLearningQuizCampaignInput,
    returns={"campaign": graphene.Field(LearningQuizCampaignType, description="新活动。")}, run=_create_campaign)


class CampaignRefInput(graphene.InputObjectType):
    """A quiz campaign."""

    campaign = GlobalID("LearningQuizCampaign", required=True, description="活动。")


OpenLearningQuiz = action_mutation(
    "OpenLearningQuiz", "打开今天的题目（每人每天一组，再次打开是同一组）。", permissions=SIGNED_IN,
    error_codes=("NOT_FOUND", "EXAM_NOT_OPEN", "NOT_ENOUGH_QUESTIONS"), input=CampaignRefInput,
    returns={"session": graphene.Field(LearningQuizSessionType, description="我今天的题目。")},
    run=lambda user, i: {"session": quiz.todays_session(user, i["campaign"])})


class AnswerLearningQuizInput(graphene.InputObjectType):
    """All of today's answers, in the questions' order."""

    session = GlobalID("LearningQuizSession", required=True, description="今天的题目。")
    answers = graphene.List(graphene.JSONString, required=True, description="作答：单选为选项序号，多选为序号列表，判断为 true/false，填空为每空文字列表。")


class AnswerLearningQuiz(BaseMutation):
    session = graphene.Field(LearningQuizSessionType, description="判分后的答题（含答案与解析）。")

    class Meta:
        description = "提交今天的答案（每天一次），当即判分并计入排行榜。"
        permissions = SIGNED_IN
        error_codes = ("NOT_FOUND", "QUIZ_DONE", "EXAM_NOT_OPEN", "INVALID_ANSWER")

    class Arguments:
        input = AnswerLearningQuizInput(required=True)

    @classmethod
    def perform(cls, info, input):
        return cls(session=quiz.answer(info.context.user, input["session"], list(input["answers"])), errors=[])


class CourseMutation(graphene.ObjectType):
    create_learning_course = CreateLearningCourse.Field()
    import_learning_courses = ImportLearningCourses.Field()
    report_learning_progress = ReportLearningProgress.Field()
    assign_learning_course = AssignLearningCourse.Field()
    create_learning_quiz_campaign = CreateLearningQuizCampaign.Field()
    open_learning_quiz = OpenLearningQuiz.Field()
    answer_learning_quiz = AnswerLearningQuiz.Field()
