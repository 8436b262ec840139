"""GraphQL for outpatient schedules: the week's sessions (members of the tenant), whether I may
schedule; creating sessions, 停诊/替诊 requests (the session's doctor or a scheduler), pulling from
the HIS. Gated by the marketplace. The public lobby screen and feed are plain views (views.py)."""

from __future__ import annotations

import graphene
from django.utils.translation import gettext as _
from graphql_relay import to_global_id

from jianlian.api.base import BaseMutation, GlobalID, PermissionField, decode_id, require_user
from jianlian.api.permissions import CURRENT_TENANT, SIGNED_IN, Perm
from modules.clinics import changes, his, services
from modules.clinics.models import ChangeKind, Half, SessionStatus

SCHEDULE = Perm("clinics.manage", at=CURRENT_TENANT)
HalfEnum = graphene.Enum.from_enum(Half, name="ClinicHalf", description="上午或下午。")
StatusEnum = graphene.Enum.from_enum(SessionStatus, name="ClinicSessionStatus", description="出诊或停诊。")
KindEnum = graphene.Enum.from_enum(ChangeKind, name="ClinicChangeKind", description="停诊或替诊。")


class ClinicSessionType(graphene.ObjectType):
    """One doctor's clinic half-day (posted for everyone, like the lobby screen)."""

    class Meta:
        name = "ClinicSession"

    id = graphene.ID(required=True, description="出诊（ClinicSession 的 Relay ID）。")
    department = graphene.ID(required=True, description="科室（Department 的 Relay ID）。")
    department_name = graphene.String(required=True, description="科室。")
    day = graphene.Date(required=True, description="日期。")
    half = HalfEnum(required=True, description="时段。")
    doctor = graphene.ID(description="医生（User 的 Relay ID；HIS 中未对应到人员时为空）。")
    doctor_name = graphene.String(required=True, description="医生。")
    doctor_title = graphene.String(required=True, description="职称。")
    room = graphene.String(required=True, description="诊室。")
    quota = graphene.Int(required=True, description="号源。")
    status = StatusEnum(required=True, description="状态。")
    substitute_for = graphene.String(required=True, description="替诊时原医生姓名，否则为空。")
    pending_change = KindEnum(description="审批中的停诊/替诊申请，无则为空。")

    @staticmethod
    def of(s, pending=None):
        return ClinicSessionType(
            id=to_global_id("ClinicSession", s.pk), department=to_global_id("Department", s.department_id),
            department_name=s.department_name, day=s.day, half=s.half,
            doctor=to_global_id("User", s.doctor_id) if s.doctor_id else None, doctor_name=s.doctor_name,
            doctor_title=s.doctor_title, room=s.room, quota=s.quota, status=s.status, substitute_for=s.substitute_for,
            pending_change=(pending or {}).get(s.pk))


class Query(graphene.ObjectType):
    clinic_sessions = PermissionField(graphene.List(graphene.NonNull(ClinicSessionType)), required=True, permissions=SIGNED_IN,
                                      start=graphene.Date(required=True, description="起始日（共7天）。"),
                                      department=graphene.ID(description="科室；为空表示全部。"),
                                      description="一周的门诊出诊（本单位成员可见）。")
    clinic_can_schedule = PermissionField(graphene.Boolean, required=True, permissions=SIGNED_IN,
                                          description="我可否编排本单位的门诊出诊（clinics.manage）。")

    @staticmethod
    def resolve_clinic_sessions(root, info, start, department=None):
        from modules.clinics.models import Change, ChangeStatus

        if not services.is_member(require_user(info)):
            return []
        dept = decode_id(department, "Department", "department") if department else None
        sessions = list(services.week_of(dept, start))
        pending = dict(Change.objects.filter(session__in=sessions, status=ChangeStatus.PENDING).values_list("session_id", "kind"))
        return [ClinicSessionType.of(s, pending) for s in sessions]

    @staticmethod
    def resolve_clinic_can_schedule(root, info):
        return services.is_scheduler(require_user(info))


