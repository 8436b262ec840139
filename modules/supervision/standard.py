"""The national monitoring set for tight county medical communities, as far as its definitions
can be stated in data elements (the preloaded catalogue; the province edits and adds).

Sources:
- NHC2020: 国家卫生健康委办公厅 国家医保局办公室 国家中医药局办公室《关于印发紧密型县域医疗卫生共同体建设
  评判标准和监测指标体系（试行）的通知》（国卫办基层发〔2020〕12号）, 附件2 监测指标体系.
- NHC2023: 国家卫生健康委等10部门《关于全面推进紧密型县域医疗卫生共同体建设的指导意见》
  （国卫基层发〔2023〕41号）.
- JIANLIAN: defined here, for the referrals app's automatic counts.
"""

from __future__ import annotations

NHC2020 = "国卫办基层发〔2020〕12号《紧密型县域医疗卫生共同体建设评判标准和监测指标体系（试行）》"
NHC2023 = "国卫基层发〔2023〕41号《关于全面推进紧密型县域医疗卫生共同体建设的指导意见》"
JIANLIAN = "健联双向转诊应用统计口径"

# code, name, English name, value type, aggregation, disaggregation, min, max, source app
ELEMENTS = [
    ("visits", "门急诊人次", "Outpatient and emergency visits", "integer", "sum", "visit_type", 0, None, ""),
    ("resident_visits_total", "县域居民门急诊总人次（含县外）", "Residents' visits, in and outside the county", "integer", "sum", "", 0, None, ""),
    ("inpatient_admissions", "入院人次", "Admissions", "integer", "sum", "", 0, None, ""),
    ("discharges", "出院人次", "Discharges", "integer", "sum", "sex", 0, None, ""),
    ("resident_admissions_total", "县域居民住院总人次（含县外）", "Residents' admissions, in and outside the county", "integer", "sum", "", 0, None, ""),
    ("operations", "手术台次", "Operations", "integer", "sum", "", 0, None, ""),
    ("examinations", "检查人次", "Examinations", "integer", "sum", "", 0, None, ""),
    ("lab_tests", "检验人次", "Laboratory tests", "integer", "sum", "", 0, None, ""),
    ("remote_diagnoses", "远程诊断服务量（影像、心电、病理等）", "Remote diagnoses (imaging, ECG, pathology)", "integer", "sum", "", 0, None, ""),
    ("beds", "实际开放床位数", "Open beds", "integer", "last", "", 0, 5000, ""),
    ("staff", "卫生技术人员数", "Health professionals", "integer", "last", "", 0, 20000, ""),
    ("medical_income", "医疗收入（元）", "Medical income (CNY)", "amount", "sum", "", 0, None, ""),
    ("insurance_fund_in_county", "县域内医保基金支出（元）", "Insurance fund spent inside the county (CNY)", "amount", "sum", "", 0, None, ""),
    ("insurance_fund_total", "县域居民医保基金总支出（元）", "Insurance fund spent on the county's residents (CNY)", "amount", "sum", "", 0, None, ""),
    ("insurance_fund_primary", "基层医疗卫生机构医保基金支出（元）", "Insurance fund spent at primary-care units (CNY)", "amount", "sum", "", 0, None, ""),
    ("chronic_managed", "基层规范管理的高血压、糖尿病患者数", "Hypertension and diabetes patients managed in primary care", "integer", "last", "", 0, None, ""),
    ("chronic_patients", "辖区高血压、糖尿病患者数（估算）", "Hypertension and diabetes patients in the area (estimate)", "integer", "last", "", 0, None, ""),
    ("contracted_residents", "家庭医生签约居民数", "Residents with a family-doctor contract", "integer", "last", "age_band", 0, None, ""),
    ("resident_population", "常住人口数", "Resident population", "integer", "last", "", 0, None, ""),
    ("vaccine_doses", "免疫规划疫苗接种剂次", "Programme vaccine doses", "integer", "sum", "", 0, None, ""),
    ("referrals.up", "上转患者人次", "Patients referred up", "integer", "sum", "", 0, None, "referrals"),
    ("referrals.down", "下转患者人次", "Patients referred down", "integer", "sum", "", 0, None, "referrals"),
    ("referrals.lateral", "平转患者人次", "Patients referred laterally", "integer", "sum", "", 0, None, "referrals"),
    ("referrals.received", "接收转诊申请数", "Referral requests received", "integer", "sum", "", 0, None, "referrals"),
    ("referrals.accepted", "接收转诊数", "Referrals accepted", "integer", "sum", "", 0, None, "referrals"),
    ("referrals.median_accept_minutes", "转诊接收时长中位数（分钟）", "Median minutes to accept a referral", "number", "average", "", 0, None, "referrals"),
    ("referrals.median_arrive_minutes", "转诊到诊时长中位数（分钟）", "Median minutes to arrive", "number", "average", "", 0, None, "referrals"),
]

# Each element's topic (models.Topic), the heading it is entered under.
TOPICS = {
    "visits": "visits", "resident_visits_total": "visits", "examinations": "visits", "lab_tests": "visits",
    "remote_diagnoses": "visits",
    "inpatient_admissions": "inpatient", "discharges": "inpatient", "resident_admissions_total": "inpatient",
    "operations": "inpatient",
    "beds": "resources", "staff": "resources",
    "medical_income": "funds", "insurance_fund_in_county": "funds", "insurance_fund_total": "funds",
    "insurance_fund_primary": "funds",
    "chronic_managed": "public_health", "chronic_patients": "public_health", "vaccine_doses": "public_health",
    "contracted_residents": "population", "resident_population": "population",
    **{code: "referrals" for code, *_rest in ELEMENTS if code.startswith("referrals.")},
}

