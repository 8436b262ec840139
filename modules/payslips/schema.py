"""GraphQL for payslips: my payslips (without amounts), the payroll office's batches and the
column mapping; every action a mutation (mutations.py). Gated by the marketplace."""

from __future__ import annotations

import graphene

from jianlian.api.base import PermissionField, require_user
from jianlian.api.permissions import CURRENT_TENANT, SIGNED_IN, Perm
from modules.payslips import importer
from modules.payslips.models import Batch, BatchStatus, Payslip
from modules.payslips.mutations import Mutation  # noqa: F401 — the module's root Mutation
from modules.payslips.types import PayslipBatchType, PayslipMappingType, PayslipType

OFFICE = Perm("payslips.manage", at=CURRENT_TENANT)


class Query(graphene.ObjectType):
    my_payslips = PermissionField(graphene.List(graphene.NonNull(PayslipType)), required=True, permissions=SIGNED_IN,
                                  description="我的工资条（已发布的，新的在前；金额须经 openPayslip 查看）。")
    payslip_batches = PermissionField(graphene.List(graphene.NonNull(PayslipBatchType)), required=True, permissions=OFFICE,
                                      description="工资条批次（薪资办）。")
    payslip_mapping = PermissionField(PayslipMappingType, required=True, permissions=OFFICE,
                                      description="本单位保存的工资表列映射（薪资办）。")

    @staticmethod
    def resolve_my_payslips(root, info):
        user = require_user(info)
        return (Payslip.objects.filter(user_id=user.pk, batch__status=BatchStatus.PUBLISHED)
                .select_related("batch").order_by("-batch__month", "-batch_id")[:120])

    @staticmethod
    def resolve_payslip_batches(root, info):
        return Batch.objects.all()[:120]

    @staticmethod
    def resolve_payslip_mapping(root, info):
        m = importer.mapping()
        return PayslipMappingType(staff_no_header=m.staff_no_header, name_header=m.name_header, item_headers=m.item_headers)
