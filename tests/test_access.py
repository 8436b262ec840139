"""One permission check for every entry point: roles granted at a node cover its subtree, and
supervisors see aggregates, never patient data."""

import pytest
from django.core.exceptions import ValidationError

from jianlian.access.checks import has_perm, scope_nodes
from jianlian.access.models import Role

# Who × where × what. "own" is inside the subtree the role was granted at, "other" is outside.
MATRIX = [
    # (user, permission, node attribute, expected)
    ("province_admin", "platform.manage_tenants", "lead_b", True),
    ("province_admin", "supervision.view_aggregates", "member_b1", True),
    ("province_admin", "referrals.view", "member_a1", False),  # patient data: never for the commission
    ("city_supervisor", "supervision.view_aggregates", "member_a2", True),  # own city, down to members
    ("city_supervisor", "supervision.view_aggregates", "lead_b", False),  # another city
    ("city_supervisor", "supervision.view_aggregates", "root", False),  # above its node
    ("city_supervisor", "patients.view", "member_a1", False),  # aggregates only
    ("city_supervisor", "platform.manage_tenants", "lead_a", False),
    ("tenant_admin", "platform.manage_users", "member_a2", True),  # own community
    ("tenant_admin", "platform.manage_users", "member_b1", False),  # other community
    ("tenant_admin", "platform.manage_tenants", "lead_a", False),
    ("tenant_admin", "supervision.view_aggregates", "lead_a", False),
    ("doctor", "referrals.create", "member_a1", True),  # own unit
    ("doctor", "patients.view", "member_a1", True),
    ("doctor", "patients.view", "member_a2", False),  # a sibling unit of the same community
    ("doctor", "patients.view", "member_b1", False),  # another community
    ("doctor", "platform.manage_users", "member_a1", False),
    ("doctor", "supervision.view_aggregates", "member_a1", False),
]


@pytest.mark.parametrize("who,code,where,expected", MATRIX)
def test_permission_matrix(province, who, code, where, expected):
    assert has_perm(province.users[who], code, getattr(province, where)) is expected


@pytest.fixture
def province(db, shared_province):
    """Every test here only reads: they share one province (see conftest.shared_province)."""
    return shared_province


def test_a_tenant_or_an_object_with_a_unit_is_placed_by_its_node(province):
    admin = province.users["tenant_admin"]
    assert has_perm(admin, "platform.manage_users", province.tenant_a)
    assert not has_perm(admin, "platform.manage_users", province.tenant_b)


def test_disabled_or_anonymous_users_hold_nothing(province):
    from django.contrib.auth.models import AnonymousUser

    from jianlian.identity.models import User

    doctor = User.objects.get(pk=province.users["doctor"].pk)
    doctor.is_active = False
    assert not has_perm(doctor, "platform.use", province.member_a1)
    assert not has_perm(AnonymousUser(), "platform.use", province.member_a1)


def test_scope_nodes_lists_the_subtree(province):
    names = set(scope_nodes(province.users["city_supervisor"], "supervision.view_aggregates").values_list("name", flat=True))
    assert "桐庐县分水镇中心卫生院" in names and "杭州市卫生健康委员会" in names
    assert not any("象山" in n or "宁波" in n for n in names)


def test_grants_are_loaded_once_per_user(province, django_assert_num_queries):
    city = province.users["city_supervisor"]
    has_perm(city, "platform.use", province.root)  # loads and caches
    with django_assert_num_queries(0):
        for node in (province.member_a1, province.member_a2, province.lead_b, province.root):
            has_perm(city, "supervision.view_aggregates", node)


def test_an_aggregates_only_role_cannot_be_given_patient_data(db):
    role = Role(code="bad_supervisor", name="错误的监管角色", permissions=["supervision.view_aggregates", "patients.view"],
                aggregates_only=True)
    with pytest.raises(ValidationError) as e:
        role.full_clean()
    assert "patients.view" in str(e.value)


def test_unknown_permission_codes_are_refused(db):
    role = Role(code="typo", name="拼写错误", permissions=["referals.accept"])
    with pytest.raises(ValidationError) as e:
        role.full_clean()
    assert "referals.accept" in str(e.value)
