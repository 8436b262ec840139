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


ARTICLES = [("孕前与孕早期：叶酸怎么补", "obstetrics", "计划怀孕前3个月起每天补充叶酸0.4毫克，持续至孕满3个月。夜班较多的同事注意规律作息，"
             "孕早期如有阴道出血或剧烈腹痛请走绿色通道尽快就诊。"),
            ("孕期口腔检查别忽视", "dental", "孕期激素变化易致牙龈出血，建议孕前完成口腔检查；孕中期（4-6个月）是治疗牙病相对安全的时期。")]


def seed_womens_health(admin, chair_user, members) -> None:
    """Two articles, a green-channel coordinator, and 赵敏 (tonglu_staff) an eligible member — her
    demo ID number is rewritten to a woman of 32 if the random one made her ineligible."""
    from jianlian.core.validators import id_number_check_char
    from jianlian.identity.models import User, id_number_blind_index
    from modules.union import confidential, womens_health
    from modules.union.health_models import HealthArticle

    HealthArticle.objects.bulk_create([HealthArticle(title=t, clinic=c, body=b, created_by=getattr(admin, "pk", 0) or 0)
                                       for t, c, b in ARTICLES])
    in_union = {m.user_id for m in members}
    staff = User.objects.filter(username="tonglu_staff", pk__in=in_union).first()
    if staff is not None and not womens_health.eligible(staff):
        for seq in range(100, 1000, 2):  # an even sequence: a woman
            first17 = f"330122{timezone.localdate().year - 32}0315{seq:03d}"
            number = first17 + id_number_check_char(first17)
            if not User.objects.filter(id_number_index=id_number_blind_index(number)).exists():
                staff.id_number = number
                staff.save(update_fields=["id_number", "id_number_index"])
                break
    skip = {getattr(u, "pk", None) for u in (admin, chair_user, staff)}
    coordinator = next((m.user_id for m in members if m.user_id not in skip), None)
    if coordinator is not None:
        confidential.add_counsellor(None, coordinator, "maternity", intro="育龄期女职工绿色通道协调员")
