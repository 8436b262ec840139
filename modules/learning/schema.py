"""GraphQL for the learning centre: the bank, exams, my assignments and attempts, the marking
queue, completion by department (live through `learningCompletionChanged`). Gated by the
marketplace (APP_NOT_INSTALLED where the app is not installed)."""

from __future__ import annotations

import base64

import graphene
from django.db.models import Q

from jianlian.api.base import PermissionField, decode_id, require_user
from jianlian.api.connection import connection_args, paginate
from jianlian.api.permissions import CURRENT_TENANT, SIGNED_IN, Perm
from jianlian.core.errors import DomainError
from modules.learning import access, assignments, attempts, importer, questions
from modules.learning.models import Assignment, Exam, Question
from modules.learning.mutations import Mutation as ExamMutation
from modules.learning.mutations_admin import AdminMutation
from modules.learning.mutations_courses import CourseMutation
from modules.learning.schema_courses import CourseQuery
from modules.learning.types import (
    DifficultyEnum, KindEnum, LearningAssignmentType, LearningAttemptType, LearningBankStat, LearningCompletionChanged,
    LearningExamConnection, LearningExamType, LearningMarkingConnection, LearningQuestionConnection,
)

MANAGE = Perm("learning.manage", at=CURRENT_TENANT)


class Mutation(ExamMutation, CourseMutation, AdminMutation):
    """The module's root Mutation: exams, then courses and quizzes, then the managers' edits."""


class Query(CourseQuery, graphene.ObjectType):
    learning_questions = PermissionField(
        LearningQuestionConnection, required=True, permissions=MANAGE,
        args=connection_args(topic=graphene.String(description="知识点。"), difficulty=DifficultyEnum(description="难度。"),
                             kind=KindEnum(description="题型。"), search=graphene.String(description="按题干搜索。")),
        description="题库（含答案），新的在前。")
    learning_bank_stats = PermissionField(graphene.List(graphene.NonNull(LearningBankStat)), required=True, permissions=MANAGE,
                                          description="题库按知识点与难度的题数（随机组卷用）。")
    learning_question_template = PermissionField(graphene.String, required=True, permissions=MANAGE,
                                                 description="题目导入模板（.xlsx，Base64 编码）。")
    learning_exams = PermissionField(LearningExamConnection, required=True, permissions=MANAGE, args=connection_args(),
                                     description="全部考试，新的在前。")
    learning_exam = PermissionField(LearningExamType, permissions=SIGNED_IN, id=graphene.ID(required=True, description="考试。"),
                                    description="一场考试（布置给我的，或学习管理员）；无权查看时为 null。")
    learning_attempt = PermissionField(LearningAttemptType, permissions=SIGNED_IN, id=graphene.ID(required=True, description="答卷。"),
                                       description="一份答卷（本人或学习管理员）；超过时限的答卷在读取时即自动交卷。")
    my_learning_assignments = PermissionField(graphene.List(graphene.NonNull(LearningAssignmentType)), required=True,
                                              permissions=SIGNED_IN, description="布置给我的考试，新的在前。")
    learning_assignments = PermissionField(graphene.List(graphene.NonNull(LearningAssignmentType)), required=True,
                                           permissions=MANAGE, exam=graphene.ID(description="只看该考试。"),
                                           description="考试布置，新的在前。")
    learning_assignment = PermissionField(LearningAssignmentType, permissions=SIGNED_IN,
                                          id=graphene.ID(required=True, description="考试布置。"),
                                          description="一次考试布置（学习管理员可见按科室的完成率）。")
    learning_marking_queue = PermissionField(LearningMarkingConnection, required=True,
                                             permissions=Perm("learning.mark", at=CURRENT_TENANT), args=connection_args(),
                                             description="待批阅的简答题，先交的在前（不显示考生姓名）。")

    @staticmethod
    def resolve_learning_questions(root, info, first=None, after=None, topic=None, difficulty=None, kind=None, search=None):
        qs = Question.objects.all()
        if topic:
            qs = qs.filter(topic=topic.strip())
        if difficulty:
            qs = qs.filter(difficulty=getattr(difficulty, "value", difficulty))
        if kind:
            qs = qs.filter(kind=getattr(kind, "value", kind))
        if search:
            qs = qs.filter(Q(stem__icontains=search.strip()[:50]))
        return paginate(qs, LearningQuestionConnection, first=first, after=after, order=("-id",))

    @staticmethod
    def resolve_learning_bank_stats(root, info):
        return [LearningBankStat(topic=t, difficulty=d, count=n) for t, d, n in questions.bank_stats()]

    @staticmethod
    def resolve_learning_question_template(root, info):
        return base64.b64encode(importer.template()).decode()

    @staticmethod
    def resolve_learning_exams(root, info, first=None, after=None):
        return paginate(Exam.objects.all(), LearningExamConnection, first=first, after=after, order=("-id",))

    @staticmethod
    def resolve_learning_exam(root, info, id):
        user = require_user(info)
        try:
            return access.access_exam(user, decode_id(id, "LearningExam"))
        except DomainError:
            return None

    @staticmethod
    def resolve_learning_attempt(root, info, id):
        user = require_user(info)
        try:
            return attempts.current(access.access_attempt(user, decode_id(id, "LearningAttempt")))
        except DomainError:
            return None

    @staticmethod
    def resolve_my_learning_assignments(root, info):
        return [p.assignment for p in assignments.my_assignments(require_user(info))]

    @staticmethod
    def resolve_learning_assignments(root, info, exam=None):
        qs = Assignment.objects.select_related("exam").order_by("-id")
        if exam:
            qs = qs.filter(exam_id=decode_id(exam, "LearningExam", "exam"))
        return qs

    @staticmethod
    def resolve_learning_assignment(root, info, id):
        user = require_user(info)
        try:
            return LearningAssignmentType.access_node(info, user, decode_id(id, "LearningAssignment"))
        except DomainError:
            return None

    @staticmethod
    def resolve_learning_marking_queue(root, info, first=None, after=None):
        return paginate(attempts.marking_queue(), LearningMarkingConnection, first=first, after=after, order=("pk",))


class Subscription(graphene.ObjectType):
    learning_completion_changed = graphene.Field(LearningCompletionChanged, required=True,
                                                 description="有人完成了布置的考试（学习管理员；据 assignment 刷新完成率）。")

    @staticmethod
    def subscribe_learning_completion_changed(root, info):
        from jianlian.realtime import events
        from jianlian.realtime.subscriptions import listen, require_socket_user

        require_socket_user(info)
        schema = info.context.tenant.schema_name if info.context.tenant else "public"
        return listen(info, groups=[events.tenant_group(schema)], names={assignments.COMPLETION}, build=_changed)


def _changed(payload: dict) -> LearningCompletionChanged:
    from graphql_relay import to_global_id

    return LearningCompletionChanged(assignment=to_global_id("LearningAssignment", payload["assignment"]))
