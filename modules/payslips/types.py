"""GraphQL types of payslips. A `Payslip` node never carries amounts: the items come only from
the `openPayslip` mutation, with a fresh password grant. Its person (once published) and the
payroll office see the node; to everyone else `node(id)` is null."""

from __future__ import annotations

import graphene

from jianlian.api.types import ModelType
from modules.payslips import access
from modules.payslips.models import Batch, BatchStatus, Payslip, SlipStatus

BatchStatusEnum = graphene.Enum.from_enum(BatchStatus, name="PayslipBatchStatus", description="批次状态。")
SlipStatusEnum = graphene.Enum.from_enum(SlipStatus, name="PayslipStatus", description="工资条状态。")


def _in_tenant() -> bool:
    from tenants.context import current_tenant

    return current_tenant() is not None


class PayslipLineType(graphene.ObjectType):
    """One pay item and its amount (as written in the workbook)."""

    item = graphene.String(required=True, description="项目。")
    amount = graphene.String(required=True, description="金额（空表示未填）。")


class PayslipType(ModelType):
    """One person's payslip of a month (without amounts; see openPayslip)."""

    status = SlipStatusEnum(required=True, description="状态。")
    month = graphene.String(required=True, description="月份。")
    title = graphene.String(required=True, description="批次标题。")
    is_mine = graphene.Boolean(required=True, description="是我的工资条。")

    class Meta:
        model = Payslip
        name = "Payslip"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "staff_no", "name", "read_at", "confirmed_at", "question", "reply")

    @classmethod
    def access_node(cls, info, viewer, pk):
        if not _in_tenant():
            return None
        slip = Payslip.objects.select_related("batch").filter(pk=pk).first()
        return slip if slip is not None and access.may_see(viewer, slip) else None

    @staticmethod
    def resolve_month(slip, info):
        return slip.batch.month

    @staticmethod
    def resolve_title(slip, info):
        return slip.batch.title

    @staticmethod
    def resolve_is_mine(slip, info):
        return slip.user_id == info.context.user.pk


class PayslipBatchType(ModelType):
    """One month's import (the payroll office only)."""

    status = BatchStatusEnum(required=True, description="状态。")
    headers = graphene.List(graphene.NonNull(graphene.String), required=True, description="工资项目。")
    counts = graphene.Field(lambda: PayslipCountsType, required=True, description="各状态人数。")
    payslips = graphene.List(graphene.NonNull(PayslipType), required=True, status=SlipStatusEnum(description="只看该状态。"),
                             description="本批次的工资条（不含金额）。")

    class Meta:
        model = Batch
        name = "PayslipBatch"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "month", "title", "created_at", "published_at", "withdrawn_at", "withdraw_reason", "version")

    @classmethod
    def access_node(cls, info, viewer, pk):
        if not _in_tenant() or not access.is_office(viewer):
            return None
        return Batch.objects.filter(pk=pk).first()

    @staticmethod
    def resolve_counts(batch, info):
        from django.db.models import Count

        by = dict(batch.payslips.values_list("status").annotate(n=Count("pk")))
        return PayslipCountsType(total=sum(by.values()), **{s.value: by.get(s.value, 0) for s in SlipStatus})

    @staticmethod
    def resolve_payslips(batch, info, status=None):
        qs = batch.payslips.select_related("batch").order_by("staff_no")
        return qs.filter(status=status) if status else qs


class PayslipCountsType(graphene.ObjectType):
    """How many payslips of a batch are in each state."""

    total = graphene.Int(required=True, description="总数。")
    unread = graphene.Int(required=True, description="未查看。")
    read = graphene.Int(required=True, description="已查看未确认。")
    confirmed = graphene.Int(required=True, description="已确认。")
    questioned = graphene.Int(required=True, description="有疑问。")


class PayslipMappingType(graphene.ObjectType):
    """The tenant's saved column mapping of the payroll workbook."""

    staff_no_header = graphene.String(required=True, description="工号列的表头。")
    name_header = graphene.String(required=True, description="姓名列的表头。")
    item_headers = graphene.List(graphene.NonNull(graphene.String), required=True,
                                 description="工资项目列的表头（为空表示其余各列都是工资项目）。")
