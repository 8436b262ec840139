"""Queries for courses, credits, quizzes and campaigns, item analysis (mixed into schema.Query)."""

from __future__ import annotations

import base64

import graphene
from django.db.models import Count, Q
from django.utils import timezone

from jianlian.api.base import PermissionField, decode_id, require_user
from jianlian.api.connection import connection_args, paginate
from jianlian.api.permissions import CURRENT_TENANT, SIGNED_IN, Perm
from jianlian.core.errors import DomainError
from modules.learning import analysis, course_admin, course_import, courses, credits, quiz
from modules.learning.models import CourseCategory
from modules.learning.types_courses import (
    LearningCourseCategory, LearningCourseConnection, LearningCourseType, LearningCreditItem, LearningCreditRecord,
    LearningItemStat, LearningQuizCampaignType,
)

MANAGE = Perm("learning.manage", at=CURRENT_TENANT)


class CourseQuery(graphene.ObjectType):
    learning_courses = PermissionField(
        LearningCourseConnection, required=True, permissions=SIGNED_IN,
        args=connection_args(category=graphene.ID(description="分类 ID。"), search=graphene.String(description="按名称搜索。")),
        description="课程目录（已发布），新的在前。")
    learning_course = PermissionField(LearningCourseType, permissions=SIGNED_IN, id=graphene.ID(required=True, description="课程。"),
                                      description="一门课程及其章节、课时和我的进度；无权查看时为 null。")
    learning_course_categories = PermissionField(graphene.List(graphene.NonNull(LearningCourseCategory)), required=True,
                                                 permissions=SIGNED_IN, description="课程分类（按科室）。")
    learning_managed_courses = PermissionField(
        LearningCourseConnection, required=True, permissions=MANAGE, args=connection_args(search=graphene.String(description="按名称搜索。")),
        description="全部课程（含草稿），新的在前（课程管理）。")
    learning_course_template = PermissionField(graphene.String, required=True, permissions=MANAGE,
                                               description="课程导入模板（.xlsx，Base64 编码）。")
    my_learning_credits = PermissionField(LearningCreditRecord, required=True, permissions=SIGNED_IN,
                                          year=graphene.Int(description="年度，默认今年。"), description="我的继续医学教育学分。")
    learning_credit_export = PermissionField(graphene.String, required=True, permissions=MANAGE,
                                             year=graphene.Int(required=True, description="年度。"),
                                             description="全院当年学分（.xlsx，Base64 编码：汇总与明细）。")
    learning_quiz_campaigns = PermissionField(graphene.List(graphene.NonNull(LearningQuizCampaignType)), required=True,
                                              permissions=SIGNED_IN, description="进行中的每日一答与专题竞赛。")
    learning_item_analysis = PermissionField(graphene.List(graphene.NonNull(LearningItemStat)), required=True, permissions=MANAGE,
                                             exam=graphene.ID(required=True, description="考试。"),
                                             description="试题分析（考试结束后）：每题难度与区分度，难的在前。")

    @staticmethod
    def resolve_learning_courses(root, info, first=None, after=None, category=None, search=None):
        cat = int(category) if category and str(category).isdigit() else None
        return paginate(courses.catalogue(cat, search or ""), LearningCourseConnection, first=first, after=after, order=("-id",))

    @staticmethod
    def resolve_learning_managed_courses(root, info, first=None, after=None, search=None):
        return paginate(course_admin.managed_courses(require_user(info), search or ""), LearningCourseConnection,
                        first=first, after=after, order=("-id",))

    @staticmethod
    def resolve_learning_course(root, info, id):
        user = require_user(info)
        try:
            return courses.access_course(user, decode_id(id, "LearningCourse"))
        except DomainError:
            return None

    @staticmethod
    def resolve_learning_course_categories(root, info):
        rows = CourseCategory.objects.annotate(n=Count("courses", filter=Q(courses__is_published=True)))
        return [LearningCourseCategory(id=c.pk, name=c.name, department_name=c.department_name, course_count=c.n) for c in rows]

    @staticmethod
    def resolve_learning_course_template(root, info):
        return base64.b64encode(course_import.template()).decode()

    @staticmethod
    def resolve_my_learning_credits(root, info, year=None):
        year = year or timezone.localdate().year
        total, rows = credits.my_record(require_user(info), year)
        return LearningCreditRecord(year=year, total=float(total), items=[
            LearningCreditItem(course_title=r.course.title, credit_kind=r.course.credit_kind, credits=float(r.credits),
                               completed_at=r.completed_at) for r in rows])

    @staticmethod
    def resolve_learning_credit_export(root, info, year):
        return base64.b64encode(credits.export(require_user(info), year)).decode()

    @staticmethod
    def resolve_learning_quiz_campaigns(root, info):
        return list(quiz.running())

    @staticmethod
    def resolve_learning_item_analysis(root, info, exam):
        rows = analysis.item_analysis(require_user(info), decode_id(exam, "LearningExam", "exam"))
        return [LearningItemStat(stem=r.stem, kind=r.kind, topic=r.topic, answered=r.answered, correct=r.correct,
                                 difficulty=r.difficulty, discrimination=r.discrimination) for r in rows]
