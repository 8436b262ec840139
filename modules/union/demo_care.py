"""Demo data of surveys, clubs and the staff cinema (called by demo.seed_tenant): an anonymous
canteen survey half answered, a badminton club with pending applications, a screening with
entries still open."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

SURVEY = {"type": "object", "required": ["mood"], "properties": {
    "mood": {"title": "您对职工食堂的总体评价", "enum": ["满意", "一般", "不满意"]},
    "score": {"title": "菜品口味打分（1-5）", "type": "integer", "minimum": 1, "maximum": 5},
    "advice": {"title": "意见和建议", "type": "string", "maxLength": 200}}}


def seed(rng, root, chair_node, chair_user, members) -> None:
    from modules.union.care_models import Club, ClubMember, Screening, TicketEntry
    from modules.union.survey_models import Survey, SurveyResponse, SurveyTaken

    now = timezone.now()
    survey = Survey.objects.create(node=root, title="职工食堂满意度调查（匿名）", form_schema=SURVEY, anonymous=True,
                                   closes_at=now + dt.timedelta(days=7), created_by=getattr(chair_user, "pk", 0) or 0)
    others = [m for m in members if m.user_id != getattr(chair_user, "pk", None)]
    answered = others[: len(others) // 2]
    SurveyTaken.objects.bulk_create([SurveyTaken(survey=survey, member=m) for m in answered])
    SurveyResponse.objects.bulk_create([SurveyResponse(survey=survey, answers={
        "mood": rng.choice(["满意", "满意", "一般", "不满意"]), "score": rng.randint(2, 5),
        **({"advice": rng.choice(["希望增加夜班餐", "少油少盐", "多些水果"])} if rng.random() < 0.2 else {})})
        for _m in answered])
    if chair_user is not None:
        club = Club.objects.create(node=chair_node, name="羽毛球协会", description="每周三晚体育馆活动",
                                   officer_id=chair_user.pk)
        branch = [m for m in others if m.path.startswith(chair_node.path)]
        ClubMember.objects.bulk_create([ClubMember(club=club, member=m, status="approved" if i < 6 else "pending")
                                        for i, m in enumerate(branch[:9])])
    show = Screening.objects.create(node=root, title="职工影院：《流浪地球》", tickets=30,
                                    show_at=timezone.make_aware(dt.datetime.combine(
                                        timezone.localdate(now) + dt.timedelta(days=5), dt.time(19))))
    TicketEntry.objects.bulk_create([TicketEntry(screening=show, member=m) for m in others[:45]])
