"""GraphQL types of official documents (API tour in README.md beside this file)."""

from __future__ import annotations

import graphene
from graphql_relay import to_global_id

from jianlian.api.connection import CountableConnection
from jianlian.api.types import ModelType
from modules.documents import access, incoming, outgoing
from modules.documents.models import Classification, InStatus, Incoming, OutStatus, Outgoing, Series, Urgency

OutStatusEnum = graphene.Enum.from_enum(OutStatus, name="OutgoingDocumentStatus", description="发文状态。")
InStatusEnum = graphene.Enum.from_enum(InStatus, name="IncomingDocumentStatus", description="收文状态。")
UrgencyEnum = graphene.Enum.from_enum(Urgency, name="DocumentUrgency", description="紧急程度。")
ClassificationEnum = graphene.Enum.from_enum(Classification, name="DocumentClassification", description="密级。")
OUT_ACTIONS = ("EDIT", "SUBMIT", "ARCHIVE", "DOWNLOAD_DOCX")
IN_ACTIONS = ("PROPOSE", "INSTRUCT", "HANDLE", "CIRCULATE", "FINISH", "READ")
OutActionEnum = graphene.Enum("OutgoingDocumentAction", [(a, a) for a in OUT_ACTIONS],
                              description="当前用户可做的操作：EDIT 修改、SUBMIT 送审（核稿、会签、签发）、ARCHIVE 归档、DOWNLOAD_DOCX 下载 Word。")
InActionEnum = graphene.Enum("IncomingDocumentAction", [(a, a) for a in IN_ACTIONS],
                             description="当前用户可做的操作：PROPOSE 拟办、INSTRUCT 批办、HANDLE 承办、CIRCULATE 传阅、FINISH 办结、READ 标为已读。")


class DocumentSeriesType(ModelType):
    """A numbering series (机关代字)."""

    class Meta:
        model = Series
        name = "DocumentSeries"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "code", "name", "issuer", "is_active")

    @classmethod
    def access_node(cls, info, viewer, pk):
        return Series.objects.filter(pk=pk).first() if access.may(viewer, access.DRAFT) else None


class DocumentRecipient(graphene.ObjectType):
    """A 主送 / 抄送 entry: another unit (tenant) or a person of this unit."""

    kind = graphene.String(required=True, description="tenant 单位、user 本单位人员。")
    slug = graphene.String(description="单位代码（kind=tenant）。")
    user_id = graphene.ID(description="人员（User 的 ID，kind=user）。")
    name = graphene.String(required=True, description="名称。")


def _recipients(items):
    return [DocumentRecipient(kind=i["kind"], slug=i.get("slug"), name=i["name"],
                              user_id=to_global_id("User", i["id"]) if i.get("id") else None) for i in items or []]


