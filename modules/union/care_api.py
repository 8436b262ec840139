"""GraphQL of surveys, condolence requests, clubs and the staff cinema (issue 19, second part):
types, root fields (mixed into schema.Query) and mutations (mixed into schema.Mutation)."""

from __future__ import annotations

import graphene
from django.db.models import Q
from django.utils import timezone

from jianlian.api.base import GlobalID, PermissionField, decode_id
from jianlian.api.permissions import SIGNED_IN
from modules.union import access, clubs, condolences, surveys
from modules.union.care_models import Club, ClubMember, Screening, TicketEntry
from modules.union.mutations import _simple
from modules.union.types import as_errors, gid


class UnionSurveyType(graphene.ObjectType):
    """A survey the caller may answer or manages."""

    id = graphene.ID(required=True, description="Relay ID（UnionSurvey）。")
    title = graphene.String(required=True, description="标题。")
    node_name = graphene.String(required=True, description="发起组织。")
    anonymous = graphene.Boolean(required=True, description="匿名问卷：答案不与任何人关联。")
    closes_at = graphene.DateTime(required=True, description="截止时间。")
    is_open = graphene.Boolean(required=True, description="仍可作答。")
    form_schema = graphene.JSONString(required=True, description="问卷（JSON Schema，与审批表单相同）。")
    answered = graphene.Boolean(required=True, description="我已作答。")
    can_manage = graphene.Boolean(required=True, description="我可查看统计（组织的干部）。")
    responses = graphene.Int(description="作答人数（干部可见）。")


class UnionSurveyCountType(graphene.ObjectType):
    """How many chose one option of a question."""

    value = graphene.String(required=True, description="选项。")
    count = graphene.Int(required=True, description="人数。")


class UnionSurveyQuestionType(graphene.ObjectType):
    """One question's figures."""

    key = graphene.String(required=True, description="字段代码。")
    title = graphene.String(required=True, description="题目。")
    answered = graphene.Int(required=True, description="作答人数。")
    counts = graphene.List(graphene.NonNull(UnionSurveyCountType), required=True, description="选择题每个选项的人数。")
    average = graphene.Float(description="数字题的平均值。")
    texts = graphene.List(graphene.NonNull(graphene.String), required=True, description="填空题的回答（不含姓名）。")


class UnionCondolenceType(graphene.ObjectType):
    """A condolence request of the caller."""

    id = graphene.ID(required=True, description="Relay ID（UnionCondolence）。")
    kind = graphene.String(required=True, description="birth 生育、illness 住院重病、bereavement 直系亲属去世。")
    reason = graphene.String(required=True, description="事由。")
    status = graphene.String(required=True, description="pending 审批中、approved 同意、rejected 不同意、withdrawn 已撤回。")
    created_at = graphene.DateTime(required=True, description="申请时间。")


class UnionClubApplicationType(graphene.ObjectType):
    """An application to join a club (seen by its officer)."""

    id = graphene.ID(required=True, description="Relay ID（UnionClubMember）。")
    name = graphene.String(required=True, description="会员。")
    status = graphene.String(required=True, description="pending、approved、rejected。")


class UnionClubType(graphene.ObjectType):
    """A club (社团协会)."""

    id = graphene.ID(required=True, description="Relay ID（UnionClub）。")
    name = graphene.String(required=True, description="名称。")
    description = graphene.String(required=True, description="介绍。")
    members = graphene.Int(required=True, description="成员数。")
    my_status = graphene.String(description="我的状态：pending、approved、rejected；未申请为 null。")
    is_officer = graphene.Boolean(required=True, description="我是负责人。")
    applications = graphene.List(graphene.NonNull(UnionClubApplicationType), required=True,
                                 description="入社申请（仅负责人可见）。")


class UnionScreeningType(graphene.ObjectType):
    """A staff-cinema screening."""

    id = graphene.ID(required=True, description="Relay ID（UnionScreening）。")
    title = graphene.String(required=True, description="影片。")
    show_at = graphene.DateTime(required=True, description="放映时间。")
    tickets = graphene.Int(required=True, description="票数。")
    entries = graphene.Int(required=True, description="登记人数。")
    entered = graphene.Boolean(required=True, description="我已登记。")
    won = graphene.Boolean(required=True, description="我中签了。")
    drawn = graphene.Boolean(required=True, description="已抽签。")
    seed = graphene.String(description="抽签种子（抽签后公开，可复核）。")
    can_manage = graphene.Boolean(required=True, description="我可抽签。")


def survey(user, s) -> UnionSurveyType:
    manage = access.manages_path(user, s.node.path)
    return UnionSurveyType(id=gid("UnionSurvey", s.pk), title=s.title, node_name=s.node.name, anonymous=s.anonymous,
                           closes_at=s.closes_at, is_open=timezone.now() < s.closes_at, form_schema=s.form_schema,
                           answered=surveys.has_answered(user, s), can_manage=manage,
                           responses=s.taken.count() if manage else None)


def club(user, c) -> UnionClubType:
    rows = list(ClubMember.objects.filter(club=c).select_related("member").order_by("pk"))
    mine = next((r.status for r in rows if r.member.user_id == user.pk), None)
    officer = c.officer_id == user.pk
    return UnionClubType(id=gid("UnionClub", c.pk), name=c.name, description=c.description,
                         members=sum(r.status == "approved" for r in rows), my_status=mine, is_officer=officer,
                         applications=[UnionClubApplicationType(id=gid("UnionClubMember", r.pk), name=r.member.name,
                                                                status=r.status) for r in rows] if officer else [])


def screening(user, s) -> UnionScreeningType:
    mine = TicketEntry.objects.filter(screening=s, member__user_id=user.pk).first()
    return UnionScreeningType(id=gid("UnionScreening", s.pk), title=s.title, show_at=s.show_at, tickets=s.tickets,
                              entries=s.entries.count(), entered=mine is not None, won=bool(mine and mine.won),
                              drawn=s.drawn_at is not None, seed=s.seed or None,
                              can_manage=access.manages_path(user, s.node.path))


def _stats(user, survey_id):
    return [UnionSurveyQuestionType(key=q["key"], title=q["title"], answered=q["answered"], average=q["average"],
                                    texts=q["texts"], counts=[UnionSurveyCountType(**c) for c in q["counts"]])
            for q in surveys.statistics(user, survey_id)]


class CareQuery(graphene.ObjectType):
    union_surveys = PermissionField(graphene.List(graphene.NonNull(UnionSurveyType)), required=True, permissions=SIGNED_IN,
                                    description="我可作答的和我管理的调查问卷。")
    union_survey_stats = PermissionField(graphene.List(graphene.NonNull(UnionSurveyQuestionType)), required=True,
                                         permissions=SIGNED_IN, id=graphene.ID(required=True, description="问卷。"),
                                         description="问卷统计（该组织的干部）：每题的选项人数、平均分、填空内容。")
    union_condolences = PermissionField(graphene.List(graphene.NonNull(UnionCondolenceType)), required=True,
                                        permissions=SIGNED_IN, description="我的慰问申请。")
    union_clubs = PermissionField(graphene.List(graphene.NonNull(UnionClubType)), required=True, permissions=SIGNED_IN,
                                  description="社团协会（我所在组织及上级的，和我管理的）。")
    union_screenings = PermissionField(graphene.List(graphene.NonNull(UnionScreeningType)), required=True,
                                       permissions=SIGNED_IN, description="职工影院场次。")

    resolve_union_surveys = as_errors(lambda u, i: [survey(u, s) for s in surveys.visible(u)])
    resolve_union_survey_stats = as_errors(lambda u, i, id: _stats(u, decode_id(id, "UnionSurvey")))
    resolve_union_condolences = as_errors(lambda u, i: [
        UnionCondolenceType(id=gid("UnionCondolence", c.pk), kind=c.kind, reason=c.reason, status=c.status,
                            created_at=c.created_at) for c in condolences.mine(u)])
    resolve_union_clubs = as_errors(lambda u, i: [
        club(u, c) for c in Club.objects.filter(access.scope_q(u) | Q(officer_id=u.pk)).distinct().order_by("name")[:100]])
    resolve_union_screenings = as_errors(lambda u, i: [
        screening(u, s) for s in Screening.objects.filter(access.scope_q(u)).select_related("node").order_by("-show_at")[:50]])


SURVEY = {"survey": graphene.Field(UnionSurveyType, description="问卷（最新状态）。")}
CLUB = {"club": graphene.Field(UnionClubType, description="社团（最新状态）。")}
SCREENING = {"screening": graphene.Field(UnionScreeningType, description="场次（最新状态）。")}


def _survey(u, s):
    return {"survey": survey(u, surveys.access_survey(u, s.pk))}


CreateUnionSurvey = _simple(
    "CreateUnionSurvey", "发布调查问卷（组织的干部）：问卷用审批表单的 JSON Schema；可匿名（答案不与任何人关联）。", SIGNED_IN,
    ("REQUIRED", "TOO_LONG", "INVALID", "INVALID_FORM_SCHEMA", "NOT_FOUND"),
    {"node": GlobalID("UnionNode", required=True, description="组织（其下会员可作答）。"),
     "title": graphene.String(required=True, description="标题。"),
     "form_schema": graphene.JSONString(required=True, description="问卷（JSON Schema，type 为 object）。"),
     "closes_at": graphene.DateTime(required=True, description="截止时间。"),
     "anonymous": graphene.Boolean(description="匿名。")},
    lambda u, i: _survey(u, surveys.create_survey(u, i["node"], title=i["title"], form_schema=i["form_schema"],
                                                  closes_at=i["closes_at"], anonymous=bool(i.get("anonymous")))), SURVEY)
