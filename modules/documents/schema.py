"""GraphQL for official documents: series, 发文 and 收文 lists and one of each; every action is in
mutations.py. Gated by the marketplace (APP_NOT_INSTALLED where the app is not installed)."""

from __future__ import annotations

import graphene
from django.db.models import Q

from jianlian.api.base import PermissionField, decode_id, require_user
from jianlian.api.connection import connection_args, paginate
from jianlian.api.permissions import CURRENT_TENANT, SIGNED_IN, Perm
from jianlian.core.errors import DomainError
from modules.documents import access
from modules.documents.models import Series
from modules.documents.series import DocumentRecipientUnit, recipient_units
from modules.documents.mutations import Mutation  # noqa: F401 — the module's root Mutation
from modules.documents.types import (
    DocumentSeriesType, IncomingDocumentConnection, IncomingDocumentType, OutgoingDocumentConnection, OutgoingDocumentType,
)

InView = graphene.Enum("IncomingDocumentView", [("ALL", "all"), ("WAITING", "waiting")],
                       description="ALL 我可见的全部（默认）、WAITING 等我办理或阅读的。")


def _search(qs, search):
    if search and search.strip():
        s = search.strip()[:50]
        qs = qs.filter(Q(title__icontains=s) | Q(number__icontains=s))
    return qs


class Query(graphene.ObjectType):
    document_series = PermissionField(graphene.List(graphene.NonNull(DocumentSeriesType)), required=True,
                                      permissions=SIGNED_IN,
                                      include_inactive=graphene.Boolean(description="也列出停用的（仅公文管理员）。"),
                                      description="启用的发文字号（机关代字）。")
    document_recipient_units = PermissionField(
        graphene.List(graphene.NonNull(DocumentRecipientUnit)), required=True, permissions=Perm("documents.draft", at=CURRENT_TENANT),
        search=graphene.String(description="按单位名称或代码查找。"),
        description="可作为主送、抄送的其他单位（正常运行的租户），最多20个。")
    outgoing_documents = PermissionField(
        OutgoingDocumentConnection, required=True, permissions=SIGNED_IN,
        args=connection_args(search=graphene.String(description="按标题和文号搜索。")),
        description="我可见的发文（拟稿的、参与审核的、发给我的；公文管理员为全部），新的在前。")
    outgoing_document = PermissionField(OutgoingDocumentType, permissions=SIGNED_IN,
                                        id=graphene.ID(required=True, description="发文。"),
                                        description="一份发文；无权查看时为 null。")
    incoming_documents = PermissionField(
        IncomingDocumentConnection, required=True, permissions=SIGNED_IN,
        args=connection_args(view=InView(description="视图，默认 ALL。"), search=graphene.String(description="按标题和文号搜索。")),
        description="我可见的收文（办公室为全部），新的在前。")
    incoming_document = PermissionField(IncomingDocumentType, permissions=SIGNED_IN,
                                        id=graphene.ID(required=True, description="收文。"),
                                        description="一份收文；无权查看时为 null。")

    @staticmethod
    def resolve_document_series(root, info, include_inactive=False):
        user = require_user(info)
        if include_inactive and access.may(user, access.MANAGE):
            return Series.objects.all()
        return Series.objects.filter(is_active=True)

    @staticmethod
    def resolve_document_recipient_units(root, info, search=None):
        return recipient_units(search)

    @staticmethod
    def resolve_outgoing_documents(root, info, first=None, after=None, search=None):
        user = require_user(info)
        qs = _search(access.visible_outgoing(user).select_related("series"), search)
        return paginate(qs, OutgoingDocumentConnection, first=first, after=after, order=("-id",))

    @staticmethod
    def resolve_outgoing_document(root, info, id):
        user = require_user(info)
        try:
            return access.access_outgoing(user, decode_id(id, "OutgoingDocument"))
        except DomainError:
            return None

    @staticmethod
    def resolve_incoming_documents(root, info, first=None, after=None, view=None, search=None):
        from jianlian.notifications.models import Delivery

        user = require_user(info)
        qs = _search(access.visible_incoming(user), search)
        if (getattr(view, "value", view) or "all") == "waiting":
            unread = Delivery.objects.filter(user_id=user.pk, read_at__isnull=True).values("notification_id")
            qs = qs.filter(Q(waiting_ids__contains=[user.pk]) | Q(notification_id__in=unread))
        return paginate(qs, IncomingDocumentConnection, first=first, after=after, order=("-id",))

    @staticmethod
    def resolve_incoming_document(root, info, id):
        user = require_user(info)
        try:
            return access.access_incoming(user, decode_id(id, "IncomingDocument"))
        except DomainError:
            return None
