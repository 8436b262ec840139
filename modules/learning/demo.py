"""The learning centre for the demo province (only the demo seed calls this): installed in 桐庐
with tonglu_admin as its administrator, a question bank on infection control, first aid and
patient safety, one random exam and one course assigned to tonglu_staff (赵敏)'s department, so
a fresh `make run` shows her both in her to-do list; three courses with credits, 每日一答 and a
running campaign with a leaderboard. Written once: a tenant with questions is left alone."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

BANK = [
    ("single", "七步洗手法共有几步？", ["五步", "六步", "七步", "八步"], 2, "院感", "easy", "内、外、夹、弓、大、立、腕。"),
    ("single", "速干手消毒剂揉搓双手至少多长时间？", ["5秒", "15秒", "60秒", "2分钟"], 1, "院感", "easy", ""),
    ("single", "医疗废物暂时贮存的时间不得超过？", ["12小时", "24小时", "48小时", "一周"], 2, "院感", "medium", ""),
    ("multiple", "世界卫生组织提出的手卫生五个时刻包括？", ["接触患者前", "无菌操作前", "接触患者后", "下班打卡前"], [0, 1, 2], "院感", "medium", ""),
    ("multiple", "锐器伤后的正确处理有？", ["由近心端向远心端挤出血液", "流动水冲洗", "75%酒精消毒", "立即用嘴吸吮"], [0, 1, 2], "院感", "hard", ""),
    ("true_false", "戴手套可以代替洗手。", [], False, "院感", "easy", "脱手套后仍需洗手。"),
    ("true_false", "使用后的针头应双手回套针帽。", [], False, "院感", "easy", "禁止双手回套。"),
    ("fill", "锐器盒装满__即应封口，医疗废物转运使用__色垃圾袋。", [], [["3/4", "四分之三"], ["黄"]], "院感", "medium", ""),
    ("short", "简述发生职业暴露后的处理流程。", [], "挤、冲、消、报：挤出血液，流动水冲洗，消毒包扎，及时上报并评估。", "院感", "hard", ""),
    ("single", "成人胸外按压的深度为？", ["3–4厘米", "5–6厘米", "7–8厘米", "越深越好"], 1, "急救", "easy", ""),
    ("single", "成人胸外按压的频率为每分钟？", ["60–80次", "80–100次", "100–120次", "120–140次"], 2, "急救", "easy", ""),
    ("single", "单人心肺复苏按压与通气之比为？", ["15:2", "30:2", "5:1", "30:1"], 1, "急救", "medium", ""),
    ("true_false", "AED 到达后应立即使用，不必等待心肺复苏满两分钟。", [], True, "急救", "medium", ""),
    ("multiple", "判断心脏骤停的要点有？", ["意识丧失", "无正常呼吸", "大动脉搏动消失", "体温升高"], [0, 1, 2], "急救", "hard", ""),
    ("single", "给药前核对患者身份至少使用几种方法？", ["一种", "两种", "三种", "不需要"], 1, "患者安全", "easy", ""),
    ("true_false", "高危药品应单独存放并有醒目标识。", [], True, "患者安全", "easy", ""),
    ("fill", "跌倒风险评估常用__评分量表。", [], [["Morse", "莫尔斯"]], "患者安全", "medium", ""),
]
RULES = [{"topic": "院感", "difficulty": "easy", "count": 3, "points": 5},
         {"topic": "院感", "difficulty": "medium", "count": 2, "points": 10},
         {"topic": "急救", "count": 3, "points": 10},
         {"topic": "患者安全", "count": 2, "points": 10},
         {"topic": "院感", "kind": "short", "count": 1, "points": 15}]


def _staff_department(user_id):
    from jianlian.org.models import DepartmentMembership

    return DepartmentMembership.objects.filter(staff__user_id=user_id, is_primary=True).values_list("department_id", flat=True).first()


def seed_tenant(tenant, admin, staff) -> int:
    from jianlian.access.models import Role, RoleGrant
    from modules.learning import assignments, exams, questions
    from modules.learning.models import Question

    if Question.objects.exists():
        return 0
    role = Role.objects.get(code="learning_admin", tenant=tenant)
    RoleGrant.objects.get_or_create(user=admin, role=role, node=tenant.org_unit)
    admin.__dict__.pop("_jl_grants", None)
    with transaction.atomic():
        seed_courses(admin, staff)
        for kind, stem, options, answer, topic, difficulty, explanation in BANK:
            questions.create_question(admin, kind=kind, stem=stem, options=options, answer=answer, topic=topic,
                                      difficulty=difficulty, explanation=explanation)
        exam = exams.create_exam(admin, title="第四季度院感与急救考核", mode="random", rules=RULES, time_limit_minutes=20,
                                 max_attempts=2, pass_percent=60,
                                 description="随机抽题，限时20分钟，可考2次，60分及格。答案随答随存，断网重连后可继续。")
        dept = _staff_department(staff.pk)
        audience = {"department_ids": [dept]} if dept else {"user_ids": [staff.pk]}
        assignments.assign(admin, exam.pk, audience, timezone.now() + dt.timedelta(days=7))
        seed_quizzes(admin, staff)
    return len(BANK)


VIDEO = "https://interactive-examples.mdn.mozilla.net/media/cc0-videos/flower.mp4"
COURSES = [
    ("医院感染预防与控制", "院感", 2, "Ⅱ类", "手卫生、标准预防与医疗废物管理。", [
        ("第一章 手卫生", [("七步洗手法演示", "video", VIDEO, "", 30), ("手卫生的五个时刻", "article", "", "接触患者前、清洁或无菌操作前、"
                                                                              "暴露于患者体液后、接触患者后、接触患者周围环境后。", 0)]),
        ("第二章 医疗废物", [("医疗废物分类目录（2021年版）", "document", "https://www.nhc.gov.cn/", "", 0)])]),
    ("心肺复苏与AED", "急救", 1, "Ⅱ类", "成人基础生命支持。", [
        ("第一章 基础生命支持", [("胸外按压要点", "video", VIDEO, "", 30), ("AED 使用流程", "article", "", "开机、贴片、分析、电击、继续按压。", 0)])]),
    ("患者安全十大目标解读", "患者安全", 0.5, "Ⅱ类", "中国医院协会患者安全目标。", [
        ("第一章 身份识别", [("正确识别患者身份", "article", "", "至少使用两种身份识别方法，禁止仅以床号识别。", 0)])]),
]


def seed_courses(admin, staff) -> None:
    """Three courses and a draft; 赵敏 has finished the patient-safety one (credits this year) and is halfway
    through the video of the first, which is assigned to her department."""
    from modules.learning import assignments, courses

    made = []
    for title, category, credits, kind, description, chapters in COURSES:
        made.append(courses.create_course(admin, title=title, description=description, category=category, credits=credits,
                                          credit_kind=kind, chapters=[
                                              {"title": ct, "lessons": [{"title": t, "kind": k, "url": u, "body": b,
                                                                          "duration_seconds": d} for t, k, u, b, d in ls]}
                                              for ct, ls in chapters]))
    # a draft the learning admin is still building (学习管理 → 课程): not in the catalogue yet
    courses.create_course(admin, title="职业暴露处置", category="院感", credits=1, credit_kind="Ⅱ类", published=False,
                          description="针刺伤等职业暴露后的处置与报告。", chapters=[
                              {"title": "第一章 暴露后处理", "lessons": [
                                  {"title": "处置流程", "kind": "article", "body": "一挤、二冲、三消毒、四报告。"}]}])
    for lesson in made[2].lessons.all():
        courses.report_progress(staff, lesson.pk, 0, finished=True)
    courses.report_progress(staff, made[0].lessons.order_by("position").first().pk, 12)
    dept = _staff_department(staff.pk)
    audience = {"department_ids": [dept]} if dept else {"user_ids": [staff.pk]}
    assignments.assign(admin, None, audience, timezone.now() + dt.timedelta(days=14), course_id=made[0].pk)


def seed_quizzes(admin, staff) -> None:
    """每日一答 (two questions a day) and a running infection-control campaign; 赵敏 answered
    yesterday's, so the leaderboard is not empty."""
    from modules.learning import quiz
    from modules.learning.models import QuizSession

    today = timezone.localdate()
    quiz.create_campaign(admin, title="每日一答", kind="daily", per_day=2, starts_on=today - dt.timedelta(days=30))
    campaign = quiz.create_campaign(admin, title="院感知识竞赛月", kind="campaign", per_day=3, topic="院感",
                                    starts_on=today - dt.timedelta(days=3), ends_on=today + dt.timedelta(days=27))
    s = quiz.todays_session(staff, campaign.pk)
    QuizSession.objects.filter(pk=s.pk).update(day=today - dt.timedelta(days=1), answers=[None] * len(s.question_ids),
                                              correct=2, score=2 * quiz.POINTS_PER_CORRECT, completed_at=timezone.now())


def seed(say=print) -> int:
    """桐庐 only (the learning centre is not mandated province-wide), once."""
    from jianlian.identity.models import User
    from jianlian.marketplace import services as market
    from tenants.context import tenant_context
    from tenants.models import Tenant

    tenant = Tenant.objects.select_related("org_unit").filter(slug="tonglu").first()
    admin = User.objects.filter(username="tonglu_admin").first()
    staff = User.objects.filter(username="tonglu_staff").first()
    if tenant is None or admin is None or staff is None:
        return 0
    if not market.is_installed(tenant, "learning"):
        market.install(None, tenant, "learning")
    with tenant_context(tenant):
        made = seed_tenant(tenant, admin, staff)
    if made:
        say(f"学习中心：桐庐题库 {made} 道题，3 门课程，已布置一场随机组卷考试和一门课程，每日一答与院感知识竞赛进行中。")
    return made