AnswerUnionSurvey = _simple(
    "AnswerUnionSurvey", "填写问卷（每人一次，截止前）。", SIGNED_IN,
    ("UNION_NOT_MEMBER", "UNION_SURVEY_CLOSED", "UNION_SURVEY_ANSWERED", "REQUIRED", "TOO_LONG", "INVALID", "NOT_FOUND"),
    {"survey": GlobalID("UnionSurvey", required=True, description="问卷。"),
     "answers": graphene.JSONString(required=True, description="答案 {字段代码: 值}。")},
    lambda u, i: _survey(u, surveys.answer(u, i["survey"], i["answers"])), SURVEY)
SubmitUnionCondolence = _simple(
    "SubmitUnionCondolence", "申请慰问（生育、住院重病、直系亲属去世）：交所在组织的工会干部审批。", SIGNED_IN,
    ("UNION_NOT_MEMBER", "UNION_NO_OFFICER", "REQUIRED", "TOO_LONG", "INVALID"),
    {"kind": graphene.String(required=True, description="birth、illness 或 bereavement。"),
     "reason": graphene.String(required=True, description="事由。")},
    lambda u, i: {"ok": bool(condolences.submit(u, i["kind"], i["reason"]))}, {"ok": graphene.Boolean(description="已提交。")})
CreateUnionClub = _simple(
    "CreateUnionClub", "成立社团协会（组织的干部），指定负责人（在会会员）。", SIGNED_IN, ("REQUIRED", "INVALID", "NOT_FOUND"),
    {"node": GlobalID("UnionNode", required=True, description="组织（其下会员可加入）。"),
     "name": graphene.String(required=True, description="名称。"), "description": graphene.String(description="介绍。"),
     "officer": GlobalID("User", required=True, description="负责人。")},
    lambda u, i: {"club": club(u, clubs.create_club(u, i["node"], name=i["name"], officer_id=i["officer"],
                                                    description=i.get("description") or ""))}, CLUB)
JoinUnionClub = _simple(
    "JoinUnionClub", "申请加入社团（负责人审核）。", SIGNED_IN, ("UNION_NOT_MEMBER", "UNION_ALREADY_JOINED", "NOT_FOUND"),
    {"club": GlobalID("UnionClub", required=True, description="社团。")},
    lambda u, i: {"club": club(u, clubs.join_club(u, i["club"]).club)}, CLUB)
ReviewUnionClubMember = _simple(
    "ReviewUnionClubMember", "审核入社申请（社团负责人）。", SIGNED_IN, ("INVALID", "NOT_FOUND"),
    {"application": GlobalID("UnionClubMember", required=True, description="申请。"),
     "approve": graphene.Boolean(required=True, description="同意。")},
    lambda u, i: {"club": club(u, clubs.review_club(u, i["application"], i["approve"]).club)}, CLUB)
CreateUnionScreening = _simple(
    "CreateUnionScreening", "发布职工影院场次（组织的干部）：票数有限，登记后抽签。", SIGNED_IN,
    ("REQUIRED", "INVALID", "NOT_FOUND"),
    {"node": GlobalID("UnionNode", required=True, description="组织（其下会员可登记）。"),
     "title": graphene.String(required=True, description="影片。"),
     "show_at": graphene.DateTime(required=True, description="放映时间。"),
     "tickets": graphene.Int(required=True, description="票数。")},
    lambda u, i: {"screening": screening(u, clubs.create_screening(u, i["node"], title=i["title"], show_at=i["show_at"],
                                                                    tickets=i["tickets"]))}, SCREENING)
EnterUnionScreening = _simple(
    "EnterUnionScreening", "登记抽票（每人一次，抽签前）。", SIGNED_IN,
    ("UNION_NOT_MEMBER", "UNION_ALREADY_JOINED", "UNION_LOTTERY_DRAWN", "NOT_FOUND"),
    {"screening": GlobalID("UnionScreening", required=True, description="场次。")},
    lambda u, i: {"screening": screening(u, clubs.enter(u, i["screening"]).screening)}, SCREENING)
DrawUnionScreening = _simple(
    "DrawUnionScreening", "抽签（组织的干部，只能一次）：种子公开，同样的种子与登记名单得到同样的结果，中签人数不超过票数。",
    SIGNED_IN, ("UNION_LOTTERY_DRAWN", "NOT_FOUND"),
    {"screening": GlobalID("UnionScreening", required=True, description="场次。"),
     "seed": graphene.String(description="种子（不填则随机生成）。")},
    lambda u, i: {"screening": screening(u, clubs.draw(u, i["screening"], seed=i.get("seed") or None))}, SCREENING)


class CareMutation(graphene.ObjectType):
    create_union_survey = CreateUnionSurvey.Field()
    answer_union_survey = AnswerUnionSurvey.Field()
    submit_union_condolence = SubmitUnionCondolence.Field()
    create_union_club = CreateUnionClub.Field()
    join_union_club = JoinUnionClub.Field()
    review_union_club_member = ReviewUnionClubMember.Field()
    create_union_screening = CreateUnionScreening.Field()
    enter_union_screening = EnterUnionScreening.Field()
    draw_union_screening = DrawUnionScreening.Field()
