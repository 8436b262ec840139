"""How an error reaches a GraphQL client: every error carries `extensions.code`, and a client's
mistake gets a client code, never `INTERNAL_ERROR`.

The rule is central: whatever a resolver raises is classified here, so a new field cannot turn
bad input into a server error. `DomainError` carries its own code; Django's `ValidationError`, a
value the database refuses (`DataError`: too long, out of range, malformed) and date arithmetic
past the calendar's end (`OverflowError`) are the caller's input, answered as `INVALID`. Anything
else is a bug: logged, sent to Sentry and hidden outside DEBUG.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DataError
from django.utils.translation import gettext as _
from graphql import GraphQLError

from jianlian.core.errors import DomainError

logger = logging.getLogger("jianlian.graphql")


def client_error(original: BaseException) -> tuple[str, str] | None:
    """(code, message) when `original` was caused by what the client sent, else None."""
    if isinstance(original, DomainError):  # raised by an action inside a query resolver
        return original.code, str(original.message)
    if isinstance(original, ValidationError):
        problem = DomainError.from_validation_error(original)
        return problem.code, str(problem.message)
    if isinstance(original, DataError):
        return "INVALID", _("输入的值超出允许的长度或范围，或格式不正确。")
    if isinstance(original, OverflowError):
        return "INVALID", _("日期或数值超出允许的范围。")
    return None


def format_error(error) -> dict:
    """Every error carries `extensions.code`; unexpected ones hide their details outside DEBUG."""
    if isinstance(error, GraphQLError):
        formatted = error.formatted
        original = error.original_error
        code = (error.extensions or {}).get("code")
        known = client_error(original) if original is not None and not isinstance(original, GraphQLError) else None
        if known is not None:
            code, formatted["message"] = known
        elif original is not None and not isinstance(original, GraphQLError) and code is None:
            logger.error("unexpected error in resolver", exc_info=original)
            _capture(original)
            if not settings.DEBUG:
                formatted["message"] = _("服务器内部错误，已通知运维人员。请稍后重试。")
            code = "INTERNAL_ERROR"
        formatted.setdefault("extensions", {})["code"] = code or "GRAPHQL_VALIDATION_FAILED"
        return formatted
    _capture(error)
    return {"message": _("服务器内部错误，已通知运维人员。请稍后重试。") if not settings.DEBUG else str(error),
            "extensions": {"code": "INTERNAL_ERROR"}}


def _capture(error) -> None:
    if settings.SENTRY_DSN:
        import sentry_sdk

        sentry_sdk.capture_exception(error)
