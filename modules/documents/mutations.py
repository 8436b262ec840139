"""Every documents action as a mutation: one `input`, the changed document and
`errors { field code message }`. Who may act is decided by the actions (the drafter, the office,
whoever a step waits on), so most mutations declare the tenant permission they need at least."""

from __future__ import annotations

import graphene
from django.utils.translation import gettext as _

from jianlian.api.base import BaseMutation, GlobalID
from jianlian.api.permissions import CURRENT_TENANT, SIGNED_IN, Perm
from jianlian.core.errors import DomainError
from modules.documents import incoming, outgoing
from modules.documents.series import SaveDocumentSeries
from modules.documents.types import ClassificationEnum, IncomingDocumentType, OutgoingDocumentType, UrgencyEnum

OUT = ("NOT_FOUND", "DOCUMENT_NOT_EDITABLE")
IN = ("NOT_FOUND", "DOCUMENT_WRONG_STEP")


class DocumentRecipientInput(graphene.InputObjectType):
    """Another unit (by its tenant code) or a person of this unit."""

    tenant = graphene.String(description="收文单位的代码（租户 slug）。")
    user = GlobalID("User", description="本单位人员。")


def _recipients(items) -> list[dict]:
    out = []
    for i in items or []:
        if i.get("user"):
            out.append({"kind": "user", "id": i["user"]})
        else:
            out.append({"kind": "tenant", "slug": i.get("tenant") or ""})
    return out


class SaveOutgoingDocumentInput(graphene.InputObjectType):
    """A new draft (no id) or changes to my draft."""

    id = GlobalID("OutgoingDocument", description="要修改的草稿；新建时不填。")
    series = GlobalID("DocumentSeries", required=True, description="发文字号（机关代字）。")
    title = graphene.String(required=True, description="标题（不超过120字）。")
    body = graphene.String(required=True, description="正文，每行一段。")
    issuer = graphene.String(description="发文机关；不填用发文字号的发文机关。")
    main_to = graphene.List(graphene.NonNull(DocumentRecipientInput), required=True, description="主送。")
    copy_to = graphene.List(graphene.NonNull(DocumentRecipientInput), description="抄送。")
    urgency = UrgencyEnum(description="紧急程度，默认普通。")
    classification = ClassificationEnum(description="密级，默认公开。")


class SaveOutgoingDocument(BaseMutation):
    document = graphene.Field(OutgoingDocumentType, description="发文。")

    class Arguments:
        input = SaveOutgoingDocumentInput(required=True)

    class Meta:
        description = "保存发文草稿（新建或修改）。"
        permissions = Perm("documents.draft", at=CURRENT_TENANT)
        error_codes = (*OUT, "REQUIRED", "INVALID", "UNKNOWN_RECIPIENT")

    @classmethod
    def perform(cls, info, input):
        doc = outgoing.save_draft(
            info.context.user, doc_id=input.get("id"), series_id=input["series"], title=input["title"], body=input["body"],
            issuer=input.get("issuer") or "", main_to=_recipients(input["main_to"]), copy_to=_recipients(input.get("copy_to")),
            urgency=input.get("urgency") or "normal", classification=input.get("classification") or "public")
        return cls(document=doc, errors=[])


class SubmitOutgoingDocumentInput(graphene.InputObjectType):
    """Who reviews (核稿), countersigns (会签, optional) and signs (签发)."""

    id = GlobalID("OutgoingDocument", required=True, description="草稿。")
    reviewers = GlobalID("User", many=True, required=True, description="核稿人（依次）。")
    cosigners = GlobalID("User", many=True, description="会签人（全部同意）；可不填。")
    signers = GlobalID("User", many=True, required=True, description="签发人。")


class SubmitOutgoingDocument(BaseMutation):
    document = graphene.Field(OutgoingDocumentType, description="发文。")

    class Arguments:
        input = SubmitOutgoingDocumentInput(required=True)

    class Meta:
        description = "送审：核稿、会签、签发在审批中进行；签发后自动编号并分发。仅拟稿人。"
        permissions = Perm("documents.draft", at=CURRENT_TENANT)
        error_codes = (*OUT, "APPROVER_REQUIRED", "INVALID_APPROVER", "REQUIRED", "TOO_LONG", "INVALID")

    @classmethod
    def perform(cls, info, input):
        doc = outgoing.submit(info.context.user, input["id"], reviewers=input.get("reviewers") or [],
                              signers=input.get("signers") or [], cosigners=input.get("cosigners") or [])
        return cls(document=doc, errors=[])


class ArchiveOutgoingDocumentInput(graphene.InputObjectType):
    """The sent document to archive."""

    id = GlobalID("OutgoingDocument", required=True, description="发文。")


class ArchiveOutgoingDocument(BaseMutation):
    document = graphene.Field(OutgoingDocumentType, description="发文。")

    class Arguments:
        input = ArchiveOutgoingDocumentInput(required=True)

    class Meta:
        description = "发文归档。办公室（documents.register）。"
        permissions = Perm("documents.register", at=CURRENT_TENANT)
        error_codes = ("NOT_FOUND", "DOCUMENT_WRONG_STEP")

    @classmethod
    def perform(cls, info, input):
        return cls(document=outgoing.archive(info.context.user, input["id"]), errors=[])


