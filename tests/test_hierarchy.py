"""The five-level tree: level rules, code rules, moves with history, all-or-nothing writes."""

import pytest

from jianlian.audit.models import AuditRecord
from jianlian.core.errors import DomainError, PermissionDeniedError
from jianlian.hierarchy.models import OrgUnit, UnitPlacement
from jianlian.hierarchy.services import create_unit, move_unit

HC = "health_commission"


def codes(err: DomainError) -> set[str]:
    return {p.code for p in err.problems}


def test_five_levels_build_a_tree(province):
    assert [u.name for u in province.member_a1.get_ancestors(include_self=True)] == [
        "浙江省卫生健康委员会", "杭州市卫生健康委员会", "桐庐县卫生健康局", "桐庐县第一人民医院", "桐庐县分水镇中心卫生院",
    ]


@pytest.mark.parametrize(
    "level,parent_attr,unit_type",
    [
        ("member", "county_a", "township_centre"),  # a member unit only under a lead unit
        ("lead", "city_a", "county_hospital"),  # a lead unit only under a county bureau
        ("hospital", "county_a", "general_hospital"),  # standalone hospitals under province or city
        ("city", "city_a", HC),
    ],
)
def test_level_violations_are_refused_and_nothing_is_written(province, level, parent_attr, unit_type):
    before = OrgUnit.objects.count(), AuditRecord.objects.count()
    with pytest.raises(DomainError) as e:
        create_unit(None, parent=getattr(province, parent_attr), level=level, name="错层单位", unit_type=unit_type,
                    division_code="330103" if level == "city" else "")
    assert "LEVEL_VIOLATION" in codes(e.value)
    assert "只能设在" in str(e.value.message)
    assert (OrgUnit.objects.count(), AuditRecord.objects.count()) == before


def test_second_province_root_is_refused(province):
    with pytest.raises(DomainError) as e:
        create_unit(None, parent=province.root, level="province", name="另一个省", unit_type=HC, division_code="320000")
    assert "LEVEL_VIOLATION" in codes(e.value)


def test_division_code_must_match_level_and_parent(province):
    cases = [
        ("330200", "DIVISION_LEVEL_MISMATCH"),  # a city code for a county
        ("320122", "DIVISION_PREFIX_MISMATCH"),  # another province's prefix
        ("330222", "DIVISION_PREFIX_MISMATCH"),  # 宁波's county under 杭州
        ("33012X", "INVALID_DIVISION_CODE"),
        ("", "REQUIRED"),
        ("330122", "DIVISION_CODE_TAKEN"),
    ]
    for code, expected in cases:
        with pytest.raises(DomainError) as e:
            create_unit(None, parent=province.city_a, level="county", name="某县卫生健康局", unit_type=HC, division_code=code)
        assert expected in codes(e.value), code


def test_all_problems_are_reported_at_once(province):
    with pytest.raises(DomainError) as e:
        create_unit(None, parent=province.lead_a, level="member", name="", unit_type="health_commission",
                    credit_code="91350100M000100Y44", division_code="330122")
    assert codes(e.value) >= {"INVALID_NAME", "INVALID_UNIT_TYPE", "INVALID_CREDIT_CODE", "DIVISION_CODE_NOT_APPLICABLE"}
    fields = {p.field for p in e.value.problems}
    assert {"name", "unitType", "creditCode", "divisionCode"} <= fields


def test_credit_code_is_validated_and_unique(province):
    unit = create_unit(None, parent=province.lead_a, level="member", name="桐庐县百江镇卫生院",
                       unit_type="township_centre", credit_code="91350100m000100y43")
    assert unit.credit_code == "91350100M000100Y43"
    with pytest.raises(DomainError) as e:
        create_unit(None, parent=province.lead_a, level="member", name="另一卫生院",
                    unit_type="township_centre", credit_code="91350100M000100Y43")
    assert "CREDIT_CODE_TAKEN" in codes(e.value)


def test_moving_a_township_centre_keeps_history_and_is_audited(province):
    # given a township centre of 桐庐's community
    centre = province.member_a2
    # when it moves to 象山's community
    moved = move_unit(province.users["province_admin"], centre, province.lead_b, reason="区划调整")
    # then the tree, the placement history and the audit log all say so
    assert moved.parent_id == province.lead_b.pk
    assert moved.is_descendant_of(OrgUnit.objects.get(pk=province.county_b.pk))
    history = list(UnitPlacement.objects.filter(unit=centre).order_by("valid_from"))
    assert [h.parent_id for h in history] == [province.lead_a.pk, province.lead_b.pk]
    assert history[0].valid_to is not None and history[1].valid_to is None
    rec = AuditRecord.objects.filter(action="hierarchy.move_unit", object_id=str(centre.pk)).get()
    assert rec.before["parent"] == province.lead_a.pk and rec.after["parent"] == province.lead_b.pk
    assert rec.actor_id == province.users["province_admin"].pk


def test_moves_that_break_the_rules_are_refused(province):
    with pytest.raises(DomainError) as e:
        move_unit(None, province.member_a1, province.county_b)  # a member must sit under a lead
    assert e.value.code == "LEVEL_VIOLATION"
    with pytest.raises(DomainError) as e:
        move_unit(None, province.city_a, province.county_a)  # into its own subtree
    assert e.value.code == "CYCLE"
    with pytest.raises(DomainError) as e:
        move_unit(None, province.county_a, province.city_b)  # 330122 cannot sit under 宁波 (3302)
    assert e.value.code == "DIVISION_PREFIX_MISMATCH"
    assert OrgUnit.objects.get(pk=province.member_a1.pk).parent_id == province.lead_a.pk


def test_a_city_supervisor_cannot_restructure_the_tree(province):
    with pytest.raises(PermissionDeniedError):
        move_unit(province.users["city_supervisor"], province.member_a2, province.lead_b)
    with pytest.raises(PermissionDeniedError):
        create_unit(province.users["doctor"], parent=province.lead_a, level="member", name="某卫生院",
                    unit_type="township_centre")
