"""Every payslips action as its own mutation: one `input`, the changed object and
`errors { field code message }`. The payroll office's mutations need `payslips.manage`; a
person's act on their own payslip (the access helpers find it)."""

from __future__ import annotations

import base64
import binascii

import graphene
from django.utils.translation import gettext_lazy as _

from jianlian.api.base import BaseMutation, GlobalID, MutationError, RawString
from jianlian.api.permissions import CURRENT_TENANT, SIGNED_IN, Perm
from jianlian.core.errors import DomainError
from jianlian.org.schema import ImportModeEnum, ImportRowError
from modules.payslips import importer, services
from modules.payslips.types import PayslipBatchType, PayslipLineType, PayslipMappingType, PayslipType

OFFICE = Perm("payslips.manage", at=CURRENT_TENANT)
SLIP_ERRORS = ("PAYSLIPS_WRONG_STATE",)


class SavePayslipMappingInput(graphene.InputObjectType):
    """Which headers of the payroll workbook hold what."""

    staff_no_header = graphene.String(required=True, description="工号列的表头（如 工号）。")
    name_header = graphene.String(required=True, description="姓名列的表头（如 姓名）。")
    item_headers = graphene.List(graphene.NonNull(graphene.String), required=True,
                                 description="工资项目列的表头，按显示顺序；为空表示其余各列都是工资项目。")


class SavePayslipMapping(BaseMutation):
    mapping = graphene.Field(PayslipMappingType, description="保存后的列映射。")

    class Arguments:
        input = SavePayslipMappingInput(required=True)

    class Meta:
        description = "保存本单位工资表的列映射（工号列、姓名列、工资项目列）。"
        permissions = OFFICE
        error_codes = ("REQUIRED", "INVALID")

    @classmethod
    def perform(cls, info, input):
        m = importer.save_mapping(info.context.user, staff_no_header=input["staff_no_header"], name_header=input["name_header"],
                                  item_headers=input["item_headers"])
        return cls(mapping=PayslipMappingType(staff_no_header=m.staff_no_header, name_header=m.name_header,
                                              item_headers=m.item_headers), errors=[])


class PayslipImportReport(graphene.ObjectType):
    """The outcome (or preview) of a payroll workbook import."""

    dry_run = graphene.Boolean(required=True, description="仅预览。")
    applied = graphene.Boolean(required=True, description="已写入。")
    rows = graphene.Int(required=True, description="数据行数。")
    created = graphene.Int(required=True, description="写入的工资条数。")
    headers = graphene.List(graphene.NonNull(graphene.String), required=True, description="识别出的工资项目。")
    row_errors = graphene.List(graphene.NonNull(ImportRowError), required=True, description="逐行错误。")


class ImportPayslipsInput(graphene.InputObjectType):
    """A payroll workbook (.xlsx, Base64) for one month."""

    file = RawString(required=True, description="Excel 文件内容（Base64）。")
    month = graphene.String(required=True, description="月份，如 2026-11。")
    title = graphene.String(description="标题（默认“2026-11 工资条”）。")
    mode = ImportModeEnum(required=True, description="导入方式。")
    dry_run = graphene.Boolean(description="只校验预览，不写入。")
    batch = GlobalID("PayslipBatch", description="更正：替换该批次（草稿或已撤回）的工资条。")


class ImportPayslips(BaseMutation):
    report = graphene.Field(PayslipImportReport, description="导入结果或预览。")
    batch = graphene.Field(PayslipBatchType, description="写入的批次（草稿，待发布）。")

    class Arguments:
        input = ImportPayslipsInput(required=True)

    class Meta:
        description = "从 Excel 导入一个月的工资表：按列映射逐行校验并指出行与列；可预览；写入为草稿批次，或更正已撤回的批次。"
        permissions = OFFICE
        error_codes = ("INVALID_FILE", "FILE_TOO_LARGE", "IMPORT_HAS_ERRORS", "INVALID", "PAYSLIPS_BAD_MONTH",
                       "PAYSLIPS_WRONG_STATE")

    @classmethod
    def perform(cls, info, input):
        try:
            data = base64.b64decode(input["file"], validate=True)
        except (binascii.Error, ValueError):
            raise DomainError("INVALID_FILE", _("文件内容不是有效的 Base64 编码。"), "file") from None
        r = importer.import_batch(info.context.user, data, month=input["month"], title=input.get("title") or "",
                                  dry_run=bool(input.get("dry_run")), mode=input["mode"], batch_id=input.get("batch"))
        report = PayslipImportReport(dry_run=r.dry_run, applied=r.applied, rows=r.rows, created=r.created, headers=r.headers,
                                     row_errors=[ImportRowError(sheet="", row=e["row"], column=e["column"],
                                                                column_letter=e["column_letter"], code=e["code"],
                                                                message=e["message"]) for e in r.errors])
        errors = [] if r.applied or r.dry_run or not r.errors else [MutationError(
            field="file", code="IMPORT_HAS_ERRORS", message=_("文件中有错误，未导入，请修改后重新上传。"))]
        return cls(report=report, batch=r.batch, errors=errors)


class PublishPayslipsInput(graphene.InputObjectType):
    """The batch to publish."""

    batch = GlobalID("PayslipBatch", required=True, description="批次。")


class PublishPayslips(BaseMutation):
    batch = graphene.Field(PayslipBatchType, description="批次。")

    class Arguments:
        input = PublishPayslipsInput(required=True)

    class Meta:
        description = "发布工资条批次：每人可查看自己的工资条，并收到通知。"
        permissions = OFFICE
        error_codes = ("PAYSLIPS_WRONG_STATE",)

    @classmethod
    def perform(cls, info, input):
        return cls(batch=services.publish(info.context.user, input["batch"]), errors=[])


class WithdrawPayslipsInput(graphene.InputObjectType):
    """The batch to withdraw, and why."""

    batch = GlobalID("PayslipBatch", required=True, description="批次。")
    reason = graphene.String(required=True, description="撤回原因（如 绩效工资有误）。")


class WithdrawPayslips(BaseMutation):
    batch = graphene.Field(PayslipBatchType, description="批次。")

    class Arguments:
        input = WithdrawPayslipsInput(required=True)

    class Meta:
        description = "撤回已发布的批次（更正后重新导入并发布）；撤回期间本人看不到。"
        permissions = OFFICE
        error_codes = ("PAYSLIPS_WRONG_STATE", "REQUIRED")

    @classmethod
    def perform(cls, info, input):
        return cls(batch=services.withdraw(info.context.user, input["batch"], input["reason"]), errors=[])


class GrantPayslipAccessInput(graphene.InputObjectType):
    """The sign-in password, again."""

    password = RawString(required=True, description="登录密码。")


class GrantPayslipAccess(BaseMutation):
    grant = graphene.String(description="查看凭证（5分钟内有效），交给 openPayslip。")
    expires_at = graphene.DateTime(description="凭证失效时间。")

    class Arguments:
        input = GrantPayslipAccessInput(required=True)

    class Meta:
        description = "查看工资条前再次验证登录密码，得到5分钟内有效的查看凭证；密码错误计入登录锁定。"
        permissions = SIGNED_IN
        error_codes = ("INVALID_CREDENTIALS", "ACCOUNT_LOCKED")

    @classmethod
    def perform(cls, info, input):
        grant, expires = services.grant_access(info.context.user, input["password"])
        return cls(grant=grant, expires_at=expires, errors=[])


class OpenPayslipInput(graphene.InputObjectType):
    """The payslip to open, with a fresh grant."""

    payslip = GlobalID("Payslip", required=True, description="工资条。")
    grant = RawString(required=True, description="grantPayslipAccess 给的查看凭证。")


class OpenPayslip(BaseMutation):
    payslip = graphene.Field(PayslipType, description="工资条。")
    lines = graphene.List(graphene.NonNull(PayslipLineType), description="工资项目与金额。")

    class Arguments:
        input = OpenPayslipInput(required=True)

    class Meta:
        description = "查看工资条的金额（本人或薪资办，须有效的查看凭证）；本人首次查看即标记为已查看。"
        permissions = SIGNED_IN
        error_codes = ("PAYSLIPS_GRANT_EXPIRED",)

    @classmethod
    def perform(cls, info, input):
        slip, lines = services.open_payslip(info.context.user, input["payslip"], input["grant"])
        return cls(payslip=slip, lines=[PayslipLineType(item=i, amount=a) for i, a in lines], errors=[])


class ConfirmPayslipInput(graphene.InputObjectType):
    """My payslip to confirm."""

    payslip = GlobalID("Payslip", required=True, description="工资条。")


class ConfirmPayslip(BaseMutation):
    payslip = graphene.Field(PayslipType, description="工资条。")

    class Arguments:
        input = ConfirmPayslipInput(required=True)

    class Meta:
        description = "本人确认工资条无误（须先查看）。"
        permissions = SIGNED_IN
        error_codes = SLIP_ERRORS

    @classmethod
    def perform(cls, info, input):
        return cls(payslip=services.confirm(info.context.user, input["payslip"]), errors=[])


class QuestionPayslipInput(graphene.InputObjectType):
    """A question about my payslip."""

    payslip = GlobalID("Payslip", required=True, description="工资条。")
    question = graphene.String(required=True, description="疑问（500字以内）。")


class QuestionPayslip(BaseMutation):
    payslip = graphene.Field(PayslipType, description="工资条。")

    class Arguments:
        input = QuestionPayslipInput(required=True)

    class Meta:
        description = "本人对工资条提出疑问：薪资办每人收到一条待办。"
        permissions = SIGNED_IN
        error_codes = (*SLIP_ERRORS, "REQUIRED", "TOO_LONG")

    @classmethod
    def perform(cls, info, input):
        return cls(payslip=services.ask(info.context.user, input["payslip"], input["question"]), errors=[])


class ReplyPayslipQuestionInput(graphene.InputObjectType):
    """The payroll office's answer to a question."""

    payslip = GlobalID("Payslip", required=True, description="工资条。")
    text = graphene.String(required=True, description="答复。")


class ReplyPayslipQuestion(BaseMutation):
    payslip = graphene.Field(PayslipType, description="工资条。")

    class Arguments:
        input = ReplyPayslipQuestionInput(required=True)

    class Meta:
        description = "薪资办答复疑问：待办完成，本人收到通知。"
        permissions = OFFICE
        error_codes = (*SLIP_ERRORS, "REQUIRED")

    @classmethod
    def perform(cls, info, input):
        return cls(payslip=services.reply(info.context.user, input["payslip"], input["text"]), errors=[])


class Mutation(graphene.ObjectType):
    save_payslip_mapping = SavePayslipMapping.Field()
    import_payslips = ImportPayslips.Field()
    publish_payslips = PublishPayslips.Field()
    withdraw_payslips = WithdrawPayslips.Field()
    grant_payslip_access = GrantPayslipAccess.Field()
    open_payslip = OpenPayslip.Field()
    confirm_payslip = ConfirmPayslip.Field()
    question_payslip = QuestionPayslip.Field()
    reply_payslip_question = ReplyPayslipQuestion.Field()