class ReadOutgoingDocumentInput(graphene.InputObjectType):
    """A 发文 sent to me."""

    id = GlobalID("OutgoingDocument", required=True, description="发文。")


class ReadOutgoingDocument(BaseMutation):
    document = graphene.Field(OutgoingDocumentType, description="发文。")

    class Arguments:
        input = ReadOutgoingDocumentInput(required=True)

    class Meta:
        description = "标记发给我的发文为已读（回执）。"
        permissions = SIGNED_IN
        error_codes = ("NOT_FOUND",)

    @classmethod
    def perform(cls, info, input):
        return cls(document=outgoing.read(info.context.user, input["id"]), errors=[])


class RegisterIncomingDocumentInput(graphene.InputObjectType):
    """A paper or e-mailed document to register."""

    issuer = graphene.String(required=True, description="来文单位。")
    number = graphene.String(description="来文字号。")
    title = graphene.String(required=True, description="标题。")
    body = graphene.String(description="正文或摘要。")
    classification = ClassificationEnum(description="密级，默认公开。")
    urgency = UrgencyEnum(description="紧急程度，默认普通。")
    deadline = graphene.Date(description="办理期限。")


class RegisterIncomingDocument(BaseMutation):
    document = graphene.Field(IncomingDocumentType, description="收文。")

    class Arguments:
        input = RegisterIncomingDocumentInput(required=True)

    class Meta:
        description = "收文登记。办公室（documents.register）。"
        permissions = Perm("documents.register", at=CURRENT_TENANT)
        error_codes = ("REQUIRED", "TOO_LONG", "INVALID", "INVALID_DATE")

    @classmethod
    def perform(cls, info, input):
        doc = incoming.register(info.context.user, issuer=input["issuer"], number=input.get("number") or "",
                                title=input["title"], body=input.get("body") or "",
                                classification=input.get("classification") or "public",
                                urgency=input.get("urgency") or "normal", deadline=input.get("deadline"))
        return cls(document=doc, errors=[])


StepEnum = graphene.Enum("IncomingDocumentStep", [("PROPOSE", "propose"), ("INSTRUCT", "instruct"), ("HANDLE", "handle"),
                                                  ("CIRCULATE", "circulate"), ("FINISH", "finish"), ("READ", "read")],
                         description="PROPOSE 拟办（opinion、leader）、INSTRUCT 批办（opinion、lead、assists）、HANDLE 承办（opinion）、"
                                     "CIRCULATE 传阅（readers、departments）、FINISH 办结（opinion 可选）、READ 已读。")


class RouteIncomingDocumentInput(graphene.InputObjectType):
    """One routing step of a 收文; which fields count depends on `step`."""

    id = GlobalID("IncomingDocument", required=True, description="收文。")
    step = StepEnum(required=True, description="环节。")
    opinion = graphene.String(description="意见。")
    leader = GlobalID("User", description="批办领导（拟办时）。")
    lead = GlobalID("User", description="主办人（批办时）。")
    assists = GlobalID("User", many=True, description="协办人（批办时）。")
    readers = GlobalID("User", many=True, description="传阅人员。")
    departments = GlobalID("Department", many=True, description="传阅科室。")


class RouteIncomingDocument(BaseMutation):
    document = graphene.Field(IncomingDocumentType, description="收文。")

    class Arguments:
        input = RouteIncomingDocumentInput(required=True)

    class Meta:
        description = "收文流转：拟办、批办、承办、传阅、办结、已读。谁能做哪一步见 availableActions。"
        permissions = SIGNED_IN
        error_codes = (*IN, "REQUIRED", "TOO_LONG", "UNKNOWN_RECIPIENT", "SENDER_NOT_WHITELISTED", "NO_RECIPIENTS",
                       "UNKNOWN_DEPARTMENT")

    @classmethod
    def perform(cls, info, input):
        user, pk, step = info.context.user, input["id"], input["step"]
        opinion = input.get("opinion") or ""
        if step == "propose":
            if not input.get("leader"):
                raise DomainError("REQUIRED", _("请选择批办领导。"), "leader")
            doc = incoming.propose(user, pk, opinion=opinion, leader_id=input["leader"])
        elif step == "instruct":
            if not input.get("lead"):
                raise DomainError("REQUIRED", _("请选择主办人。"), "lead")
            doc = incoming.instruct(user, pk, opinion=opinion, lead_id=input["lead"], assist_ids=input.get("assists"))
        elif step == "handle":
            doc = incoming.handle(user, pk, opinion=opinion)
        elif step == "circulate":
            doc = incoming.circulate(user, pk, user_ids=input.get("readers"), department_ids=input.get("departments"))
        elif step == "finish":
            doc = incoming.finish(user, pk, opinion=opinion)
        else:
            doc = incoming.read(user, pk)
        return cls(document=doc, errors=[])


class Mutation(graphene.ObjectType):
    save_outgoing_document = SaveOutgoingDocument.Field()
    submit_outgoing_document = SubmitOutgoingDocument.Field()
    archive_outgoing_document = ArchiveOutgoingDocument.Field()
    read_outgoing_document = ReadOutgoingDocument.Field()
    register_incoming_document = RegisterIncomingDocument.Field()
    route_incoming_document = RouteIncomingDocument.Field()
    save_document_series = SaveDocumentSeries.Field()
