"""GraphQL types of the learning centre. Who sees what (the answers and the key):
- a taker sees her own answers; the key, per-question scores and explanations only once the exam
  has closed; her total score as soon as it is marked;
- a marker (`learning.mark`) sees the short answers of ended attempts, with the reference answer;
- a manager (`learning.manage`) sees the bank with its keys, every attempt's status and score,
  and the answers once the exam has closed.
Nobody else sees an attempt, and `node(id:)` answers through the same checks (access_node)."""

from __future__ import annotations

import graphene
from django.utils import timezone
from graphql_relay import to_global_id

from jianlian.api.connection import CountableConnection
from jianlian.api.types import ModelType
from modules.learning import access, assignments, attempts
from modules.learning.models import (
    AssignedPerson, Assignment, Attempt, AttemptItem, AttemptStatus, Difficulty, Exam, ExamMode, Kind, Question,
)

KindEnum = graphene.Enum.from_enum(Kind, name="LearningQuestionKind", description="题型。")
DifficultyEnum = graphene.Enum.from_enum(Difficulty, name="LearningDifficulty", description="难度。")
ModeEnum = graphene.Enum.from_enum(ExamMode, name="LearningExamMode", description="组卷方式。")
AttemptStatusEnum = graphene.Enum.from_enum(AttemptStatus, name="LearningAttemptStatus", description="答卷状态。")


class LearningQuestionType(ModelType):
    """A question of the bank, with its key (learning managers only)."""

    kind = KindEnum(required=True, description="题型。")
    difficulty = DifficultyEnum(required=True, description="难度。")
    options = graphene.List(graphene.NonNull(graphene.String), required=True, description="选项（选择题）。")
    answer = graphene.JSONString(required=True, description="答案：单选为序号，多选为序号列表，判断为 true/false，填空为每空可接受答案列表，简答为参考答案。")

    class Meta:
        model = Question
        name = "LearningQuestion"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "stem", "explanation", "topic", "is_active", "created_at")

    @classmethod
    def access_node(cls, info, viewer, pk):
        return Question.objects.filter(pk=pk).first() if access.is_manager(viewer) else None


class LearningQuestionConnection(CountableConnection):
    """A page of questions."""

    class Meta:
        node = LearningQuestionType


class LearningBankStat(graphene.ObjectType):
    """How many active questions the bank holds of a topic and difficulty (for building rules)."""

    topic = graphene.String(required=True, description="知识点。")
    difficulty = DifficultyEnum(required=True, description="难度。")
    count = graphene.Int(required=True, description="题数。")


class LearningOption(graphene.ObjectType):
    """An option as this taker sees it: `value` is what to send back as the answer."""

    value = graphene.Int(required=True, description="作答时提交的值。")
    label = graphene.String(required=True, description="选项文字。")


def _item_rights(viewer, item: AttemptItem) -> tuple[bool, bool]:
    """(may see the answer, may see the key and the score) of one item for `viewer`."""
    attempt = item.attempt
    own = attempt.user_id == viewer.pk
    closed = access.is_closed(attempt.exam)
    marker = item.question.kind == Kind.SHORT and attempt.status != AttemptStatus.IN_PROGRESS and access.is_marker(viewer)
    manager = closed and access.is_manager(viewer)
    return own or marker or manager, (closed and own) or marker or manager


