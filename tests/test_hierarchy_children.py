"""Issue 17 item 6: a unit offers 新增下级单位 only where the hierarchy allows children, and says
which levels; a village clinic (村卫生室) can sit under its township centre (乡村一体化), nothing
else can sit under a member unit."""

from __future__ import annotations

import pytest
from graphql_relay import to_global_id

from jianlian.core.errors import DomainError
from jianlian.hierarchy.services import create_unit, move_unit
from tests.utils import gql

CHILD_LEVELS = """query($id: ID!) { node(id: $id) { ... on OrgUnit { childLevels } } }"""


def _codes(fn, *args, **kwargs):
    with pytest.raises(DomainError) as e:
        fn(*args, **kwargs)
    return [p.code for p in e.value.problems]


def test_child_levels_follow_the_hierarchy(client, province):
    p = province
    admin = p.users["province_admin"]

    def levels(unit):
        status, body = gql(client, CHILD_LEVELS, {"id": to_global_id("OrgUnit", unit.pk)}, user=admin)
        assert status == 200, body
        return body["data"]["node"]["childLevels"]

    village = create_unit(None, parent=p.member_a1, level="member", name="桐庐县分水镇上方村卫生室", unit_type="village_clinic")
    assert levels(p.root) == ["CITY", "COUNTY", "HOSPITAL"]
    assert levels(p.lead_a) == ["MEMBER"]
    assert levels(p.member_a1) == ["MEMBER"]  # a township centre takes its village clinics
    assert levels(p.hospital) == [] and levels(village) == []  # no 新增下级单位 there


def test_a_village_clinic_sits_under_its_township_centre_and_nothing_else_under_a_member(province):
    p = province
    village = create_unit(None, parent=p.member_a1, level="member", name="桐庐县分水镇前山村卫生室", unit_type="village_clinic")
    assert village.parent_id == p.member_a1.pk
    assert _codes(create_unit, None, parent=p.member_a1, level="member", name="某卫生院", unit_type="township_centre") == ["LEVEL_VIOLATION"]
    assert _codes(create_unit, None, parent=village, level="member", name="某村卫生室", unit_type="village_clinic") == ["LEVEL_VIOLATION"]
    # and an existing village clinic of the community moves under its centre
    other = create_unit(None, parent=p.lead_a, level="member", name="桐庐县横村镇桥头村卫生室", unit_type="village_clinic")
    assert move_unit(None, other, p.member_a2).parent_id == p.member_a2.pk
    assert _codes(move_unit, None, p.member_a2, p.member_a1) == ["LEVEL_VIOLATION"]
