"""GraphQL for referrals: the boards, one referral with its timeline, the form, every transition,
desks and slots, and live changes. Gated by the marketplace: APP_NOT_INSTALLED where the app is
not installed."""

from __future__ import annotations

import datetime as dt

import graphene
from django.utils.translation import gettext as _

from jianlian.api.base import BaseMutation, GlobalID, PermissionField, decode_id, require_user
from jianlian.api.permissions import SIGNED_IN, Checked, Perm, unit_in
from jianlian.api.connection import CountableConnection, connection_args, paginate
from jianlian.api.types import ModelType
from jianlian.core.errors import DomainError
from jianlian.core.validators import mask_id_number
from modules.referrals import services
from modules.referrals.mutations import StepMutations
from modules.referrals.models import (
    FHIR_TASK_STATUS, Attachment, Desk, Direction, Event, Kind, Referral, Sex, Side, Status, Urgency,
)

StatusEnum = graphene.Enum.from_enum(Status, name="ReferralStatus", description="转诊状态（业务状态）。")
SideEnum = graphene.Enum.from_enum(Side, name="ReferralSide", description="本方在转诊中的位置。")
DirectionEnum = graphene.Enum.from_enum(Direction, name="ReferralDirection", description="转诊方向。")
KindEnum = graphene.Enum.from_enum(Kind, name="ReferralKind", description="转诊类型。")
UrgencyEnum = graphene.Enum.from_enum(Urgency, name="ReferralUrgency", description="紧急程度。")
SexEnum = graphene.Enum.from_enum(Sex, name="PatientSex", description="性别（GB/T 2261.1）。")
ActionEnum = graphene.Enum("ReferralAction", [(a.upper(), a) for a in services.MOVES],
                           description="转诊的一步，及执行它的 mutation：SUBMIT 提交（submitReferral）、APPROVE 审核通过"
                                       "（approveReferralReview）、RETURN_TO_DRAFT 审核退回（returnReferralReview）、WITHDRAW 撤回"
                                       "（withdrawReferral）、RESUBMIT 重新提交（resubmitReferral）、CANCEL 取消（cancelReferral）、"
                                       "RECEIVE 已查看（markReferralReceived）、ACCEPT 接收（acceptReferral）、REJECT 拒绝"
                                       "（rejectReferral）、HOLD 退回补充资料（returnReferralForInfo）、BOOK 预约（bookReferral）、"
                                       "ARRIVE 到诊（markReferralArrived）、COMPLETE 完成（completeReferral）、CLOSE 关闭（closeReferral）。")
BoxEnum = graphene.Enum("ReferralBox", [("ALL", "all"), ("INCOMING", "incoming"), ("OUTGOING", "outgoing")],
                        description="转入、转出或全部。")


class ReferralEventType(ModelType):
    """One step of a referral's timeline."""

    class Meta:
        model = Event
        name = "ReferralEvent"
        fields = ("seq", "action", "from_status", "to_status", "actor_name", "actor_unit", "note", "at")


class ReferralAttachmentType(ModelType):
    """A file sent with a referral (its bytes are downloaded separately)."""

    class Meta:
        model = Attachment
        name = "ReferralAttachment"
        fields = ("id", "filename", "content_type", "size", "sha256", "uploaded_at")


def _deliveries(context):
    """One bus query per request for the delivery of every outgoing referral a list shows."""
    loader = getattr(context, "_referral_deliveries", None)
    if loader is None:
        from graphql_sync_dataloaders import SyncDataLoader

        from jianlian import bus

        def batch(conversations):
            found = bus.acknowledged(conversations)
            return [{"at": found[c]} if c in found else None for c in conversations]

        loader = context._referral_deliveries = SyncDataLoader(batch)
    return loader


