"""What the supervision resolvers share."""

from __future__ import annotations

from jianlian.api.base import auth_error, decode_id
from jianlian.core.errors import PermissionDeniedError


def perm_error(fn, *args, **kwargs):
    """Call a read; a refusal becomes the top-level PERMISSION_DENIED error."""
    try:
        return fn(*args, **kwargs)
    except PermissionDeniedError as e:
        raise auth_error(e.code, e.message) from None


def node_id(unit) -> int:
    """An org unit's primary key from its Relay ID (INVALID_ID otherwise)."""
    return decode_id(unit, "OrgUnit", "unit")
