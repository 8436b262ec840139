"""A hospital for the payslips tests: 桐庐 (tenant A) with the app installed, nurses of 内科 with
staff numbers and passwords, a payroll officer, and the workbooks they import."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from jianlian.identity.models import User
from jianlian.marketplace import services as market
from tests.factories import PASSWORD, grant, make_department, make_staff, make_user, member

HEADER = ["工号", "姓名", "基本工资", "绩效工资", "个人所得税", "实发合计"]


@dataclass
class World:
    p: object
    people: dict = field(default_factory=dict)
    staff_no: dict = field(default_factory=dict)

    def user(self, name: str) -> User:
        return self.people[name]

    def rows(self, net: str = "8765.43") -> list[list]:
        return [[self.staff_no[n], n, "5200", "3800.5", "235.07", net if n == "赵敏" else "8800"] for n in ("赵敏", "钱进", "孙立")]


def workbook(rows: list[list], header=HEADER) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def build(p) -> World:
    """Call inside tenant_context(p.tenant_a)."""
    market.install(None, p.tenant_a, "payslips")
    w = World(p)
    dept = make_department("NK", "内科", unit=p.lead_a)
    staff = {name: make_staff(name, unit=p.lead_a, department=dept, post="护士") for name in ("赵敏", "钱进", "孙立")}
    for s in staff.values():
        u = User.objects.get(pk=s.user_id)
        u.status = "active"
        u.set_password(PASSWORD)
        u.save()
    w.people = {n: User.objects.get(pk=s.user_id) for n, s in staff.items()}
    w.staff_no = {n: s.staff_no for n, s in staff.items()}
    office = make_user("周薪资")
    member(office, p.tenant_a, p.lead_a)
    grant(office, "payroll_office", p.lead_a, p.tenant_a)
    w.people["office"] = office
    w.people["admin"] = p.users["tenant_admin"]
    return w
