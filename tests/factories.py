"""Builders for a small but complete province: real tree, real tenants, real users and grants."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field, fields
from datetime import date, timedelta

from jianlian.access.models import Membership, Role, RoleGrant
from jianlian.core.validators import id_number_check_char
from jianlian.hierarchy.models import OrgUnit
from jianlian.hierarchy.services import create_unit
from jianlian.identity.models import User, UserStatus
from tenants.models import Tenant
from tenants.provisioning import create_tenant

PASSWORD = "Ceshi@2026pw"
_counter = itertools.count(1)


def make_id_number(region: str = "330122", born: str | None = None) -> str:
    """A valid ID number, distinct from every other one this process made: the sequence has three
    digits, so each thousand numbers move the birth date on a day (a fixed date ran out after 1,000
    and a full run repeated numbers)."""
    n = next(_counter)
    born = born or (date(1970, 1, 1) + timedelta(days=n // 1000)).strftime("%Y%m%d")
    seq = f"{n % 1000:03d}"
    first17 = region + born + seq
    return first17 + id_number_check_char(first17)


def make_user(real_name: str = "测试用户", *, password: str | None = PASSWORD, status=UserStatus.ACTIVE, **extra) -> User:
    n = next(_counter)
    mobile = extra.pop("mobile", f"139{random.randint(0, 9999):04d}{n:04d}")
    user = User(
        username=extra.pop("username", f"user{n}_{random.randint(0, 10**6)}"),
        mobile=mobile,
        real_name=real_name,
        id_number=extra.pop("id_number", make_id_number()),
        status=status,
        **extra,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    return user


def grant(user: User, role_code: str, node, tenant=None) -> RoleGrant:
    role = Role.objects.get(code=role_code, tenant=tenant)
    return RoleGrant.objects.create(user=user, role=role, node=node)


def member(user: User, tenant, unit, staff_no: str = "") -> Membership:
    return Membership.objects.create(user=user, tenant=tenant, unit=unit, staff_no=staff_no)


@dataclass
class Province:
    root: object
    city_a: object
    city_b: object
    county_a: object
    county_b: object
    lead_a: object
    lead_b: object
    member_a1: object
    member_a2: object
    member_b1: object
    hospital: object
    tenant_a: object
    tenant_b: object
    tenant_h: object
    users: dict = field(default_factory=dict)

    def fresh(self) -> Province:
        """The same province read again from the database: new instances, so that nothing one
        test changed or cached on them (a user's grants, a tenant's status) reaches the next."""
        unit_fields = [f.name for f in fields(self) if f.name not in ("users",) and not f.name.startswith("tenant_")]
        units = OrgUnit.objects.in_bulk([getattr(self, name).pk for name in unit_fields])
        tenants = Tenant.objects.in_bulk([self.tenant_a.pk, self.tenant_b.pk, self.tenant_h.pk])
        users = User.objects.in_bulk([u.pk for u in self.users.values()])
        return Province(
            **{name: units[getattr(self, name).pk] for name in unit_fields},
            **{name: tenants[getattr(self, name).pk] for name in ("tenant_a", "tenant_b", "tenant_h")},
            users={key: users[u.pk] for key, u in self.users.items()},
        )


SESSION: Province | None = None  # set by tests/conftest.py once the session's province is built


def build_province(suffix: str = "") -> Province:
    """The province of this test: the one the session built and committed, read afresh.

    A test on the `db` fixture changes it only inside its own transaction; a transactional test
    commits, and its teardown puts the database back as it was (tests/dbstate.py). `suffix` is
    not used any more (every test had its own province, with suffixed slugs); it is accepted so
    that call sites stay as they are."""
    if SESSION is None:
        raise RuntimeError("build_province() needs the database (a `db` or `transactional_db` test)")
    return SESSION.fresh()


def create_province() -> Province:
    """浙江 → 杭州 (桐庐: lead + 2 members) and 宁波 (象山: lead + 1 member), plus a standalone
    provincial hospital; three tenants; one user per built-in role. Built once per session
    (tests/conftest.py); tests get it through `build_province` or the `province` fixture."""
    hc = "health_commission"
    root = create_unit(None, parent=None, level="province", name="浙江省卫生健康委员会", unit_type=hc, division_code="330000")
    city_a = create_unit(None, parent=root, level="city", name="杭州市卫生健康委员会", unit_type=hc, division_code="330100")
    city_b = create_unit(None, parent=root, level="city", name="宁波市卫生健康委员会", unit_type=hc, division_code="330200")
    county_a = create_unit(None, parent=city_a, level="county", name="桐庐县卫生健康局", unit_type=hc, division_code="330122")
    county_b = create_unit(None, parent=city_b, level="county", name="象山县卫生健康局", unit_type=hc, division_code="330225")
    lead_a = create_unit(None, parent=county_a, level="lead", name="桐庐县第一人民医院", unit_type="county_hospital")
    lead_b = create_unit(None, parent=county_b, level="lead", name="象山县第一人民医院", unit_type="county_hospital")
    member_a1 = create_unit(None, parent=lead_a, level="member", name="桐庐县分水镇中心卫生院", unit_type="township_centre")
    member_a2 = create_unit(None, parent=lead_a, level="member", name="桐庐县横村镇卫生院", unit_type="township_centre")
    member_b1 = create_unit(None, parent=lead_b, level="member", name="象山县石浦镇中心卫生院", unit_type="township_centre")
    hospital = create_unit(None, parent=root, level="hospital", name="浙江省人民医院", unit_type="general_hospital")
    # MPTT renumbers intervals on every insert: re-read the units so their lft/rght are current.
    fresh = {u.pk: u for u in OrgUnit.objects.all()}
    root, city_a, city_b, county_a, county_b, lead_a, lead_b, member_a1, member_a2, member_b1, hospital = (
        fresh[u.pk] for u in (root, city_a, city_b, county_a, county_b, lead_a, lead_b, member_a1, member_a2, member_b1, hospital)
    )
    tenant_a = create_tenant(None, lead_a, "tonglu")
    tenant_b = create_tenant(None, lead_b, "xiangshan")
    tenant_h = create_tenant(None, hospital, "zjph")
    p = Province(root, city_a, city_b, county_a, county_b, lead_a, lead_b, member_a1, member_a2, member_b1,
                 hospital, tenant_a, tenant_b, tenant_h)

    u = p.users
    u["province_admin"] = make_user("王省管")
    grant(u["province_admin"], "province_admin", root)
    u["city_supervisor"] = make_user("李市督")
    grant(u["city_supervisor"], "city_supervisor", city_a)
    u["tenant_admin"] = make_user("张院管")
    member(u["tenant_admin"], tenant_a, lead_a)
    grant(u["tenant_admin"], "tenant_admin", lead_a, tenant_a)
    u["doctor"] = make_user("赵医生")
    member(u["doctor"], tenant_a, member_a1, staff_no="TL0001")
    grant(u["doctor"], "doctor", member_a1, tenant_a)
    u["doctor_b"] = make_user("钱医生")
    member(u["doctor_b"], tenant_b, member_b1)
    grant(u["doctor_b"], "doctor", member_b1, tenant_b)
    return p


# --- organisation (jianlian.org) ------------------------------------------------------------------

def make_department(code: str, name: str, *, unit, parent=None, kind: str = "department", category: str | None = None):
    """A department of the current tenant (call inside `tenant_context`)."""
    from jianlian.org.services import create_department

    return create_department(None, unit_id=unit.pk, code=code, name=name, parent_id=parent.pk if parent else None,
                             kind=kind, category=category)


def make_staff(name: str, *, unit, department, staff_no: str | None = None, mobile: str | None = None, **fields):
    """An active staff profile (and its pre-registered account) in the current tenant, onboarded
    through the real action with an effective time of now."""
    from django.utils import timezone

    from jianlian.org.services import onboard

    n = next(_counter)
    return onboard(
        None, staff_no=staff_no or f"S{n:05d}", name=name, mobile=mobile or f"137{random.randint(0, 9999):04d}{n:04d}",
        id_number=make_id_number(), unit_id=unit.pk, department_id=department.pk, effective_at=timezone.now(), **fields,
    )
