"""Numbering series (机关代字) kept by the office (documents.manage), so a fresh tenant can start
drafting; and the units a 发文 may be addressed to (other tenants, searched by name or code) for
the draft page's picker."""

from __future__ import annotations

import graphene
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from jianlian.api.base import BaseMutation, GlobalID
from jianlian.api.permissions import CURRENT_TENANT, Perm
from jianlian.audit import service as audit
from jianlian.core.errors import DomainError, PermissionDeniedError
from modules.documents import access
from modules.documents.models import Series
from modules.documents.types import DocumentSeriesType


def _text(value, field: str, limit: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError("REQUIRED", _("请填写此项。"), field)
    if len(value) > limit:
        raise DomainError("TOO_LONG", _("内容过长（不超过%(n)s字）。") % {"n": limit}, field)
    return value


def save_series(user, *, series_id=None, code: str, name: str, issuer: str = "", is_active: bool = True) -> Series:
    """A new series (no id) or changes to one; the code must be unused in this tenant."""
    if not access.may(user, access.MANAGE):
        raise PermissionDeniedError()
    code, name = _text(code, "code", 20), _text(name, "name", 60)
    issuer = _text(issuer, "issuer", 60, required=False) or access.tenant_node().name[:60]
    with transaction.atomic():
        series = Series() if not series_id else Series.objects.select_for_update().filter(pk=series_id).first()
        if series is None:
            raise DomainError("NOT_FOUND", _("发文字号不存在。"), "id")
        if Series.objects.filter(code=code).exclude(pk=series.pk).exists():
            raise DomainError("SERIES_CODE_TAKEN", _("机关代字“%(c)s”已被使用。") % {"c": code}, "code")
        series.code, series.name, series.issuer, series.is_active = code, name, issuer, bool(is_active)
        try:
            with transaction.atomic():
                series.save()
        except IntegrityError:  # two offices saving the same code at once
            raise DomainError("SERIES_CODE_TAKEN", _("机关代字“%(c)s”已被使用。") % {"c": code}, "code") from None
        audit.record("documents.save_series", actor=user, target=series, after={"code": code, "active": series.is_active})
    return series


def recipient_units(search: str | None):
    """Active tenants other than this one, by name or code (at most 20)."""
    from tenants.context import current_tenant
    from tenants.models import Tenant, TenantStatus

    qs = Tenant.objects.filter(status=TenantStatus.ACTIVE).exclude(pk=current_tenant().pk)
    s = (search or "").strip()[:50]
    if s:
        qs = qs.filter(Q(name__icontains=s) | Q(slug__icontains=s))
    return list(qs.order_by("slug")[:20])


class DocumentRecipientUnit(graphene.ObjectType):
    """A unit (tenant) a 发文 can be sent to."""

    slug = graphene.String(required=True, description="单位代码（租户 slug），填入主送、抄送的 tenant。")
    name = graphene.String(required=True, description="单位名称。")


class SaveDocumentSeriesInput(graphene.InputObjectType):
    """A new series (no id) or changes to one."""

    id = GlobalID("DocumentSeries", description="要修改的发文字号；新建时不填。")
    code = graphene.String(required=True, description="机关代字，如“桐医发”（不超过20字，本单位唯一）。")
    name = graphene.String(required=True, description="名称（不超过60字）。")
    issuer = graphene.String(description="发文机关；不填用本单位名称。")
    is_active = graphene.Boolean(description="启用，默认是；停用后不能再用它拟稿。")


class SaveDocumentSeries(BaseMutation):
    series = graphene.Field(DocumentSeriesType, description="发文字号。")

    class Arguments:
        input = SaveDocumentSeriesInput(required=True)

    class Meta:
        description = "新建或修改发文字号（机关代字）。公文管理员（documents.manage）。"
        permissions = Perm("documents.manage", at=CURRENT_TENANT)
        error_codes = ("NOT_FOUND", "REQUIRED", "TOO_LONG", "SERIES_CODE_TAKEN")

    @classmethod
    def perform(cls, info, input):
        active = input.get("is_active")
        series = save_series(info.context.user, series_id=input.get("id"), code=input["code"], name=input["name"],
                             issuer=input.get("issuer") or "", is_active=True if active is None else active)
        return cls(series=series, errors=[])