class ReferralType(ModelType):
    """A referral (转诊单) as this tenant's side sees it."""

    status = StatusEnum(required=True, description="业务状态。")
    fhir_status = graphene.String(required=True, description="对应的 FHIR Task.status。")
    side = SideEnum(required=True, description="本方位置。")
    direction = DirectionEnum(required=True, description="方向。")
    kind = KindEnum(required=True, description="类型。")
    urgency = UrgencyEnum(required=True, description="紧急程度。")
    patient_sex = SexEnum(required=True, description="性别。")
    patient_id_number = graphene.String(description="身份证号（脱敏显示）。")
    events = graphene.List(graphene.NonNull(ReferralEventType), required=True, description="时间线。")
    attachments = graphene.List(graphene.NonNull(ReferralAttachmentType), required=True, description="附件。")
    available_actions = graphene.List(
        graphene.NonNull(ActionEnum), required=True,
        description="本人现在可以执行的操作（由服务端按状态、本人所在一方与权限计算；界面只显示这些按钮）。",
    )
    delivered_at = graphene.DateTime(
        description="已送达：对方系统登记这张转诊单的时间（总线确认），区别于对方已查看、已接收。仅跨租户的转出单有值；"
                    "尚未送达时为空。")
    fhir_bundle = graphene.JSONString(required=True, description="导出为 FHIR R4B 资源（Bundle：Patient、ServiceRequest、Task、Appointment、DocumentReference）。")

    class Meta:
        model = Referral
        name = "Referral"
        interfaces = (graphene.relay.Node,)
        fields = (
            "id", "uid", "number", "from_tenant", "from_unit_id", "from_unit_name", "from_doctor_name", "to_tenant",
            "to_unit_id", "to_unit_name", "to_desk_id", "to_desk_name", "to_doctor_id", "to_doctor_name", "patient_name",
            "patient_birth_date", "patient_mpi_id", "reason", "diagnosis_code", "diagnosis_text", "chief_complaint",
            "present_history", "past_history", "exam_findings", "lab_results", "imaging_results", "medications",
            "allergies", "treatment", "wished_date", "consent", "needs_review", "paperwork_pending", "appointment_date",
            "status_reason", "result_diagnosis", "inpatient_no", "main_findings", "treatment_summary", "next_plan",
            "created_at", "submitted_at", "accepted_at", "arrived_at", "completed_at", "overdue",
        )

    @staticmethod
    def resolve_available_actions(r, info):
        from modules.referrals.workflow import available_actions

        return available_actions(info.context.user, r)

    @staticmethod
    def resolve_delivered_at(r, info):
        if r.side != Side.OUTGOING or r.submitted_at is None:
            return None
        conversation = f"referral:{r.uid}"
        from jianlian.api.execution import then

        return then(_deliveries(info.context).load(conversation), lambda found: found["at"] if found else r.submitted_at)

    @staticmethod
    def resolve_fhir_status(r, info):
        return FHIR_TASK_STATUS[Status(r.status)]

    @staticmethod
    def resolve_patient_id_number(r, info):
        return mask_id_number(r.patient_id_number) if r.patient_id_number else None

    @staticmethod
    def resolve_events(r, info):
        return r.events.all()

    @staticmethod
    def resolve_fhir_bundle(r, info):
        from modules.referrals.fhir import bundle

        return bundle(r)

    @staticmethod
    def resolve_attachments(r, info):
        return r.attachments.defer("data").all()

    @classmethod
    def access_node(cls, info, viewer, pk):
        return services.access_referral(viewer, pk)


class ReferralConnection(CountableConnection):
    """A page of referrals."""

    class Meta:
        node = ReferralType


class DeskType(graphene.ObjectType):
    """A department of a receiving unit that takes referrals."""

    id = graphene.Int(required=True, description="科室编号（在接收机构内）。")
    unit_id = graphene.Int(required=True, description="所属单位编号。")
    name = graphene.String(required=True, description="科室名称。")
    code = graphene.String(required=True, description="科室代码。")
    kinds = graphene.List(graphene.NonNull(graphene.String), required=True, description="接收的转诊类型。")
    daily_slots = graphene.Int(required=True, description="每日号源。")


class SlotDayType(graphene.ObjectType):
    """Free slots of a desk on one day."""

    date = graphene.Date(required=True, description="日期。")
    capacity = graphene.Int(required=True, description="号源数。")
    free = graphene.Int(required=True, description="剩余号源。")


def _target_tenant(unit_id: int):
    unit = services._unit(unit_id)
    tenant = services.tenant_of_unit(unit) if unit else None
    if tenant is None:
        raise DomainError("INVALID_TARGET", _("请选择接收转诊的医疗机构。"), "unit")
    return tenant