class CreateClinicSessionInput(graphene.InputObjectType):
    """A doctor's clinic half-day."""

    department = GlobalID("Department", required=True, description="科室。")
    day = graphene.Date(required=True, description="日期。")
    half = HalfEnum(required=True, description="时段。")
    doctor = GlobalID("User", required=True, description="医生。")
    doctor_title = graphene.String(description="职称。")
    room = graphene.String(description="诊室。")
    quota = graphene.Int(description="号源（0–500）。")


class CreateClinicSession(BaseMutation):
    session = graphene.Field(ClinicSessionType, description="新出诊。")

    class Arguments:
        input = CreateClinicSessionInput(required=True)

    class Meta:
        description = "新增一个门诊出诊。"
        permissions = SCHEDULE
        error_codes = ("NOT_FOUND", "CLINICS_BAD_SESSION", "CLINICS_DUPLICATE")

    @classmethod
    def perform(cls, info, input):
        s = services.create_session(info.context.user, department_id=input["department"], day=input["day"],
                                    half=input["half"], doctor_id=input["doctor"], room=input.get("room") or "",
                                    quota=input.get("quota") or 0, doctor_title=input.get("doctor_title") or "")
        return cls(session=ClinicSessionType.of(s), errors=[])


class RequestClinicChangeInput(graphene.InputObjectType):
    """停诊 or 替诊 of a session, for approval by the department head then the outpatient office."""

    session = GlobalID("ClinicSession", required=True, description="出诊。")
    kind = KindEnum(required=True, description="停诊或替诊。")
    reason = graphene.String(required=True, description="原因。")
    substitute = GlobalID("User", description="替诊医生（替诊时必填）。")
    heads = GlobalID("User", many=True, required=True, description="科室主任（审批人）。")
    offices = GlobalID("User", many=True, required=True, description="门诊部（审批人）。")


class RequestClinicChange(BaseMutation):
    status = graphene.String(description="申请状态：pending。")
    approval = graphene.ID(description="审批（ApprovalInstance 的 Relay ID）。")

    class Arguments:
        input = RequestClinicChangeInput(required=True)

    class Meta:
        description = "申请停诊或替诊（出诊医生本人或排班员）；审批通过后出诊才改变，并推送到 HIS。"
        permissions = SIGNED_IN
        error_codes = ("NOT_FOUND", "INVALID", "REQUIRED", "TOO_LONG", "CLINICS_NOT_CHANGEABLE",
                       "CLINICS_SUBSTITUTE_REQUIRED", "APPROVER_REQUIRED", "INVALID_APPROVER")

    @classmethod
    def perform(cls, info, input):
        c = changes.request(info.context.user, session_id=input["session"], kind=input["kind"], reason=input["reason"],
                            substitute_id=input.get("substitute"), head_ids=input["heads"], office_ids=input["offices"])
        return cls(status=c.status, approval=to_global_id("ApprovalInstance", c.approval_id), errors=[])


class PullClinicSessionsInput(graphene.InputObjectType):
    """The period to bring in from the HIS."""

    start = graphene.Date(required=True, description="起（含）。")
    end = graphene.Date(required=True, description="止（不含，最多62天）。")


class PullClinicSessions(BaseMutation):
    created = graphene.Int(description="新增的出诊数。")
    updated = graphene.Int(description="更新的出诊数。")
    skipped = graphene.Int(description="科室无法对应而跳过的行数。")

    class Arguments:
        input = PullClinicSessionsInput(required=True)

    class Meta:
        description = "从 HIS 拉取一段时间的门诊出诊。"
        permissions = SCHEDULE
        error_codes = ("INVALID", "CLINICS_HIS_UNAVAILABLE")

    @classmethod
    def perform(cls, info, input):
        import datetime as dt

        from jianlian.core.errors import DomainError

        start, end = input["start"], input["end"]
        if not start < end <= start + dt.timedelta(days=62):
            raise DomainError("INVALID", _("起止日期有误（最多62天）。"), "end")
        return cls(errors=[], **his.pull(info.context.user, start, end))


class Mutation(graphene.ObjectType):
    create_clinic_session = CreateClinicSession.Field()
    request_clinic_change = RequestClinicChange.Field()
    pull_clinic_sessions = PullClinicSessions.Field()
