"""Every learning-centre action as a mutation: the bank (one question, an Excel import), exams
(create, close), assignments, and sitting an exam (start, save one answer, submit), marking."""

from __future__ import annotations

import base64
import binascii

import graphene
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianlian.api.base import BaseMutation, GlobalID, MutationError
from jianlian.api.permissions import CURRENT_TENANT, SIGNED_IN, Perm
from jianlian.core.errors import DomainError
from jianlian.org.schema import ImportModeEnum, ImportRowError
from modules.learning import assignments, attempts, exams, importer, questions
from modules.learning.types import (
    DifficultyEnum, KindEnum, LearningAssignmentType, LearningAttemptItem, LearningAttemptType, LearningExamType,
    LearningQuestionType, ModeEnum,
)

MANAGE = Perm("learning.manage", at=CURRENT_TENANT)
SITTING = ("NOT_FOUND", "EXAM_NOT_OPEN", "ATTEMPTS_EXHAUSTED", "NOT_ENOUGH_QUESTIONS")


class CreateLearningQuestionInput(graphene.InputObjectType):
    """A question for the bank."""

    kind = KindEnum(required=True, description="题型。")
    stem = graphene.String(required=True, description="题干。")
    options = graphene.List(graphene.NonNull(graphene.String), description="选项（选择题2–8个）。")
    answer = graphene.JSONString(required=True, description="答案：单选为序号（从0开始），多选为序号列表，判断为 true/false，填空为每空可接受答案列表，简答为参考答案。")
    topic = graphene.String(required=True, description="知识点。")
    difficulty = DifficultyEnum(description="难度，默认中。")
    explanation = graphene.String(description="解析。")


class CreateLearningQuestion(BaseMutation):
    question = graphene.Field(LearningQuestionType, description="新题目。")

    class Meta:
        description = "向题库添加一道题。"
        permissions = MANAGE
        error_codes = ("INVALID_QUESTION",)

    class Arguments:
        input = CreateLearningQuestionInput(required=True)

    @classmethod
    def perform(cls, info, input):
        q = questions.create_question(info.context.user, kind=input["kind"], stem=input["stem"], options=input.get("options"),
                                      answer=input["answer"], topic=input["topic"],
                                      difficulty=input.get("difficulty") or "medium", explanation=input.get("explanation") or "")
        return cls(question=q, errors=[])


class LearningImportReport(graphene.ObjectType):
    """The outcome (or preview) of a question import."""

    dry_run = graphene.Boolean(required=True, description="是否为预览（未写入）。")
    applied = graphene.Boolean(required=True, description="是否已写入。")
    rows = graphene.Int(required=True, description="读取的数据行数。")
    created = graphene.Int(required=True, description="新增题数。")
    row_errors = graphene.List(graphene.NonNull(ImportRowError), required=True, description="逐行错误。")


class ImportLearningQuestionsInput(graphene.InputObjectType):
    """A filled-in question template (download it with learningQuestionTemplate)."""

    file = graphene.String(required=True, description=".xlsx 文件（Base64 编码，不超过20MB）。")
    mode = ImportModeEnum(required=True, description="导入方式。")
    dry_run = graphene.Boolean(description="仅预览：校验并给出逐行错误，不写入。")


class ImportLearningQuestions(BaseMutation):
    report = graphene.Field(LearningImportReport, description="导入结果或预览。")

    class Meta:
        description = "从 Excel 导入题目：逐行校验并指出行与列；可预览；全部正确才导入或仅导入正确的行。"
        permissions = MANAGE
        error_codes = ("INVALID_FILE", "FILE_TOO_LARGE", "IMPORT_HAS_ERRORS")

    class Arguments:
        input = ImportLearningQuestionsInput(required=True)

    @classmethod
    def perform(cls, info, input):
        report, errors = run_import(info, input, importer.import_questions, importer.SHEET)
        return cls(report=report, errors=errors)


def run_import(info, input, do_import, sheet: str) -> tuple[LearningImportReport, list]:
    """Decode the uploaded workbook, run `do_import(actor, data, dry_run=, mode=)` and shape its report."""
    try:
        data = base64.b64decode(input["file"], validate=True)
    except (binascii.Error, ValueError):
        raise DomainError("INVALID_FILE", _("文件内容不是有效的 Base64 编码。"), "file") from None
    r = do_import(info.context.user, data, dry_run=bool(input.get("dry_run")), mode=input["mode"])
    report = LearningImportReport(dry_run=r.dry_run, applied=r.applied, rows=r.rows, created=r.created, row_errors=[
        ImportRowError(sheet=sheet, row=e["row"], column=e["column"], column_letter=e["column_letter"],
                       code=e["code"], message=e["message"]) for e in r.errors])
    errors = [] if r.applied or r.dry_run or not r.errors else [MutationError(
        field="file", code="IMPORT_HAS_ERRORS", message=_("文件中有错误，未导入，请修改后重新上传。"))]
    return report, errors


class LearningPaperQuestionInput(graphene.InputObjectType):
    """A question of a fixed paper."""

    question = GlobalID("LearningQuestion", required=True, description="题目。")
    points = graphene.Int(description="分值，默认1。")


class CreateLearningExamInput(graphene.InputObjectType):
    """An exam: a fixed paper (questions) or rules for random papers."""

    title = graphene.String(required=True, description="名称。")
    description = graphene.String(description="说明。")
    mode = ModeEnum(required=True, description="组卷方式。")
    questions = graphene.List(graphene.NonNull(LearningPaperQuestionInput), description="固定试卷的题目，按顺序。")
    rules = graphene.JSONString(description="随机组卷规则 [{topic, difficulty?, kind?, count, points}]。")
    time_limit_minutes = graphene.Int(required=True, description="限时（分钟，1–600）。")
    max_attempts = graphene.Int(description="可考次数，默认1。")
    pass_percent = graphene.Int(description="及格线（百分比），默认60。")
    shuffle_questions = graphene.Boolean(description="打乱题序，默认是。")
    shuffle_options = graphene.Boolean(description="打乱选项，默认是。")
    opens_at = graphene.DateTime(description="开始时间。")
    closes_at = graphene.DateTime(description="结束时间（之后考生可看答案）。")


class CreateLearningExam(BaseMutation):
    exam = graphene.Field(LearningExamType, description="新考试。")

    class Meta:
        description = "创建考试：固定试卷，或按知识点与难度随机组卷（同一份试卷不会重复出题）。"
        permissions = MANAGE
        error_codes = ("INVALID", "INVALID_RULES", "NOT_ENOUGH_QUESTIONS", "NOT_FOUND")

    class Arguments:
        input = CreateLearningExamInput(required=True)

    @classmethod
    def perform(cls, info, input):
        fields = {k: input[k] for k in ("max_attempts", "pass_percent", "shuffle_questions", "shuffle_options", "opens_at",
                                        "closes_at", "description") if input.get(k) is not None}
        exam = exams.create_exam(info.context.user, title=input["title"], mode=input["mode"], questions=input.get("questions"),
                                 rules=input.get("rules"), time_limit_minutes=input["time_limit_minutes"], **fields)
        return cls(exam=exam, errors=[])


class ExamRefInput(graphene.InputObjectType):
    """An exam."""

    exam = GlobalID("LearningExam", required=True, description="考试。")


class CloseLearningExam(BaseMutation):
    exam = graphene.Field(LearningExamType, description="考试。")

    class Meta:
        description = "立即结束考试：作答中的答卷自动交卷，考生可查看答案与解析。"
        permissions = MANAGE
        error_codes = ("NOT_FOUND",)

    class Arguments:
        input = ExamRefInput(required=True)

    @classmethod
    def perform(cls, info, input):
        return cls(exam=exams.close_exam(info.context.user, input["exam"]), errors=[])


class LearningAudienceInput(graphene.InputObjectType):
    """Who: any mix of people, units, roles, departments (with sub-departments), tags and groups."""

    user_ids = GlobalID("User", many=True, description="人员。")
    unit_ids = GlobalID("OrgUnit", many=True, description="单位（含下属单位）。")
    role_codes = graphene.List(graphene.NonNull(graphene.String), description="角色代码。")
    department_ids = GlobalID("Department", many=True, description="科室（含下级科室）。")
    tag_ids = GlobalID("Tag", many=True, description="标签。")
    group_ids = GlobalID("Group", many=True, description="分组。")


class AssignLearningExamInput(graphene.InputObjectType):
    """An exam, the people to sit it, and a deadline."""

    exam = GlobalID("LearningExam", required=True, description="考试。")
    audience = graphene.Field(LearningAudienceInput, required=True, description="考试范围。")
    deadline = graphene.DateTime(required=True, description="截止时间。")