class Query(graphene.ObjectType):
    referrals = PermissionField(
        ReferralConnection, required=True,
        args=connection_args(box=BoxEnum(description="转入、转出或全部（默认）。"),
                             status=StatusEnum(description="只看该状态。")),
        permissions=Perm("referrals.view", at=Checked("转出或接收单位；只列出本人有权查看的转诊单")),
        description="本人有权查看的转诊单，新的在前。",
    )
    referral_desks = PermissionField(
        graphene.List(graphene.NonNull(DeskType)), required=True, unit=graphene.ID(required=True, description="接收机构。"),
        permissions=SIGNED_IN, description="某机构接收转诊的科室（跨医共体可查；只含科室与号源，不含患者信息）。",
    )
    referral_targets = PermissionField(
        "jianlian.hierarchy.schema.OrgUnitConnection", required=True,
        args=connection_args(search=graphene.String(required=True, description="按名称或简称查找。")),
        permissions=SIGNED_IN,
        description="可接收转诊的机构：运行双向转诊应用、且有人持有接收转诊权限的医疗机构（不含卫生健康行政部门）。",
    )
    referral_slots = PermissionField(
        graphene.List(graphene.NonNull(SlotDayType)), required=True, unit=graphene.ID(required=True, description="接收机构。"),
        desk=graphene.Int(required=True, description="科室编号。"),
        start=graphene.Date(description="起始日期，默认今天。"), days=graphene.Int(description="天数（1–31），默认14。"),
        permissions=SIGNED_IN, description="某科室每天的剩余号源。",
    )

    @staticmethod
    def resolve_referrals(root, info, first=None, after=None, box=None, status=None):
        qs = services.visible_referrals(info.context.user, box=getattr(box, "value", box) or "all")
        if status:
            qs = qs.filter(status=getattr(status, "value", status))
        return paginate(qs, ReferralConnection, first=first, after=after, order=("-id",))

    @staticmethod
    def resolve_referral_targets(root, info, search, first=None, after=None):
        from jianlian.hierarchy.schema import OrgUnitConnection

        return paginate(services.receiving_units(search), OrgUnitConnection, first=first, after=after,
                        order=("tree_id", "lft"))

    @staticmethod
    def resolve_referral_desks(root, info, unit):
        unit_id = decode_id(unit, "OrgUnit", "unit")
        return [DeskType(**d) for d in services.desks_of(_target_tenant(unit_id), unit_id)]

    @staticmethod
    def resolve_referral_slots(root, info, unit, desk, start=None, days=None):
        from tenants.context import tenant_context

        days = days or 14
        if not 1 <= days <= 31:
            raise DomainError("INVALID", _("天数须在1到31之间。"), "days")
        tenant = _target_tenant(decode_id(unit, "OrgUnit", "unit"))
        with tenant_context(tenant):
            return [SlotDayType(**s) for s in services.slots(desk, start or dt.date.today(), days)]


class ReferralFormInput(graphene.InputObjectType):
    """The referral form (转出单): patient, reason, diagnosis and the EMR summary."""

    patient_name = graphene.String(description="患者姓名。")
    patient_sex = SexEnum(description="性别。")
    patient_birth_date = graphene.Date(description="出生日期。")
    patient_id_number = graphene.String(description="身份证号（加密保存）。")
    patient_phone = graphene.String(description="联系电话。")
    patient_mpi_id = graphene.String(description="主索引号（如已知）。")
    kind = KindEnum(description="门诊、住院或急诊。")
    urgency = UrgencyEnum(description="紧急程度。")
    reason = graphene.String(description="主要现病史/转出原因。")
    diagnosis_code = graphene.String(description="初步诊断 ICD-10 编码。")
    diagnosis_text = graphene.String(description="初步印象。")
    chief_complaint = graphene.String(description="主诉。")
    present_history = graphene.String(description="现病史。")
    past_history = graphene.String(description="主要既往史。")
    exam_findings = graphene.String(description="体格检查。")
    lab_results = graphene.String(description="检验结果。")
    imaging_results = graphene.String(description="影像结果。")
    medications = graphene.String(description="用药情况。")
    allergies = graphene.String(description="过敏史。")
    treatment = graphene.String(description="治疗经过。")
    wished_date = graphene.Date(description="期望就诊日期。")
    consent = graphene.Boolean(description="已取得患者知情同意。")
    needs_review = graphene.Boolean(description="提交前需本单位审核。")


