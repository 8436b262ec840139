"""A hospital for the approvals tests: 桐庐 (tenant A) with the app installed, a department
chain 院领导 → 临床 → 内科 (each with a head), 外科, people, a tag and a group."""

from __future__ import annotations

from dataclasses import dataclass, field

from jianlian.identity.models import User
from jianlian.marketplace import services as market
from jianlian.org import services as org
from modules.approvals import templates
from tests.factories import grant, make_department, make_staff


@dataclass
class World:
    p: object
    depts: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)  # name -> User
    tag: object = None
    group: object = None

    def user(self, name: str) -> User:
        return self.people[name]

    def template(self, flow_child, *, form=None, policies=None, key=None, **kw):
        """A template whose flow is start → `flow_child`, on a small leave-like form."""
        global _n
        _n += 1
        return templates.create_template(
            None, key=key or f"t{_n}", name=f"测试{_n}", form_schema=form or FORM, flow_tree={"id": "start", "type": "start",
                                                                                             "child": flow_child},
            policies=policies, **kw)


_n = 0
FORM = {"type": "object", "required": ["reason"], "properties": {
    "reason": {"type": "string", "title": "事由", "maxLength": 50},
    "days": {"type": "number", "title": "天数", "minimum": 0},
    "secret": {"type": "string", "title": "备注（仅部分节点可见）"},
}}


def approver(node_id, assignee, mode="seq", child=None, **extra):
    return {"id": node_id, "type": "approver", "name": node_id, "mode": mode, "assignee": assignee, "child": child, **extra}


def users(*people):
    return {"kind": "users", "userIds": [u.pk for u in people]}


def build(p) -> World:
    """Call inside tenant_context(p.tenant_a)."""
    market.install(None, p.tenant_a, "approvals")
    w = World(p)
    # 院领导 and 临床 hold people (院长, 副院长) as well as departments: they are departments, not
    # pure grouping nodes, which take no people (docs/org-placement.md)
    lead = make_department("LD", "院领导", unit=p.lead_a, category="functional")
    clinic = make_department("LC", "临床", unit=p.lead_a, parent=lead, category="clinical")
    internal = make_department("NK", "内科", unit=p.lead_a, parent=clinic)
    surgery = make_department("WK", "外科", unit=p.lead_a, parent=clinic)
    w.depts = {"lead": lead, "clinic": clinic, "internal": internal, "surgery": surgery}
    staff = {}
    for name, dept, post in (("院长", lead, "院长"), ("副院长", clinic, "副院长"), ("内科主任", internal, "主任"),
                             ("外科主任", surgery, "主任"), ("赵敏", internal, "护士"), ("钱进", internal, "医师"),
                             ("孙立", surgery, "医师"), ("李想", internal, "医师"), ("周到", internal, "医师")):
        staff[name] = make_staff(name, unit=p.lead_a, department=dept, post=post)
    for key, name in (("lead", "院长"), ("clinic", "副院长"), ("internal", "内科主任"), ("surgery", "外科主任")):
        org.set_department_head(None, w.depts[key].pk, staff[name].pk)
    User.objects.filter(pk__in=[s.user_id for s in staff.values()]).update(status="active")  # activated accounts
    w.people = {n: User.objects.get(pk=s.user_id) for n, s in staff.items()}
    w.people["admin"] = p.users["tenant_admin"]
    grant(p.users["tenant_admin"], "approvals_admin", p.lead_a, p.tenant_a)
    w.tag = org.create_tag(None, code="director", name="主任")
    org.set_tags(None, staff["内科主任"].pk, [w.tag.pk])
    org.set_tags(None, staff["外科主任"].pk, [w.tag.pk])
    w.group = org.create_group(None, name="医务组", member_ids=[staff["李想"].pk, staff["周到"].pk])
    w.staff = staff
    return w
