"""Two units for the official-documents tests: 桐庐 (tenant A, the approvals hospital of
tests/approvals_world.py) sends; 象山 (tenant B) receives. Both have approvals and documents
installed; 张院管 is A's office (documents_clerk), 院长 signs, 副院长 reviews; in B 陈文书 is the
office, 象山院长 instructs and 象山医生 and 象山护士 (科室 综合办) handle and read."""

from __future__ import annotations

from dataclasses import dataclass, field

from jianlian.identity.models import User
from jianlian.marketplace import services as market
from modules.documents.models import Series
from tenants.context import tenant_context
from tests import approvals_world
from tests.factories import grant, make_department, make_staff, make_user, member


@dataclass
class DocumentsWorld:
    a: object  # the approvals world of tenant A
    b_people: dict = field(default_factory=dict)
    series: object = None

    @property
    def p(self):
        return self.a.p

    def user(self, name: str) -> User:
        return self.b_people.get(name) or self.a.user(name)


def build(p) -> DocumentsWorld:
    with tenant_context(p.tenant_a):
        a = approvals_world.build(p)
        market.install(None, p.tenant_a, "documents")
        grant(p.users["tenant_admin"], "documents_clerk", p.lead_a, p.tenant_a)
        grant(a.user("外科主任"), "documents_drafter", p.lead_a, p.tenant_a)
        series = Series.objects.create(code="桐卫发", name="桐庐县卫健发文", issuer="桐庐县第一人民医院")
    w = DocumentsWorld(a=a, series=series)
    with tenant_context(p.tenant_b):
        market.install(None, p.tenant_b, "approvals")
        market.install(None, p.tenant_b, "documents")
        clerk = make_user("陈文书")
        member(clerk, p.tenant_b, p.lead_b)
        grant(clerk, "documents_clerk", p.lead_b, p.tenant_b)
        office = make_department("ZHB", "综合办", unit=p.lead_b)
        staff = {n: make_staff(n, unit=p.lead_b, department=office) for n in ("象山院长", "象山医生", "象山护士")}
        User.objects.filter(pk__in=[s.user_id for s in staff.values()]).update(status="active")
        w.b_people = {"陈文书": clerk, **{n: User.objects.get(pk=s.user_id) for n, s in staff.items()}}
        w.office_b = office
    return w
