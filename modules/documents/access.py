"""Who may see and act on documents, fetched and checked in one call (Zulip's access_* style).

Readers of a 发文: its drafter, the people on its approval (核稿、会签、签发), the people of this
tenant it was sent to, and `documents.manage`. Readers of a 收文: `documents.register` (the
office), everyone who took or waits on a step, and the people it was circulated to. A document
someone may not read answers exactly like a missing one (NOT_FOUND)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jianlian.access.checks import has_perm
from jianlian.core.errors import NotFoundError
from modules.documents.models import Incoming, Outgoing

DRAFT, REGISTER, MANAGE = "documents.draft", "documents.register", "documents.manage"


def tenant_node():
    from jianlian.access.helpers import require_tenant

    return require_tenant().org_unit


def may(user, code: str) -> bool:
    return has_perm(user, code, tenant_node())


def visible_outgoing(user):
    if may(user, MANAGE):
        return Outgoing.objects.all()
    return Outgoing.objects.filter(Q(drafter_id=user.pk) | Q(participant_ids__contains=[user.pk]))


def visible_incoming(user):
    if may(user, REGISTER) or may(user, MANAGE):
        return Incoming.objects.all()
    return Incoming.objects.filter(participant_ids__contains=[user.pk])


def access_outgoing(user, pk: int, *, for_update: bool = False) -> Outgoing:
    qs = visible_outgoing(user).select_related("series")
    doc = (qs.select_for_update(of=("self",)) if for_update else qs).filter(pk=pk).first()
    if doc is None:
        raise NotFoundError(_("公文不存在或您无权查看。"), field="id")
    return doc


def access_incoming(user, pk: int, *, for_update: bool = False) -> Incoming:
    qs = visible_incoming(user)
    doc = (qs.select_for_update() if for_update else qs).filter(pk=pk).first()
    if doc is None:
        raise NotFoundError(_("公文不存在或您无权查看。"), field="id")
    return doc
