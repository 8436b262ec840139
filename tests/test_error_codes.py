"""Every error code the code raises is registered, so the API can return it as an `ErrorCode`.

Two nets: a scan of the source for literal codes (catches code paths no test reaches), and
`ERROR_CODES_STRICT` in the test settings, which makes raising an unregistered code fail the test
that reaches it (catches codes built at run time).
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

from jianlian.api.schema import schema  # noqa: F401 — every module registered its codes
from jianlian.core.error_codes import REGISTRY
from jianlian.core.errors import DomainError

ROOTS = ("platform", "tenants", "modules", "tests/sample_modules")
RAISED = re.compile(
    r"""(?:DomainError|NotFoundError|PermissionDeniedError|auth_error|error_response)\(\s*(?:code=)?["']([A-Z][A-Z0-9_]+)["']"""
    r"""|\bcode=["']([A-Z][A-Z0-9_]+)["']"""
)


def _raised_codes() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for root in ROOTS:
        for path in (Path(settings.REPO_ROOT) / root).rglob("*.py"):
            for m in RAISED.finditer(path.read_text(encoding="utf-8")):
                found.setdefault(m.group(1) or m.group(2), set()).add(str(path.relative_to(settings.REPO_ROOT)))
    return found


def test_every_code_raised_in_the_source_is_registered():
    raised = _raised_codes()
    assert len(raised) > 50  # the scan sees the code base
    missing = {code: sorted(paths) for code, paths in raised.items() if code not in REGISTRY}
    assert not missing, f"raised but never registered: {missing}"


def test_raising_an_unregistered_code_fails_in_tests():
    with pytest.raises(AssertionError, match="NO_SUCH_CODE"):
        DomainError("NO_SUCH_CODE", "x")


def test_django_validator_codes_fall_back_to_a_registered_one():
    from django.core.exceptions import ValidationError

    err = DomainError.from_validation_error(ValidationError({"name": ValidationError("太长", code="max_length")}))
    assert [(p.code, p.field) for p in err.problems] == [("INVALID", "name")]
