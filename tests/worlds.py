"""The two worlds the module tests share, each on the session's province (tests/factories.py):
two-way referrals between 桐庐 and 浙江省人民医院, and supervision online in 桐庐. Their
fixtures are in tests/conftest.py (`referral_world`, `supervision_world`)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from jianlian.hierarchy.models import OrgUnit
from jianlian.marketplace import services as market
from modules.referrals import services as referrals
from modules.referrals.models import Referral
from modules.supervision import services as supervision
from modules.supervision.models import Indicator
from tenants.context import tenant_context
from tests.factories import build_province, grant, make_user, member

TOMORROW = timezone.localdate() + dt.timedelta(days=1)
FORM = dict(patient_name="陈阿婆", patient_sex="2", patient_birth_date=dt.date(1948, 5, 2), patient_id_number="",
            patient_phone="13905710001", reason="反复胸闷胸痛3天，心电图示ST段改变", diagnosis_code="I20.0",
            diagnosis_text="不稳定型心绞痛", past_history="高血压10年", allergies="青霉素过敏",
            treatment="阿司匹林100mg口服", urgency="urgent", consent=True)
JAN, FEB, MAR = "2026-01", "2026-02", "2026-03"


def gid(unit):
    from graphql_relay import to_global_id

    return to_global_id("OrgUnit", unit.pk)


class ReferralWorld:
    """桐庐 (tenant A: lead + township centres) refers up to 浙江省人民医院 (tenant H)."""

    def __init__(self, suffix=""):
        self.p = p = build_province(suffix)
        for t in (p.tenant_a, p.tenant_b, p.tenant_h):
            market.install(None, t, "referrals")
        self.sender = p.users["doctor"]  # 赵医生, 分水镇中心卫生院 (member of A)
        self.cardio = make_user("孙主任")  # 浙江省人民医院 cardiology
        member(self.cardio, p.tenant_h, p.hospital)
        grant(self.cardio, "doctor", p.hospital, p.tenant_h)
        self.lead_doctor = make_user("钱医生甲")  # 桐庐县第一人民医院, inside A
        member(self.lead_doctor, p.tenant_a, p.lead_a)
        grant(self.lead_doctor, "doctor", p.lead_a, p.tenant_a)
        office = make_user("李转诊办")
        member(office, p.tenant_h, p.hospital)
        grant(office, "referral_office", p.hospital, p.tenant_h)
        with tenant_context(p.tenant_h):
            self.desk_h = referrals.set_desk(office, unit_id=p.hospital.pk, name="心血管内科", daily_slots=2,
                                             head_user_id=self.cardio.pk).pk
        office_a = p.users["tenant_admin"]
        grant(office_a, "referral_office", p.lead_a, p.tenant_a)
        with tenant_context(p.tenant_a):
            self.desk_a = referrals.set_desk(office_a, unit_id=p.lead_a.pk, name="康复科", daily_slots=5).pk

    def refer_up(self, **over):
        with tenant_context(self.p.tenant_a):
            r = referrals.create_draft(self.sender, from_unit_id=self.p.member_a1.pk, to_unit_id=self.p.hospital.pk,
                                       desk_id=self.desk_h, **{**FORM, **over})
            return referrals.transition(self.sender, r.pk, "submit")

    def in_h(self, uid):
        with tenant_context(self.p.tenant_h):
            return Referral.objects.filter(uid=uid).first()

    def in_a(self, uid):
        with tenant_context(self.p.tenant_a):
            return Referral.objects.filter(uid=uid).first()

    def act_h(self, uid, action, **kw):
        with tenant_context(self.p.tenant_h):
            return referrals.transition(self.cardio, Referral.objects.get(uid=uid).pk, action, **kw)


class SupervisionWorld:
    """桐庐 (tenant A: lead + 2 township centres) and 象山 (tenant B) with the app installed in A;
    A's admin reports for A's units; a county supervisor for 桐庐."""

    def __init__(self, suffix=""):
        supervision.ensure_standard_set()  # the national set (not in the session's snapshot)
        self.p = p = build_province(suffix)
        market.install(None, p.tenant_a, "supervision")
        self.reporter = p.users["tenant_admin"]  # supervision.report at 桐庐 lead (covers its members)
        self.officer = make_user("孙统计")
        member(self.officer, p.tenant_a, p.lead_a)
        grant(self.officer, "supervision_officer", p.lead_a, p.tenant_a)
        self.county = make_user("周县督")
        grant(self.county, "county_supervisor", p.county_a)
        self.city = p.users["city_supervisor"]  # 杭州
        self.province = p.users["province_admin"]

    def put(self, unit, element, period, value, option="", comment=""):
        return supervision.save_value(self.reporter, unit_id=unit.pk, element=element, period=period, value=value,
                                      option=option, comment=comment)

    def agg(self, node, period, code):
        ind = Indicator(code="x", name="x", numerator=code, denominator="1", factor=1)
        [row] = supervision.indicator_values(OrgUnit.objects.get(pk=node.pk), supervision.parse_period(period), [ind])
        return row["value"]