class OutgoingDocumentType(ModelType):
    """发文: a draft, under approval (its approval is in the approvals app), or numbered and sent."""

    status = OutStatusEnum(required=True, description="状态。")
    urgency = UrgencyEnum(required=True, description="紧急程度。")
    classification = ClassificationEnum(required=True, description="密级。")
    series = graphene.Field(graphene.NonNull(DocumentSeriesType), description="发文字号。")
    main_to = graphene.List(graphene.NonNull(DocumentRecipient), required=True, description="主送。")
    copy_to = graphene.List(graphene.NonNull(DocumentRecipient), required=True, description="抄送。")
    approval_id = graphene.ID(description="审批单（ApprovalInstance 的 ID），送审后才有。")
    available_actions = graphene.List(graphene.NonNull(OutActionEnum), required=True, description="当前用户可做的操作。")
    pdf_path = graphene.String(required=True, description="带本人水印的 PDF 的地址（用 createSignedLink 签名后在新标签页打开）。")
    docx_path = graphene.String(description="Word 文件地址（仅拟稿人和公文管理员；用 createSignedLink 签名）。")

    class Meta:
        model = Outgoing
        name = "OutgoingDocument"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "title", "issuer", "body", "number", "signed_at", "signer_name", "drafter_name", "archived_at",
                  "created_at", "updated_at")

    @classmethod
    def access_node(cls, info, viewer, pk):
        return access.visible_outgoing(viewer).filter(pk=pk).first()

    @staticmethod
    def resolve_main_to(d, info):
        return _recipients(d.main_to)

    @staticmethod
    def resolve_copy_to(d, info):
        return _recipients(d.copy_to)

    @staticmethod
    def resolve_approval_id(d, info):
        return to_global_id("ApprovalInstance", d.approval_id) if d.approval_id else None

    @staticmethod
    def resolve_available_actions(d, info):
        return outgoing.available_actions(info.context.user, d)

    @staticmethod
    def resolve_pdf_path(d, info):
        return f"/apps/documents/outgoing/{d.pk}/pdf"

    @staticmethod
    def resolve_docx_path(d, info):
        return f"/apps/documents/outgoing/{d.pk}/docx" if "DOWNLOAD_DOCX" in outgoing.available_actions(info.context.user, d) else None


class IncomingStepType(graphene.ObjectType):
    """One step of a 收文's routing."""

    kind = graphene.String(required=True, description="register 登记、propose 拟办、instruct 批办、assist 协办、handle 承办、circulate 传阅、finish 办结。")
    actor_name = graphene.String(required=True, description="办理人。")
    opinion = graphene.String(required=True, description="意见。")
    at = graphene.DateTime(required=True, description="时间。")


class IncomingDocumentType(ModelType):
    """收文: registered here by hand or on arrival from another unit, routed step by step."""

    status = InStatusEnum(required=True, description="状态。")
    urgency = UrgencyEnum(required=True, description="紧急程度。")
    classification = ClassificationEnum(required=True, description="密级。")
    steps = graphene.List(graphene.NonNull(IncomingStepType), required=True, description="办理过程，早的在前。")
    waiting_names = graphene.List(graphene.NonNull(graphene.String), required=True, description="当前待办理人。")
    read_count = graphene.Int(required=True, description="传阅已读人数。")
    circulated_count = graphene.Int(required=True, description="传阅人数。")
    available_actions = graphene.List(graphene.NonNull(InActionEnum), required=True, description="当前用户可做的操作。")
    pdf_path = graphene.String(required=True, description="带本人水印的 PDF 的地址（用 createSignedLink 签名后在新标签页打开）。")

    class Meta:
        model = Incoming
        name = "IncomingDocument"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "issuer", "number", "title", "body", "main_to", "copy_to", "role", "deadline", "signed_on",
                  "source_tenant", "registered_by_name", "created_at", "updated_at")

    @classmethod
    def access_node(cls, info, viewer, pk):
        return access.visible_incoming(viewer).filter(pk=pk).first()

    @staticmethod
    def resolve_steps(d, info):
        return list(d.steps.all())

    @staticmethod
    def resolve_waiting_names(d, info):
        from jianlian.identity.models import User

        return list(User.objects.filter(pk__in=d.waiting_ids or []).order_by("pk").values_list("real_name", flat=True))

    @staticmethod
    def resolve_read_count(d, info):
        return incoming.read_counts(d)[0]

    @staticmethod
    def resolve_circulated_count(d, info):
        return incoming.read_counts(d)[1]

    @staticmethod
    def resolve_available_actions(d, info):
        return incoming.available_actions(info.context.user, d)

    @staticmethod
    def resolve_pdf_path(d, info):
        return f"/apps/documents/incoming/{d.pk}/pdf"


class OutgoingDocumentConnection(CountableConnection):
    """A page of 发文."""

    class Meta:
        node = OutgoingDocumentType


class IncomingDocumentConnection(CountableConnection):
    """A page of 收文."""

    class Meta:
        node = IncomingDocumentType