def _form(input) -> dict:
    return {k: v for k, v in input.items() if k in ReferralFormInput._meta.fields and v is not None}


class CreateReferralInput(ReferralFormInput):
    """A new referral (saved as a draft)."""

    from_unit = GlobalID("OrgUnit", required=True, description="转出单位（本单位）。")
    to_unit = GlobalID("OrgUnit", required=True, description="接收机构。")
    to_desk = graphene.Int(description="接收科室编号。")
    to_doctor = GlobalID("User", description="指定接诊医生。")


class CreateReferral(BaseMutation):
    class Meta:
        description = "新建转诊单（草稿）。"
        permissions = Perm("referrals.create", at=unit_in("from_unit"))

    referral = graphene.Field(ReferralType, description="转诊单。")

    class Arguments:
        input = CreateReferralInput(required=True)

    @classmethod
    def perform(cls, info, input):
        referral = services.create_draft(
            info.context.user, from_unit_id=input["from_unit"].pk, to_unit_id=input["to_unit"], desk_id=input.get("to_desk"),
            doctor_id=input.get("to_doctor"), **_form(input))
        return cls(referral=referral, errors=[])


class UpdateReferralInput(ReferralFormInput):
    """Changes to a draft or a returned referral."""

    id = GlobalID("Referral", required=True, description="转诊单。")


class UpdateReferral(BaseMutation):
    class Meta:
        description = "修改草稿或被退回的转诊单。"
        permissions = Perm("referrals.create", at=Checked("转诊单的转出单位"))

    referral = graphene.Field(ReferralType, description="转诊单。")

    class Arguments:
        input = UpdateReferralInput(required=True)

    @classmethod
    def perform(cls, info, input):
        referral = services.update_draft(info.context.user, input["id"], **_form(input))
        return cls(referral=referral, errors=[])


class AddReferralAttachmentInput(graphene.InputObjectType):
    """A PDF, JPEG or PNG for a draft, Base64-encoded (≤ 10 MB)."""

    referral = GlobalID("Referral", required=True, description="转诊单。")
    filename = graphene.String(required=True, description="文件名。")
    content_type = graphene.String(required=True, description="application/pdf、image/jpeg 或 image/png。")
    data = graphene.String(required=True, description="文件内容（Base64）。")


class AddReferralAttachment(BaseMutation):
    class Meta:
        description = "给转诊单添加附件（检查报告、影像等）。"
        permissions = Perm("referrals.create", at=Checked("转诊单的转出单位"))

    attachment = graphene.Field(ReferralAttachmentType, description="附件。")

    class Arguments:
        input = AddReferralAttachmentInput(required=True)

    @classmethod
    def perform(cls, info, input):
        att = services.add_attachment(info.context.user, input["referral"],
                                      filename=input["filename"], content_type=input["content_type"],
                                      data_base64=input["data"])
        return cls(attachment=att, errors=[])


class ReferralTransitionInput(graphene.InputObjectType):
    """One step of a referral: the action and what it needs."""

    id = GlobalID("Referral", required=True, description="转诊单。")
    action = ActionEnum(required=True, description="操作。")
    reason = graphene.String(description="原因（拒绝、退回、取消、关闭时必填）。")
    appointment_date = graphene.Date(description="预约日期（接收或预约时）。")
    desk = graphene.Int(description="预约的科室编号（默认转诊单上的科室）。")
    result_diagnosis = graphene.String(description="回转单：诊断结果。")
    inpatient_no = graphene.String(description="回转单：住院病案号。")
    main_findings = graphene.String(description="回转单：主要检查结果。")
    treatment_summary = graphene.String(description="回转单：治疗经过。")
    next_plan = graphene.String(description="回转单：下一步治疗方案及康复建议。")


