"""GraphQL for the mailbox: letters (handlers see all, writers their named ones), one letter, a
letter by its claim code (how an anonymous writer reads replies), statistics; writes in the
Mutation below. No field ever names the writer of an anonymous letter: nothing stored does."""

from __future__ import annotations

import graphene
from django.utils.translation import gettext as _

from jianlian.api.base import BaseMutation, GlobalID, PermissionField, decode_id, require_user
from jianlian.api.connection import CountableConnection, connection_args, paginate
from jianlian.api.permissions import CURRENT_TENANT, SIGNED_IN, Perm
from jianlian.api.types import ModelType
from jianlian.core.errors import DomainError
from modules.mailbox import actions
from modules.mailbox.models import Kind, Letter, Status

KindEnum = graphene.Enum.from_enum(Kind, name="MailboxLetterKind", description="院长信箱或职工诉求。")
StatusEnum = graphene.Enum.from_enum(Status, name="MailboxLetterStatus", description="来信状态。")


class MailboxMessage(graphene.ObjectType):
    """A reply by a handler or a follow-up by the writer."""

    from_handler = graphene.Boolean(required=True, description="是否办理人的答复。")
    author_name = graphene.String(required=True, description="署名（办理人统一署名“办理人”；匿名写信人为“写信人”）。")
    body = graphene.String(required=True, description="内容。")
    at = graphene.DateTime(required=True, description="时间。")


class MailboxLetterType(ModelType):
    """A letter. `senderName` is null for an anonymous letter (nothing about its writer is stored)."""

    kind = KindEnum(required=True, description="类型。")
    status = StatusEnum(required=True, description="状态。")
    sender_name = graphene.String(description="写信人；匿名来信为 null。")
    messages = graphene.List(graphene.NonNull(MailboxMessage), required=True, description="答复与追问，早的在前。")

    class Meta:
        model = Letter
        name = "MailboxLetter"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "subject", "body", "anonymous", "satisfaction", "created_at", "closed_at")

    @classmethod
    def access_node(cls, info, viewer, pk):
        try:
            return actions.access_letter(viewer, pk)
        except DomainError:
            return None

    @staticmethod
    def resolve_sender_name(letter, info):
        return None if letter.anonymous else letter.sender_name

    @staticmethod
    def resolve_messages(letter, info):
        return [MailboxMessage(from_handler=m.from_handler, author_name=m.author_name, body=m.body, at=m.at)
                for m in letter.messages.all()]


class MailboxLetterConnection(CountableConnection):
    """A page of letters."""

    class Meta:
        node = MailboxLetterType


class Query(graphene.ObjectType):
    mailbox_letters = PermissionField(MailboxLetterConnection, required=True, permissions=SIGNED_IN,
                                      args=connection_args(status=StatusEnum(description="只看该状态。")),
                                      description="来信：办理人看全部，其他人看自己的实名来信；新的在前。")
    mailbox_letter = PermissionField(MailboxLetterType, permissions=SIGNED_IN, id=graphene.ID(required=True, description="来信。"),
                                     description="一封来信；无权查看时为 null。")
    mailbox_letter_by_code = PermissionField(MailboxLetterType, permissions=SIGNED_IN,
                                             code=graphene.String(required=True, description="写信时得到的取件码。"),
                                             description="凭取件码查看自己的来信与答复（匿名来信唯一的查看方式）；码不对时为 null。")
    mailbox_statistics = PermissionField(graphene.JSONString, required=True, permissions=Perm("mailbox.manage", at=CURRENT_TENANT),
                                         description="统计：按类型和状态的件数、匿名件数、平均满意度。")

    @staticmethod
    def resolve_mailbox_letters(root, info, first=None, after=None, status=None):
        user = require_user(info)
        qs = Letter.objects.all() if actions.may(user, actions.HANDLE) else Letter.objects.filter(sender_id=user.pk)
        if status:
            qs = qs.filter(status=getattr(status, "value", status))
        return paginate(qs, MailboxLetterConnection, first=first, after=after, order=("-id",))

    @staticmethod
    def resolve_mailbox_letter(root, info, id):
        user = require_user(info)
        try:
            return actions.access_letter(user, decode_id(id, "MailboxLetter"))
        except DomainError:
            return None

    @staticmethod
    def resolve_mailbox_letter_by_code(root, info, code):
        require_user(info)
        try:
            return actions.by_claim_code(code)
        except DomainError:
            return None

    @staticmethod
    def resolve_mailbox_statistics(root, info):
        return actions.statistics()


