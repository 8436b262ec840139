"""Declared permissions for GraphQL fields: what a mutation or a query needs, and where.

A field declares one of:

- `PUBLIC` — anyone, signed in or not (sign-in, activation);
- `SIGNED_IN` — any signed-in user; the action decides per object (my notifications, my password);
- `PER_OBJECT` — `node(id:)`: each type's `get_node` decides;
- `Perm(code, …, at=…)` — the signed-in user holds one of the codes at the target the `at` finds:
  `unit_in("parent")` (the org unit an input field names), `tenant_in("id")` (the tenant an input field
  names), `CURRENT_TENANT` (the tenant of the request), `WORKSPACE` (the request's tenant, or the
  province on the console), or `Checked("…")` (the action finds the
  object and checks it there: the user must hold a code somewhere before the action runs).

The base mutation and `PermissionField` check the declaration before the resolver runs, and
append `describe()` to the field's description so the SDL documents it. A missing target and a
forbidden one answer alike (`PERMISSION_DENIED`), see `jianlian.access.helpers`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class _Marker:
    text: str
    login_required: bool

    def describe(self) -> str:
        return self.text

    def check(self, info, args) -> dict:
        if self.login_required:
            from jianlian.api.base import require_user

            require_user(info)
        return {}


PER_OBJECT = _Marker("权限：登录即可；每种对象按其类型的规则判断能否查看（看不到与不存在回答相同）。",
                     login_required=True)
PUBLIC = _Marker("权限：公开（无需登录）。", login_required=False)
SIGNED_IN = _Marker("权限：登录即可（只涉及本人的或本人有权查看的对象，由操作逐个判断）。", login_required=True)


class unit_in:  # noqa: N801 — reads as `at=unit_in("parent")`
    """The org units whose Relay IDs are in the input fields `fields` (snake_case); the code is
    needed at each. An empty optional field is left to the action (a province has no parent)."""

    def __init__(self, *fields: str, label: str = ""):
        self.fields, self.label = fields, label

    def describe(self) -> str:
        from graphene.utils.str_converters import to_camel_case

        return self.label or "、".join(f"`{to_camel_case(f)}`" for f in self.fields) + " 所指单位"

    def find(self, info, args, codes) -> dict:
        from jianlian.access.helpers import access_unit

        return {f: access_unit(info.context.user, args[f], codes) for f in self.fields if args.get(f) is not None}


class tenant_in:  # noqa: N801
    """The tenant whose Relay ID is in input field `field`."""

    def __init__(self, field: str):
        self.fields = (field,)

    def describe(self) -> str:
        from graphene.utils.str_converters import to_camel_case

        return f"`{to_camel_case(self.fields[0])}` 所指租户的单位"

    def find(self, info, args, codes) -> dict:
        from jianlian.access.helpers import access_tenant

        return {self.fields[0]: access_tenant(info.context.user, args.get(self.fields[0]), codes)}


@dataclass(frozen=True)
class _Where:
    """A target given by the request rather than the input: checked by an access helper."""

    text: str
    helper: str  # the name of the `jianlian.access.helpers` function

    def describe(self) -> str:
        return self.text

    def find(self, info, args, codes):
        from jianlian.access import helpers

        getattr(helpers, self.helper)(info.context.user, codes)
        return {}


CURRENT_TENANT = _Where("本租户", "access_current_tenant")
WORKSPACE = _Where("本租户；省级控制台为省", "access_workspace")


@dataclass(frozen=True)
class Checked:
    """The action finds the object and checks the code there (a referral's sending or receiving
    unit, a data set's province). Before it runs the user must hold one of the codes somewhere."""

    where: str

    def describe(self) -> str:
        return self.where

    def find(self, info, args, codes):
        from jianlian.access.checks import has_perm_anywhere
        from jianlian.core.errors import PermissionDeniedError

        if not any(has_perm_anywhere(info.context.user, c) for c in codes):
            raise PermissionDeniedError()
        return {}


@dataclass(frozen=True)
class Perm:
    """The user must hold one of `codes` at the target `at` finds."""

    codes: tuple[str, ...]
    at: object

    def __init__(self, *codes: str, at):
        object.__setattr__(self, "codes", tuple(codes))
        object.__setattr__(self, "at", at)

    def describe(self) -> str:
        return f"权限：{' 或 '.join(self.codes)}（{self.at.describe()}）。"

    def check(self, info, args) -> dict:
        """Raise UNAUTHENTICATED / PERMISSION_DENIED; return {field: fetched target} for `unit` and
        `tenant`, so that the mutation gets the object it was authorised on."""
        from jianlian.api.base import require_user

        require_user(info)
        return self.at.find(info, args, self.codes)
