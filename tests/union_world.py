"""A hospital for the union tests: 桐庐 (tenant A) with the union installed; a union with two
sub-unions (内科, 外科, each tied to its department) and one group each; staff in both
departments who joined; an officer (王主席) of 内科分工会 only; the tenant admin as union
administrator; a counsellor (心理老师) and a lawyer (律师)."""

from __future__ import annotations

from dataclasses import dataclass, field


from jianlian.identity.models import User
from jianlian.marketplace import services as market
from modules.union import confidential, membership
from tenants.context import tenant_context
from tests.factories import grant, make_department, make_staff

PEOPLE = {"内科": ("赵敏", "钱进", "孙立", "王主席", "心理老师"), "外科": ("李想", "周舟", "吴桐", "律师")}


@dataclass
class World:
    p: object
    people: dict = field(default_factory=dict)
    nodes: dict = field(default_factory=dict)
    depts: dict = field(default_factory=dict)
    members: dict = field(default_factory=dict)

    def user(self, name: str) -> User:
        return self.people[name]


def build(p) -> World:
    """Call inside tenant_context(p.tenant_a)."""
    market.install(None, p.tenant_a, "union")
    w = World(p)
    w.depts = {"内科": make_department("UNK", "内科", unit=p.lead_a), "外科": make_department("UWK", "外科", unit=p.lead_a)}
    staff = {}
    for dept, names in PEOPLE.items():
        for name in names:
            staff[name] = make_staff(name, unit=p.lead_a, department=w.depts[dept])
    User.objects.filter(pk__in=[s.user_id for s in staff.values()]).update(status="active")
    w.people = {n: User.objects.get(pk=s.user_id) for n, s in staff.items()}
    admin = w.people["admin"] = p.users["tenant_admin"]
    grant(admin, "union_admin", p.lead_a, p.tenant_a)
    root = membership.create_node(admin, name="桐庐县第一人民医院工会")
    nk = membership.create_node(admin, name="内科分工会", parent_id=root.pk, department_id=w.depts["内科"].pk)
    wk = membership.create_node(admin, name="外科分工会", parent_id=root.pk, department_id=w.depts["外科"].pk)
    w.nodes = {"工会": root, "内科": nk, "外科": wk,
               "内科一组": membership.create_node(admin, name="内科一组", parent_id=nk.pk),
               "外科一组": membership.create_node(admin, name="外科一组", parent_id=wk.pk)}
    membership.set_officer(admin, nk.pk, w.people["王主席"].pk, title="主席")
    for name in ("赵敏", "钱进", "孙立", "王主席", "李想", "周舟", "吴桐"):
        w.members[name] = membership.join(w.people[name])
    confidential.add_counsellor(admin, w.people["心理老师"].pk, "counselling")
    confidential.add_counsellor(admin, w.people["律师"].pk, "legal")
    return w


def id_number(age: int, female: bool, seq: int) -> str:
    """A valid national ID number of someone `age` years old today (the 17th digit even for women)."""
    from django.utils import timezone

    from jianlian.core.validators import id_number_check_char

    today = timezone.localdate()
    born = today.replace(year=today.year - age, day=min(today.day, 28))
    first17 = f"110101{born:%Y%m%d}{seq:02d}{2 if female else 1}"
    return first17 + id_number_check_char(first17)


def module_world(django_db_blocker):
    """The world once per test module: `yield from module_world(django_db_blocker)` in a
    module-scoped fixture."""
    from tests.conftest import _built_for_the_module
    from tests.factories import build_province

    def make():
        p = build_province()
        with tenant_context(p.tenant_a):
            return build(p)

    yield from _built_for_the_module(django_db_blocker, make)


def entered(module_world_value):
    """The world for one test, inside its tenant, with cached grants forgotten."""
    held, world = module_world_value
    for u in world.people.values():
        u.__dict__.pop("_jl_grants", None)
        u.__dict__.pop("_jl_union_admin", None)
    with tenant_context(world.p.tenant_a):
        yield world


def call(client, w, who, query, variables=None):
    """A GraphQL call as `who` in 桐庐; the body (HTTP 200 asserted)."""
    from tests.utils import gql

    status, body = gql(client, query, variables, user=w.user(who), HTTP_X_TENANT="tonglu")
    assert status == 200, body
    return body