class SubmitMailboxLetterInput(graphene.InputObjectType):
    """A letter; `anonymous` keeps no trace of the writer."""

    kind = KindEnum(description="类型，默认院长信箱。")
    subject = graphene.String(required=True, description="主题（不超过100字）。")
    body = graphene.String(required=True, description="内容（不超过5000字）。")
    anonymous = graphene.Boolean(description="匿名：不保存写信人的任何信息，只能凭取件码查看答复。")


class SubmitMailboxLetter(BaseMutation):
    letter = graphene.Field(MailboxLetterType, description="来信。")
    claim_code = graphene.String(description="取件码：只显示这一次，请妥善保存（匿名来信凭它查看答复）。")

    class Arguments:
        input = SubmitMailboxLetterInput(required=True)

    class Meta:
        description = "写信（实名或匿名）。本单位职工（租户路由已核对其成员身份）。"
        permissions = SIGNED_IN
        error_codes = ("REQUIRED", "TOO_LONG", "INVALID")

    @classmethod
    def perform(cls, info, input):
        letter, code = actions.submit(info.context.user, subject=input["subject"], body=input["body"],
                                      kind=input.get("kind") or "mailbox", anonymous=bool(input.get("anonymous")))
        return cls(letter=letter, claim_code=code, errors=[])


class ReplyToMailboxLetterInput(graphene.InputObjectType):
    """A handler's answer."""

    id = GlobalID("MailboxLetter", required=True, description="来信。")
    body = graphene.String(required=True, description="答复。")


class ReplyToMailboxLetter(BaseMutation):
    letter = graphene.Field(MailboxLetterType, description="来信。")

    class Arguments:
        input = ReplyToMailboxLetterInput(required=True)

    class Meta:
        description = "答复来信。信箱办理人。"
        permissions = Perm("mailbox.handle", at=CURRENT_TENANT)
        error_codes = ("NOT_FOUND", "LETTER_CLOSED", "REQUIRED", "TOO_LONG")

    @classmethod
    def perform(cls, info, input):
        return cls(letter=actions.reply(info.context.user, input["id"], input["body"]), errors=[])


class WriterInput(graphene.InputObjectType):
    """The writer's own letter: by id (named letters) or by claim code (any letter)."""

    id = GlobalID("MailboxLetter", description="自己的实名来信。")
    code = graphene.String(description="取件码。")
    body = graphene.String(description="追问内容。")
    satisfaction = graphene.Int(description="满意度 1–5（评价时）。")


def _writers_letter(user, input) -> Letter:
    if input.get("code"):
        return actions.by_claim_code(input["code"])
    letter = Letter.objects.filter(pk=input.get("id") or 0, sender_id=user.pk).first()
    if letter is None:
        raise DomainError("INVALID_CLAIM_CODE", _("找不到您的这封来信。"), "id")
    return letter


class FollowUpMailboxLetter(BaseMutation):
    letter = graphene.Field(MailboxLetterType, description="来信。")

    class Arguments:
        input = WriterInput(required=True)

    class Meta:
        description = "写信人追问（实名来信按 id，匿名来信凭取件码）。"
        permissions = SIGNED_IN
        error_codes = ("INVALID_CLAIM_CODE", "LETTER_CLOSED", "REQUIRED", "TOO_LONG")

    @classmethod
    def perform(cls, info, input):
        return cls(letter=actions.follow_up(_writers_letter(info.context.user, input), input.get("body") or ""), errors=[])


class RateMailboxLetter(BaseMutation):
    letter = graphene.Field(MailboxLetterType, description="来信。")

    class Arguments:
        input = WriterInput(required=True)

    class Meta:
        description = "写信人评价答复（1–5分），来信随之办结。"
        permissions = SIGNED_IN
        error_codes = ("INVALID_CLAIM_CODE", "LETTER_CLOSED", "INVALID")

    @classmethod
    def perform(cls, info, input):
        return cls(letter=actions.rate(_writers_letter(info.context.user, input), int(input.get("satisfaction") or 0)), errors=[])


class Mutation(graphene.ObjectType):
    submit_mailbox_letter = SubmitMailboxLetter.Field()
    reply_to_mailbox_letter = ReplyToMailboxLetter.Field()
    follow_up_mailbox_letter = FollowUpMailboxLetter.Field()
    rate_mailbox_letter = RateMailboxLetter.Field()
