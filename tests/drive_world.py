"""A hospital for the drive tests: 桐庐 (tenant A) with the drive installed, 医务科 (赵敏, 钱进)
and 护理部 (孙立), the tenant admin as drive administrator, a restricted folder readable by
医务科 only and managed by 赵敏, and an open folder of rules every member reads."""

from __future__ import annotations

from dataclasses import dataclass, field

from jianlian.identity.models import User
from jianlian.marketplace import services as market
from modules.drive import actions
from tests.factories import grant, make_department, make_staff


@dataclass
class World:
    p: object
    people: dict = field(default_factory=dict)
    depts: dict = field(default_factory=dict)
    folders: dict = field(default_factory=dict)

    def user(self, name: str) -> User:
        return self.people[name]


def build(p) -> World:
    """Call inside tenant_context(p.tenant_a)."""
    market.install(None, p.tenant_a, "drive")
    w = World(p)
    w.depts = {"medical": make_department("YWK", "医务科", unit=p.lead_a), "nursing": make_department("HLB", "护理部", unit=p.lead_a)}
    staff = {"赵敏": "medical", "钱进": "medical", "孙立": "nursing"}
    made = {name: make_staff(name, unit=p.lead_a, department=w.depts[d]) for name, d in staff.items()}
    User.objects.filter(pk__in=[s.user_id for s in made.values()]).update(status="active")
    w.people = {n: User.objects.get(pk=s.user_id) for n, s in made.items()}
    w.people["admin"] = p.users["tenant_admin"]
    grant(p.users["tenant_admin"], "drive_admin", p.lead_a, p.tenant_a)
    w.folders = {
        "secret": actions.create_folder(w.people["admin"], unit_id=p.lead_a.pk, name="医疗纠纷材料", category="医务",
                                        restricted=True, audience={"department_ids": [w.depts["medical"].pk]},
                                        manager_ids=[w.people["赵敏"].pk]),
        "rules": actions.create_folder(w.people["admin"], unit_id=p.lead_a.pk, name="规章制度", category="制度文件"),
    }
    return w