# code, name, English name, numerator, denominator, factor, unit label, source
INDICATORS = [
    ("primary_visit_share", "基层诊疗量占县域内总诊疗量比例", "Primary care's share of the county's visits",
     "#{visits@member}", "#{visits@member} + #{visits@lead}", 100, "%", NHC2020),
    ("referrals_up", "上转患者人次", "Patients referred up", "#{referrals.up}", "1", 1, "人次", NHC2020),
    ("referrals_down", "下转患者人次", "Patients referred down", "#{referrals.down}", "1", 1, "人次", NHC2020),
    ("lead_down_share", "牵头医院下转患者数量占比", "The lead hospital's share of referrals down",
     "#{referrals.down@lead}", "#{referrals.down}", 100, "%", NHC2020),
    ("in_county_admission_share", "县域内住院人次占比", "Admissions inside the county, share of residents' admissions",
     "#{inpatient_admissions@member} + #{inpatient_admissions@lead}", "#{resident_admissions_total}", 100, "%", NHC2020),
    ("in_county_visit_rate", "县域就诊率", "Visits inside the county, share of residents' visits",
     "#{visits@member} + #{visits@lead}", "#{resident_visits_total}", 100, "%", NHC2020),
    ("chronic_primary_management_rate", "慢病患者基层管理率", "Chronic patients managed in primary care",
     "#{chronic_managed}", "#{chronic_patients}", 100, "%", NHC2020),
    ("family_doctor_coverage", "家庭医生签约服务覆盖率", "Family-doctor contract coverage",
     "#{contracted_residents}", "#{resident_population}", 100, "%", NHC2023),
    ("remote_diagnoses", "远程诊断服务量", "Remote diagnoses", "#{remote_diagnoses}", "1", 1, "人次", NHC2020),
    ("insurance_in_county_share", "医保基金县域内支出占比", "Insurance fund spent inside the county, share",
     "#{insurance_fund_in_county}", "#{insurance_fund_total}", 100, "%", NHC2020),
    ("insurance_primary_share", "基层医疗卫生机构医保基金支出占比", "Primary care's share of the county's insurance spending",
     "#{insurance_fund_primary}", "#{insurance_fund_in_county}", 100, "%", NHC2020),
    ("emergency_share", "急诊人次占门急诊人次比例", "Emergency share of visits",
     "#{visits.emergency}", "#{visits}", 100, "%", JIANLIAN),
    ("referral_acceptance_rate", "转诊接收率", "Referral acceptance rate",
     "#{referrals.accepted}", "#{referrals.received}", 100, "%", JIANLIAN),
    ("discharges_per_1000", "每千常住人口出院人次", "Discharges per 1,000 residents",
     "#{discharges}", "#{resident_population}", 1000, "‰", JIANLIAN),
]

# code, name, left, operator, right, instruction
RULES = [
    ("discharges_within_capacity", "出院人次不超过入院人次加床日数", "#{discharges}", "<=",
     "#{inpatient_admissions} + #{beds} * [days]", "出院人次不应超过入院人次与床位×天数之和，请核对。"),
    ("accepted_within_received", "接收转诊数不超过接收申请数", "#{referrals.accepted}", "<=", "#{referrals.received}",
     "接收数不应超过收到的申请数。"),
    ("managed_within_patients", "基层管理慢病患者数不超过辖区患者数", "#{chronic_managed}", "<=", "#{chronic_patients}",
     "管理人数不应超过辖区患者数。"),
]


def load(DataElement, Indicator, ValidationRule) -> None:  # noqa: N803 — model classes (also historical ones)
    """Create what is missing of the set; never overwrites what the province has edited."""
    for code, name, name_en, vtype, agg, dis, lo, hi, app in ELEMENTS:
        DataElement.objects.get_or_create(code=code, defaults=dict(
            name=name, name_en=name_en, value_type=vtype, aggregation=agg, disaggregation=dis,
            min_value=lo, max_value=hi, source_app=app))
    for code, name, name_en, num, den, factor, label, source in INDICATORS:
        Indicator.objects.get_or_create(code=code, defaults=dict(
            name=name, name_en=name_en, numerator=num, denominator=den, factor=factor, unit_label=label, source=source))
    for code, name, left, op, right, instruction in RULES:
        ValidationRule.objects.get_or_create(code=code, defaults=dict(
            name=name, left=left, operator=op, right=right, instruction=instruction))


def load_topics(DataElement) -> None:  # noqa: N803 — the model class (also a historical one, from 0008 on)
    """Give each standard element still without a topic its own (never changes a topic set since)."""
    for topic in set(TOPICS.values()):
        DataElement.objects.filter(code__in=[c for c, t in TOPICS.items() if t == topic], topic="other").update(topic=topic)


# The standard monthly data set: every element above, reported by communities' leads and members
# and by standalone hospitals, due on the 10th of the next month, never locked by date.
# code, name, English name, period type, levels, due days, lock days
DATA_SET = ("standard_monthly", "县域医共体监测月报", "County medical-community monthly report", "monthly",
            ["lead", "member", "hospital"], 10, None)


def load_data_set(DataSet, DataElement) -> None:  # noqa: N803 — model classes (also historical ones)
    """Create the standard data set if it is missing, with every standard element; never changes
    one the province has edited."""
    code, name, name_en, period_type, levels, due, lock = DATA_SET
    ds, created = DataSet.objects.get_or_create(code=code, defaults=dict(
        name=name, name_en=name_en, period_type=period_type, levels=levels, due_days=due, lock_days=lock))
    if created:
        ds.elements.set(DataElement.objects.filter(code__in=[e[0] for e in ELEMENTS]))
