"""A publisher who picks a value outside a choice in an external app's manifest is told which
values are allowed (in Chinese, and in English under an English request)."""

from __future__ import annotations

import pytest
from django.utils import translation

from jianlian.core.errors import DomainError
from jianlian.marketplace import external
from tests.test_marketplace_external import _doc


def _messages(doc):
    with pytest.raises(DomainError) as e:
        external.validate_manifest_document(doc)
    return [(p.field, str(p.message)) for p in e.value.problems]


def test_a_category_outside_the_choice_lists_the_allowed_values():
    assert _messages(_doc(category="surgery")) == [
        ("category", "取值不在允许范围内，可选：administrative、clinical、public_health、management。")]
    with translation.override("en"):
        assert _messages(_doc(category="surgery"))[0][1].startswith("The value is not one of the allowed values: administrative")