class LearningAttemptItem(graphene.ObjectType):
    """One question of an attempt's paper, in the order its taker sees it."""

    id = graphene.ID(required=True, description="题目 ID（作答时使用）。")
    position = graphene.Int(required=True, description="序号。")
    kind = KindEnum(required=True, description="题型。")
    stem = graphene.String(required=True, description="题干。")
    options = graphene.List(graphene.NonNull(LearningOption), required=True, description="选项（已按本次答卷打乱）。")
    blanks = graphene.Int(required=True, description="填空题的空数（其他题型为0）。")
    points = graphene.Int(required=True, description="分值。")
    answer = graphene.JSONString(description="作答（本人；阅卷人可见简答；考试结束后管理员可见）。")
    answered_at = graphene.DateTime(description="最后保存时间。")
    score = graphene.Float(description="本题得分（考试结束后可见；阅卷人可见简答）。")
    key = graphene.JSONString(description="标准答案（考试结束后可见；阅卷人可见简答参考答案）。")
    explanation = graphene.String(description="解析（考试结束后可见）。")
    comment = graphene.String(description="阅卷评语。")
    exam_title = graphene.String(required=True, description="所属考试。")

    @staticmethod
    def resolve_id(item, info):
        return to_global_id("LearningAttemptItem", item.pk)

    @staticmethod
    def resolve_kind(item, info):
        return item.question.kind

    @staticmethod
    def resolve_stem(item, info):
        return item.question.stem

    @staticmethod
    def resolve_options(item, info):
        return [LearningOption(value=i, label=item.question.options[i]) for i in item.option_order]

    @staticmethod
    def resolve_blanks(item, info):
        return len(item.question.answer) if item.question.kind == Kind.FILL else 0

    @staticmethod
    def resolve_answer(item, info):
        return item.answer if _item_rights(info.context.user, item)[0] else None

    @staticmethod
    def resolve_score(item, info):
        return float(item.score) if item.score is not None and _item_rights(info.context.user, item)[1] else None

    @staticmethod
    def resolve_key(item, info):
        return item.question.answer if _item_rights(info.context.user, item)[1] else None

    @staticmethod
    def resolve_explanation(item, info):
        return item.question.explanation if _item_rights(info.context.user, item)[1] else None

    @staticmethod
    def resolve_comment(item, info):
        return item.comment if _item_rights(info.context.user, item)[1] else None

    @staticmethod
    def resolve_exam_title(item, info):
        return item.attempt.exam.title


class LearningMarkingConnection(CountableConnection):
    """A page of short answers waiting for a marker."""

    class Meta:
        node = LearningAttemptItem


class LearningAttemptType(ModelType):
    """One sitting of an exam. Ended by the server at `deadline`; reading it is enough."""

    status = AttemptStatusEnum(required=True, description="状态。")
    score = graphene.Float(description="总分（全部阅完后）。")
    seconds_left = graphene.Int(required=True, description="剩余秒数（服务器计时）。")
    items = graphene.List(graphene.NonNull(LearningAttemptItem), required=True,
                          description="试卷（本人可见；考试结束后管理员可见）。")
    exam = graphene.Field(lambda: LearningExamType, required=True, description="考试。")
    answered = graphene.Int(required=True, description="已作答题数。")
    certificate_path = graphene.String(description="合格证书的地址（合格后；用 createSignedLink 打开）。")

    class Meta:
        model = Attempt
        name = "LearningAttempt"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "number", "user_name", "started_at", "deadline", "ended_at", "timed_out", "max_score", "passed")

    @staticmethod
    def resolve_score(a, info):
        return float(a.score) if a.score is not None else None

    @staticmethod
    def resolve_seconds_left(a, info):
        if a.status != AttemptStatus.IN_PROGRESS:
            return 0
        return max(0, int((a.deadline - timezone.now()).total_seconds()))

    @staticmethod
    def resolve_items(a, info):
        viewer = info.context.user
        if a.user_id != viewer.pk and not (access.is_closed(a.exam) and access.is_manager(viewer)):
            return []
        items = getattr(a, "fresh_items", None) or list(a.items.select_related("question").order_by("position"))
        for i in items:
            i.attempt = a
        return items

    @staticmethod
    def resolve_certificate_path(a, info):
        from modules.learning.certificates import path

        return path(a.pk) if a.status == AttemptStatus.MARKED and a.passed else None

    @staticmethod
    def resolve_answered(a, info):
        return a.items.filter(answer__isnull=False).count()

    @classmethod
    def access_node(cls, info, viewer, pk):
        a = Attempt.objects.select_related("exam").filter(pk=pk).first()
        return attempts.current(a) if a is not None and access.may_see_attempt(viewer, a) else None


class LearningExamType(ModelType):
    """An exam: its settings, and the viewer's own attempts."""

    mode = ModeEnum(required=True, description="组卷方式。")
    rules = graphene.JSONString(required=True, description="随机组卷规则 [{topic, difficulty, kind, count, points}]。")
    is_closed = graphene.Boolean(required=True, description="是否已结束（结束后可看答案与解析）。")
    question_count = graphene.Int(required=True, description="每份试卷的题数。")
    my_attempts = graphene.List(graphene.NonNull(LearningAttemptType), required=True, description="我的答卷，新的在前。")
    attempts_left = graphene.Int(required=True, description="我还可开始的次数。")

    class Meta:
        model = Exam
        name = "LearningExam"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "title", "description", "time_limit_minutes", "max_attempts", "pass_percent", "shuffle_questions",
                  "shuffle_options", "opens_at", "closes_at", "created_at")

    @staticmethod
    def resolve_is_closed(e, info):
        return access.is_closed(e)

    @staticmethod
    def resolve_question_count(e, info):
        return sum(r["count"] for r in e.rules) if e.mode == ExamMode.RANDOM else e.paper.count()

    @staticmethod
    def resolve_my_attempts(e, info):
        return [attempts.current(a) for a in Attempt.objects.filter(exam=e, user_id=info.context.user.pk).order_by("-number")]

    @staticmethod
    def resolve_attempts_left(e, info):
        return max(0, e.max_attempts - Attempt.objects.filter(exam=e, user_id=info.context.user.pk).count())

    @classmethod
    def access_node(cls, info, viewer, pk):
        e = Exam.objects.filter(pk=pk).first()
        return e if e is not None and access.may_see_exam(viewer, e) else None


class LearningExamConnection(CountableConnection):
    """A page of exams."""

    class Meta:
        node = LearningExamType


class LearningDepartmentCompletion(graphene.ObjectType):
    """Completion of an assignment in one department (people's primary department when assigned)."""

    department_id = graphene.ID(description="科室 ID（未分科室为空）。")
    department_name = graphene.String(required=True, description="科室。")
    total = graphene.Int(required=True, description="应考人数。")
    done = graphene.Int(required=True, description="已完成人数。")
    passed = graphene.Int(required=True, description="及格人数。")
    rate = graphene.Float(required=True, description="完成率（0–1）。")

    @staticmethod
    def resolve_department_id(row, info):
        return to_global_id("Department", row["department_id"]) if row["department_id"] else None

    @staticmethod
    def resolve_rate(row, info):
        return round(row["done"] / row["total"], 4) if row["total"] else 0.0


def _row(name):
    return lambda row, info: row[name]


for _f in ("department_name", "total", "done", "passed"):
    setattr(LearningDepartmentCompletion, f"resolve_{_f}", staticmethod(_row(_f)))


class LearningAssignmentType(ModelType):
    """An exam or a course assigned to an audience with a deadline."""

    exam = graphene.Field(LearningExamType, description="考试（布置的是考试时）。")
    course = graphene.Field("modules.learning.types_courses.LearningCourseType", description="课程（布置的是课程时）。")
    completion = graphene.List(graphene.NonNull(LearningDepartmentCompletion), required=True,
                               description="按科室的完成情况（学习管理员）。")
    my_completed_at = graphene.DateTime(description="我完成的时间。")

    class Meta:
        model = Assignment
        name = "LearningAssignment"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "deadline", "created_at")

    @staticmethod
    def resolve_completion(a, info):
        return assignments.completion(a) if access.is_manager(info.context.user) else []

    @staticmethod
    def resolve_my_completed_at(a, info):
        return AssignedPerson.objects.filter(assignment=a, user_id=info.context.user.pk).values_list(
            "completed_at", flat=True).first()

    @classmethod
    def access_node(cls, info, viewer, pk):
        a = Assignment.objects.filter(pk=pk).first()
        if a is None:
            return None
        return a if access.is_manager(viewer) or AssignedPerson.objects.filter(assignment=a, user_id=viewer.pk).exists() else None


class LearningCompletionChanged(graphene.ObjectType):
    """Someone finished an assigned exam: refetch the assignment's completion."""

    assignment = graphene.ID(required=True, description="考试布置 ID。")
