"""GraphQL for secondment requests: the receiving tenant's managers see and decide them
(jianlian.org.secondments)."""

from __future__ import annotations

import graphene
from graphql_relay import to_global_id

from jianlian.access.models import SecondmentRequest
from jianlian.api import dataloaders
from jianlian.api.base import BaseMutation, GlobalID, PermissionField
from jianlian.api.permissions import CURRENT_TENANT, SIGNED_IN, Perm
from jianlian.org import secondments
from jianlian.org.schema import tenant_viewer

SecondmentStatusEnum = graphene.Enum.from_enum(SecondmentRequest.Status, description="借调申请状态。")


class SecondmentRequestType(graphene.ObjectType):
    """A request from another tenant to second one of its staff to a unit of this tenant."""

    class Meta:
        name = "SecondmentRequest"

    id = graphene.ID(required=True, description="申请ID。")
    staff_name = graphene.String(required=True, description="被借调人员姓名。")
    from_tenant = graphene.Field("tenants.schema.TenantType", required=True, description="派出单位（租户）。")
    unit = graphene.Field("jianlian.hierarchy.schema.OrgUnitType", required=True, description="借调到的本单位。")
    status = SecondmentStatusEnum(required=True, description="状态。")
    requested_at = graphene.DateTime(required=True, description="申请时间。")
    decided_at = graphene.DateTime(description="处理时间。")

    @staticmethod
    def resolve_id(request, info):
        return to_global_id("SecondmentRequest", request.pk)

    @staticmethod
    def resolve_from_tenant(request, info):
        return request.from_tenant

    @staticmethod
    def resolve_unit(request, info):
        from jianlian.hierarchy.models import OrgUnit

        return dataloaders.by_id(info.context, OrgUnit).load(request.unit_id)


class Query(graphene.ObjectType):
    secondment_requests = PermissionField(
        graphene.List(graphene.NonNull(SecondmentRequestType), required=True),
        description="其他单位申请借调人员到本单位的请求（最新的在前，最多100条）。需本租户 org.manage 权限，否则为空。",
        permissions=SIGNED_IN,
    )

    @staticmethod
    def resolve_secondment_requests(root, info):
        viewer = tenant_viewer(info)
        return list(secondments.incoming_requests(viewer, info.context.tenant)[:100])


class DecideSecondmentInput(graphene.InputObjectType):
    """Which request, and the answer."""

    request = GlobalID("SecondmentRequest", required=True, description="借调申请ID。")
    accept = graphene.Boolean(required=True, description="同意为真，拒绝为假。")


class DecideSecondment(BaseMutation):
    class Meta:
        description = "同意或拒绝其他单位借调人员到本单位。同意后到生效时间（已到则立即）增加其在本单位的成员关系；拒绝则撤销该调动。"
        permissions = Perm("org.manage", at=CURRENT_TENANT)
        error_codes = ("NOT_FOUND", "REQUEST_DECIDED")

    request = graphene.Field(SecondmentRequestType, description="处理后的申请。")

    class Arguments:
        input = DecideSecondmentInput(required=True)

    @classmethod
    def perform(cls, info, input):
        request = secondments.decide(tenant_viewer(info), input["request"],
                                     accept=bool(input["accept"]), tenant=info.context.tenant)
        return cls(request=request, errors=[])


class Mutation(graphene.ObjectType):
    decide_secondment = DecideSecondment.Field()