class AssignLearningExam(BaseMutation):
    assignment = graphene.Field(LearningAssignmentType, description="考试布置。")

    class Meta:
        description = "把考试布置给一个范围的人员：每人收到一条待办，按科室实时统计完成率。"
        permissions = MANAGE
        error_codes = ("NOT_FOUND", "INVALID", "EXAM_NOT_OPEN", "UNKNOWN_DEPARTMENT", "UNKNOWN_TAG")

    class Arguments:
        input = AssignLearningExamInput(required=True)

    @classmethod
    def perform(cls, info, input):
        audience = {k: v for k, v in (input["audience"] or {}).items() if v}
        return cls(assignment=assignments.assign(info.context.user, input["exam"], audience, input["deadline"]), errors=[])


class StartLearningAttempt(BaseMutation):
    attempt = graphene.Field(LearningAttemptType, description="答卷（已有作答中的答卷时原样返回）。")

    class Meta:
        description = "开始考试，或继续作答中的答卷（换设备、刷新后答案都在）。"
        permissions = SIGNED_IN
        error_codes = SITTING
        heavy = True  # a paper drawn and written: at most a few at once, so answers keep saving meanwhile

    class Arguments:
        input = ExamRefInput(required=True)

    @classmethod
    def perform(cls, info, input):
        return cls(attempt=attempts.start_attempt(info.context.user, input["exam"]), errors=[])


class SaveLearningAnswerInput(graphene.InputObjectType):
    """One answer (null clears it)."""

    item = GlobalID("LearningAttemptItem", required=True, description="题目（LearningAttemptItem.id）。")
    answer = graphene.JSONString(description="作答：单选为选项 value，多选为 value 列表，判断为 true/false，填空为每空文字列表，简答为文字。")


class SaveLearningAnswer(BaseMutation):
    item = graphene.Field(LearningAttemptItem, description="已保存的题目。")
    seconds_left = graphene.Int(description="剩余秒数。")

    class Meta:
        description = "保存一道题的作答（随答随存）。超过时限时答卷自动交卷，返回 ATTEMPT_ENDED。"
        permissions = SIGNED_IN
        error_codes = ("NOT_FOUND", "ATTEMPT_ENDED", "INVALID_ANSWER", "TOO_LONG")

    class Arguments:
        input = SaveLearningAnswerInput(required=True)

    @classmethod
    def perform(cls, info, input):
        item = attempts.save_answer(info.context.user, input["item"], input.get("answer"))
        left = max(0, int((item.attempt.deadline - timezone.now()).total_seconds()))
        return cls(item=item, seconds_left=left, errors=[])


class AttemptRefInput(graphene.InputObjectType):
    """An attempt."""

    attempt = GlobalID("LearningAttempt", required=True, description="答卷。")


class SubmitLearningAttempt(BaseMutation):
    attempt = graphene.Field(LearningAttemptType, description="交卷后的答卷（客观题已判分）。")

    class Meta:
        description = "交卷：客观题自动判分，有简答题时等待阅卷。"
        permissions = SIGNED_IN
        error_codes = ("NOT_FOUND",)

    class Arguments:
        input = AttemptRefInput(required=True)

    @classmethod
    def perform(cls, info, input):
        return cls(attempt=attempts.submit(info.context.user, input["attempt"]), errors=[])


class MarkLearningAnswerInput(graphene.InputObjectType):
    """A marker's score for one short answer."""

    item = GlobalID("LearningAttemptItem", required=True, description="简答题（LearningAttemptItem.id）。")
    score = graphene.Float(required=True, description="得分（0到本题分值，一位小数）。")
    comment = graphene.String(description="评语。")


class MarkLearningAnswer(BaseMutation):
    item = graphene.Field(LearningAttemptItem, description="已批阅的题目。")

    class Meta:
        description = "批阅一道简答题；一份答卷的简答题全部阅完后出总分。"
        permissions = Perm("learning.mark", at=CURRENT_TENANT)
        error_codes = ("NOT_FOUND", "NOT_MARKABLE", "INVALID")

    class Arguments:
        input = MarkLearningAnswerInput(required=True)

    @classmethod
    def perform(cls, info, input):
        return cls(item=attempts.mark_item(info.context.user, input["item"], input["score"], input.get("comment") or ""), errors=[])


class Mutation(graphene.ObjectType):
    create_learning_question = CreateLearningQuestion.Field()
    import_learning_questions = ImportLearningQuestions.Field()
    create_learning_exam = CreateLearningExam.Field()
    close_learning_exam = CloseLearningExam.Field()
    assign_learning_exam = AssignLearningExam.Field()
    start_learning_attempt = StartLearningAttempt.Field()
    save_learning_answer = SaveLearningAnswer.Field()
    submit_learning_attempt = SubmitLearningAttempt.Field()
    mark_learning_answer = MarkLearningAnswer.Field()
