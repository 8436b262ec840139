"""The test factories themselves: what every suite relies on to build people."""

from tests.factories import make_id_number
from jianlian.core.validators import validate_id_number


def test_generated_id_numbers_stay_distinct_and_valid_over_a_whole_session():
    # a full run builds a few thousand people; the identity table refuses a repeated ID number
    # (its blind index is unique), so a repeat fails whichever test happens to draw it
    numbers = [make_id_number() for _ in range(5000)]
    assert len(set(numbers)) == len(numbers)
    for number in numbers[::97]:
        validate_id_number(number)
