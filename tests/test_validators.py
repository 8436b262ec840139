"""National codes: ID numbers (GB 11643), division codes (GB/T 2260), credit codes (GB 32100),
mobiles and slugs. Each bad value gets a stable code and a Chinese message."""

import pytest
from django.core.exceptions import ValidationError

from jianlian.core import validators as v

# Published examples with correct check characters.
GOOD_ID = "11010519491231002X"
GOOD_CREDIT = "91350100M000100Y43"


def test_valid_id_number_is_normalised():
    assert v.validate_id_number(" 11010519491231002x ") == GOOD_ID
    assert v.mask_id_number(GOOD_ID) == "110***********002X"


@pytest.mark.parametrize(
    "bad",
    [
        "110105194912310021",  # wrong check digit
        "11010519491231002",  # 17 characters
        "1101051949123100ZX",  # letters in the body
        "990105194912310021",  # no such province
        "110105194902300027",  # 30 February
        "110105299912310021",  # born in the future
    ],
)
def test_bad_id_numbers_are_refused_with_a_code(bad):
    with pytest.raises(ValidationError) as e:
        v.validate_id_number(bad)
    assert e.value.code == "INVALID_ID_NUMBER"
    assert "身份证" in e.value.messages[0]


def test_credit_code_check_character():
    assert v.validate_credit_code(GOOD_CREDIT.lower()) == GOOD_CREDIT
    for bad in ["91350100M000100Y44", "91350100M000100Y4", "91350100I000100Y43"]:
        with pytest.raises(ValidationError) as e:
            v.validate_credit_code(bad)
        assert e.value.code == "INVALID_CREDIT_CODE"


def test_division_codes():
    assert v.validate_division_code("330122") == "330122"
    assert [v.division_level(c) for c in ("330000", "330100", "330122")] == ["province", "city", "county"]
    for bad in ["33012", "3301220", "990100", "33O122"]:
        with pytest.raises(ValidationError) as e:
            v.validate_division_code(bad)
        assert e.value.code == "INVALID_DIVISION_CODE"


def test_mobiles():
    assert v.validate_mobile("+86 138-0013-8000") == "13800138000"
    for bad in ["12800138000", "1380013800", "138001380001", "abc"]:
        with pytest.raises(ValidationError) as e:
            v.validate_mobile(bad)
        assert e.value.code == "INVALID_MOBILE"


def test_slugs():
    assert v.validate_slug("tonglu-2") == "tonglu-2"
    for bad, code in [("TL", "INVALID_SLUG"), ("1abc", "INVALID_SLUG"), ("ab--c", "INVALID_SLUG"),
                      ("abc-", "INVALID_SLUG"), ("t_lu", "INVALID_SLUG"), ("admin", "RESERVED_SLUG")]:
        with pytest.raises(ValidationError) as e:
            v.validate_slug(bad)
        assert e.value.code == code
