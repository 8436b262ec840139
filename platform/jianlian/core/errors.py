"""Business errors with a stable code for programs and a message for people.

Actions raise `DomainError`; the GraphQL layer turns it into `errors { field code message }` in a
mutation payload (or into a top-level error with `extensions.code` for authorisation), the CLI
prints it, and the admin shows it. Codes are part of the API contract: never rename one.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError


class DomainError(Exception):
    """One or more problems with an input or a state, each with a stable code."""

    def __init__(self, code: str, message, field: str | None = None, *, problems: Iterable["DomainError"] = ()):
        _check_registered(code)
        self.code = code
        self.message = message
        self.field = field
        self.problems = list(problems) or [self]
        super().__init__(f"{code}: {message}")

    @classmethod
    def many(cls, problems: list["DomainError"]) -> "DomainError":
        first = problems[0]
        return cls(first.code, first.message, first.field, problems=problems)

    def as_dicts(self) -> list[dict]:
        return [{"field": p.field, "code": p.code, "message": str(p.message)} for p in self.problems]

    @classmethod
    def from_validation_error(cls, error: ValidationError, default_code: str = "INVALID") -> "DomainError":
        problems = []
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                for e in errors:
                    problems.append(cls(_code(e, default_code), _message(e), None if field == "__all__" else field))
        else:
            for e in error.error_list:
                problems.append(cls(_code(e, default_code), _message(e)))
        return cls.many(problems)


def _check_registered(code: str) -> None:
    """With `ERROR_CODES_STRICT` (the test settings), raising an unregistered code fails at once:
    such a code has no `ErrorCode` enum value, so the API could not return it."""
    from django.conf import settings

    if getattr(settings, "ERROR_CODES_STRICT", False):
        from jianlian.core.error_codes import is_registered

        if not is_registered(code):
            raise AssertionError(f"error code {code!r} is raised but not registered (jianlian.core.error_codes "
                                 "or the module manifest's error_codes)")


class PermissionDeniedError(DomainError):
    """The caller may not do this. Raised without saying whether the target exists."""

    def __init__(self, message=None, code: str = "PERMISSION_DENIED"):
        from django.utils.translation import gettext_lazy as _

        super().__init__(code, message or _("您没有执行此操作的权限。"))


class NotFoundError(DomainError):
    def __init__(self, message=None, code: str = "NOT_FOUND", field: str | None = None):
        from django.utils.translation import gettext_lazy as _

        super().__init__(code, message or _("对象不存在或您无权访问。"), field)


def _code(e: ValidationError, default: str) -> str:
    """A Django validator's code as ours when we registered it (`invalid_mobile`), else `default`
    (Django's own `max_length`, `unique` … are not part of the API's `ErrorCode`)."""
    from jianlian.core.error_codes import is_registered

    code = (e.code or default).upper()
    return code if code.isidentifier() and is_registered(code) else default


def _message(e: ValidationError):
    return e.message % e.params if e.params else e.message


def error_response(code: str, message, status: int):
    """A JSON error for a plain HTTP endpoint, shaped like a GraphQL top-level error so that
    clients handle both the same way."""
    from django.http import JsonResponse

    return JsonResponse(
        {"errors": [{"message": str(message), "extensions": {"code": code}}]},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )
