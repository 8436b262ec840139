"""One mutation per step of a referral, each with only the fields it needs (replacing the generic
`referralTransition(action)`, deprecated). The steps and who may take them are the state machine
in `workflow.py`; `Referral.availableActions` tells a client which of these a viewer may call."""

from __future__ import annotations

import graphene
from graphene.utils.str_converters import to_snake_case

from jianlian.api.base import BaseMutation, GlobalID
from jianlian.api.permissions import Checked, Perm
from jianlian.core.errors import DomainError
from modules.referrals import services
from modules.referrals.workflow import MOVES

SENDER = "转出单位（草稿与审核在本单位）"
RECEIVER = "接收单位"


def _reason(required: bool):
    return graphene.String(required=required, description="原因（对方可见）。" if required else "原因（可不填）。")


def _date(required: bool):
    return graphene.Date(required=required, description="预约就诊日期。")


DESK = graphene.Int(description="预约的科室编号；默认转诊单上的科室。")
RETURN_FORM = {  # 回转单
    "result_diagnosis": graphene.String(required=True, description="回转单：诊断结果。"),
    "inpatient_no": graphene.String(description="回转单：住院病案号。"),
    "main_findings": graphene.String(description="回转单：主要检查结果。"),
    "treatment_summary": graphene.String(description="回转单：治疗经过。"),
    "next_plan": graphene.String(required=True, description="回转单：下一步治疗方案及康复建议。"),
}

# (mutation, action, description, the fields it takes besides the referral's id, error codes)
STEPS = [
    ("SubmitReferral", "submit", "提交草稿：需要本单位审核的进入待审核，否则发给接收机构。", {}, ("CONSENT_REQUIRED",)),
    ("ApproveReferralReview", "approve", "本单位审核通过（待审核 → 待接收），发给接收机构。", {}, ()),
    ("ReturnReferralReview", "return_to_draft", "本单位审核退回（待审核 → 草稿），须说明原因。",
     {"reason": _reason(True)}, ("REASON_REQUIRED",)),
    ("WithdrawReferral", "withdraw", "转出方撤回（接收之前）。", {"reason": _reason(False)}, ()),
    ("ResubmitReferral", "resubmit", "补充资料后重新提交（已退回补充资料 → 待接收）。", {}, ()),
    ("CancelReferral", "cancel", "转出方取消已接收或已预约的转诊，须说明原因。", {"reason": _reason(True)}, ("REASON_REQUIRED",)),
    ("MarkReferralReceived", "receive", "接收方已查看（待接收 → 已查看）。", {}, ()),
    ("AcceptReferral", "accept", "接收转诊；给出预约日期时同时预约号源（→ 已预约）。",
     {"appointment_date": _date(False), "desk": DESK}, ("SLOT_FULL", "NO_SLOTS", "INVALID_TARGET", "INVALID_DATE")),
    ("RejectReferral", "reject", "接收方拒绝，须说明原因。", {"reason": _reason(True)}, ("REASON_REQUIRED",)),
    ("ReturnReferralForInfo", "hold", "接收方退回补充资料，须说明需要补充什么。", {"reason": _reason(True)},
     ("REASON_REQUIRED",)),
    ("BookReferral", "book", "为已接收的转诊预约号源（→ 已预约）。", {"appointment_date": _date(True), "desk": DESK},
     ("SLOT_FULL", "NO_SLOTS", "INVALID_TARGET", "INVALID_DATE")),
    ("MarkReferralArrived", "arrive", "患者已到诊。", {}, ()),
    ("CompleteReferral", "complete", "完成转诊并填写回转单。", RETURN_FORM, ("REQUIRED", "TOO_LONG")),
    ("CloseReferral", "close", "接收方关闭转诊（如患者未到诊），须说明原因。", {"reason": _reason(True)}, ("REASON_REQUIRED",)),
]


class ReferralStep(BaseMutation):
    """Runs one step through `services.transition`; a problem with the referral itself rather
    than with this input (its consent, its form) is reported without a field."""

    class Meta:
        abstract = True

    referral = graphene.Field("modules.referrals.schema.ReferralType", description="转诊单。")
    action = None

    @classmethod
    def perform(cls, info, input):
        data = dict(input)
        referral_id = data.pop("id")
        reason, appointment_date = data.pop("reason", "") or "", data.pop("appointment_date", None)
        if data.get("desk") is not None:
            data["desk_id"] = data.pop("desk")
        try:
            referral = services.transition(info.context.user, referral_id, cls.action, reason=reason,
                                           appointment_date=appointment_date, **data)
        except DomainError as e:
            fields = set(cls.input_type()._meta.fields)
            raise DomainError.many([DomainError(p.code, p.message, p.field if p.field in fields else None)
                                    for p in e.problems]) from None
        return cls(referral=referral, errors=[])


def _step(name: str, action: str, description: str, fields: dict, error_codes: tuple) -> type:
    move = MOVES[action]
    input_type = type(f"{name}Input", (graphene.InputObjectType,), {
        "__doc__": f"What {name} needs: the referral" + (" and " + ", ".join(fields) if fields else "") + ".",
        "id": GlobalID("Referral", required=True, description="转诊单。"),
        **fields,
    })
    codes = ("ILLEGAL_TRANSITION", *error_codes, *(("REASON_REQUIRED", "TOO_LONG") if move.reason else ()))
    meta = type("Meta", (), {
        "description": description,
        "permissions": Perm(move.perm, at=Checked(SENDER if move.side == "sender" else RECEIVER)),
        "error_codes": tuple(dict.fromkeys(codes)),
    })
    return type(name, (ReferralStep,), {"Meta": meta, "action": action,
                                        "Arguments": type("Arguments", (), {"input": input_type(required=True)})})


STEP_MUTATIONS = {name: _step(name, action, description, fields, codes) for name, action, description, fields, codes in STEPS}
ACTION_MUTATION = {action: name for name, action, *_rest in STEPS}


StepMutations = type("ReferralStepMutations", (graphene.ObjectType,), {
    "__doc__": "submitReferral, acceptReferral … (the module's Mutation root inherits them).",
    **{to_snake_case(name): cls.Field() for name, cls in STEP_MUTATIONS.items()},
})
