"""A hospital for the learning tests: 桐庐 (tenant A) with the learning centre installed, two
departments (内科, 外科) with nurses, a learning admin, a marker, and a small question bank."""

from __future__ import annotations

from dataclasses import dataclass, field

from jianlian.identity.models import User
from jianlian.marketplace import services as market
from modules.learning import questions
from tests.factories import grant, make_department, make_staff


@dataclass
class World:
    p: object
    people: dict = field(default_factory=dict)
    depts: dict = field(default_factory=dict)
    bank: list = field(default_factory=list)

    def user(self, name: str) -> User:
        return self.people[name]


BANK = [
    # kind, stem, options, answer, topic, difficulty
    ("single", "七步洗手法共几步？", ["五步", "六步", "七步"], 2, "院感", "easy"),
    ("single", "手消毒剂揉搓至少多少秒？", ["5秒", "15秒", "60秒"], 1, "院感", "easy"),
    ("multiple", "需要洗手的时机有？", ["接触患者前", "接触患者后", "下班后刷手机"], [0, 1], "院感", "medium"),
    ("true_false", "戴手套可以代替洗手。", [], False, "院感", "easy"),
    ("fill", "医疗废物暂存不得超过__小时，锐器盒装满__即应封口。", [], [["48", "四十八"], ["3/4", "四分之三"]], "院感", "medium"),
    ("short", "简述职业暴露后的处理流程。", [], "挤、冲、消、报", "院感", "hard"),
    ("single", "成人心肺复苏按压深度为？", ["3-4厘米", "5-6厘米", "7-8厘米"], 1, "急救", "medium"),
    ("true_false", "胸外按压频率为每分钟100-120次。", [], True, "急救", "easy"),
    ("single", "AED 电极片的位置是？", ["右锁骨下与左乳头外侧", "双侧锁骨下", "腹部"], 0, "急救", "hard"),
]


def build(p) -> World:
    """Call inside tenant_context(p.tenant_a)."""
    market.install(None, p.tenant_a, "learning")
    w = World(p)
    internal = make_department("NK", "内科", unit=p.lead_a)
    surgery = make_department("WK", "外科", unit=p.lead_a)
    w.depts = {"内科": internal, "外科": surgery}
    staff = {}
    for name, dept in (("赵敏", internal), ("钱进", internal), ("孙立", surgery), ("阅卷老师", surgery)):
        staff[name] = make_staff(name, unit=p.lead_a, department=dept, post="护士")
    User.objects.filter(pk__in=[s.user_id for s in staff.values()]).update(status="active")
    w.people = {n: User.objects.get(pk=s.user_id) for n, s in staff.items()}
    w.people["admin"] = p.users["tenant_admin"]
    grant(p.users["tenant_admin"], "learning_admin", p.lead_a, p.tenant_a)
    grant(w.people["阅卷老师"], "learning_marker", p.lead_a, p.tenant_a)
    for kind, stem, options, answer, topic, difficulty in BANK:
        w.bank.append(questions.create_question(None, kind=kind, stem=stem, options=options, answer=answer, topic=topic,
                                                difficulty=difficulty))
    return w