class ReferralTransition(BaseMutation):
    class Meta:
        description = "（已弃用，改用每一步自己的 mutation。）推进转诊单状态（提交、接收、拒绝、预约、到诊、完成等）。双方实时可见。"
        permissions = Perm("referrals.create", "referrals.review", "referrals.accept", at=Checked("转出方的操作在转出单位，接收方的操作在接收单位"))

    referral = graphene.Field(ReferralType, description="转诊单。")

    class Arguments:
        input = ReferralTransitionInput(required=True)

    @classmethod
    def perform(cls, info, input):
        extra = {k: input.get(k) for k in services.RETURN_FIELDS if input.get(k) is not None}
        if input.get("desk"):
            extra["desk_id"] = input["desk"]
        referral = services.transition(info.context.user, input["id"], input["action"], reason=input.get("reason") or "",
                                       appointment_date=input.get("appointment_date"), **extra)
        return cls(referral=referral, errors=[])


class SetReferralDeskInput(graphene.InputObjectType):
    """A department that takes referrals, and its daily slots."""

    unit = GlobalID("OrgUnit", required=True, description="本单位。")
    name = graphene.String(required=True, description="科室名称。")
    code = graphene.String(description="科室代码。")
    kinds = graphene.List(graphene.NonNull(KindEnum), description="接收的类型，默认全部。")
    daily_slots = graphene.Int(description="每日号源，默认10。")
    head = GlobalID("User", description="科室负责人（超时升级通知对象）。")
    active = graphene.Boolean(description="是否接收转诊，默认是。")


class SetReferralDesk(BaseMutation):
    class Meta:
        description = "发布或修改接诊科室与号源。"
        permissions = Perm("referrals.manage_desks", at=unit_in("unit"))

    desk = graphene.Field(DeskType, description="科室。")

    class Arguments:
        input = SetReferralDeskInput(required=True)

    @classmethod
    def perform(cls, info, input):
        desk = services.set_desk(
            info.context.user, unit_id=input["unit"].pk, name=input["name"],
            code=input.get("code") or "", kinds=input.get("kinds") or None,
            daily_slots=input.get("daily_slots") if input.get("daily_slots") is not None else 10,
            head_user_id=input.get("head"),
            active=input.get("active") is not False)
        return cls(desk=DeskType(id=desk.pk, unit_id=desk.unit_id, name=desk.name, code=desk.code, kinds=desk.kinds,
                                 daily_slots=desk.daily_slots), errors=[])


class Mutation(StepMutations, graphene.ObjectType):
    """The form, attachments and desks here; one mutation per step from `mutations.StepMutations`."""

    create_referral = CreateReferral.Field()
    update_referral = UpdateReferral.Field()
    add_referral_attachment = AddReferralAttachment.Field()
    referral_transition = ReferralTransition.Field(
        deprecation_reason="改用每一步自己的 mutation（submitReferral、acceptReferral …，见 ReferralAction）；下一版本移除。")
    set_referral_desk = SetReferralDesk.Field()


class Subscription(graphene.ObjectType):
    referral_changed = graphene.Field(ReferralType, required=True, box=BoxEnum(description="转入、转出或全部（默认）。"),
                                      description="本人可见的转诊单有变化时推送（实时看板）。")

    @staticmethod
    async def subscribe_referral_changed(root, info, box=None):
        from jianlian.realtime.subscriptions import require_socket_perm

        user = await require_socket_perm(info, "referrals.view")
        box = getattr(box, "value", box) or "all"
        wanted = {"incoming": {Side.INCOMING, Side.INTERNAL}, "outgoing": {Side.OUTGOING, Side.INTERNAL}}.get(box)
        return _changes(info, user, wanted)


async def _changes(info, user, wanted):
    """The referrals `user` may see, as they change (each event checked against the referral)."""
    from channels.db import database_sync_to_async

    from jianlian.realtime.events import tenant_group
    from jianlian.realtime.subscriptions import listen

    async for payload in listen(info, groups=[tenant_group(info.context.tenant.schema_name)], names={services.CHANGED}):
        if wanted and payload["side"] not in wanted:
            continue
        referral = await database_sync_to_async(_visible)(user, payload["id"])
        if referral is not None:
            yield referral


def _visible(user, referral_id):
    try:
        return services.access_referral(user, referral_id)
    except DomainError:
        return None
