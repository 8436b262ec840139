"""The shared pieces of the GraphQL layer: the mutation base class and error shapes.

Conventions (written up in graphql/README.md): a mutation takes one `input` and returns a payload
with the object and `errors { field code message }`. Business errors are data in the payload;
authentication and authorisation failures are top-level errors with `extensions.code`, and never
say whether the object exists.
"""

from __future__ import annotations

import graphene
from graphql import GraphQLError

from jianlian.core.errors import DomainError, NotFoundError, PermissionDeniedError


_error_code_enum = None


def error_code_enum():
    """The `ErrorCode` enum, built once from the registry (after every module registered its
    codes, which happens before the schema is built)."""
    global _error_code_enum
    if _error_code_enum is None:
        import enum

        from jianlian.core.error_codes import REGISTRY

        py_enum = enum.Enum("ErrorCode", {code: code for code in sorted(REGISTRY)})
        py_enum.description = property(lambda member: REGISTRY[member.value])
        _error_code_enum = graphene.Enum.from_enum(py_enum, description="稳定的错误代码：程序据此判断，永不改名。")
    return _error_code_enum


class MutationError(graphene.ObjectType):
    """One problem with a mutation's input or with the state it would change."""

    field = graphene.String(description="出错的输入字段（camelCase），与整个请求有关时为空。")
    code = graphene.Field(lambda: error_code_enum(), required=True, description="稳定的错误代码，供程序判断。")
    message = graphene.String(required=True, description="给用户看的说明，按 Accept-Language 本地化。")


def auth_error(code: str, message) -> GraphQLError:
    return GraphQLError(str(message), extensions={"code": code})


def require_user(info):
    from django.utils.translation import gettext as _

    user = info.context.user
    if not user.is_authenticated:
        raise auth_error("UNAUTHENTICATED", _("请先登录。"))
    return user


class GlobalID(graphene.InputField):
    """An input field holding the Relay ID of a `of` object: the base mutation decodes it, checks
    its type and hands `perform` the primary key (a list of IDs with `many=True`)."""

    def __init__(self, of: str, *, many: bool = False, required: bool = False, **kwargs):
        type_ = graphene.List(graphene.NonNull(graphene.ID)) if many else graphene.ID
        super().__init__(type_, required=required, **kwargs)
        self.id_type = of


class RawString(graphene.InputField):
    """A string input kept exactly as sent (passwords, file contents): not trimmed."""

    def __init__(self, **kwargs):
        super().__init__(graphene.String, **kwargs)
        self.raw = True


class MutationOptions(graphene.types.mutation.MutationOptions):
    permissions = None
    error_codes = ()
    heavy = False


class BaseMutation(graphene.Mutation):
    """The one choke point of every change (Saleor's `BaseMutation`).

    Each subclass declares in `Meta`: `description` (required), `permissions` (see
    `jianlian.api.permissions`: `PUBLIC`, `SIGNED_IN` or `Perm(code, at=…)`) and `error_codes`
    (the payload codes it may return), and optionally `heavy = True` for an operation that costs
    tens of milliseconds and may come from everyone at once (see `jianlian.api.lanes`). `mutate` then: requires sign-in unless public → cleans the
    input (`clean_input`) → checks the declared permission → `perform(info, cleaned)` → maps a
    `DomainError` into `errors` with the camelCase input field, or a `PermissionDeniedError` /
    `NotFoundError` into a top-level error (forbidden and missing answer alike). The permission and error codes are appended to the SDL description.
    """

    class Meta:
        abstract = True

    errors = graphene.List(graphene.NonNull(MutationError), required=True, description="业务错误；成功时为空列表。")

    @classmethod
    def __init_subclass_with_meta__(cls, description=None, permissions=None, error_codes=(), heavy=False, _meta=None, **options):
        from django.core.exceptions import ImproperlyConfigured

        if not description:
            raise ImproperlyConfigured(f"{cls.__name__}: Meta.description is required")
        if permissions is None:
            raise ImproperlyConfigured(f"{cls.__name__}: Meta.permissions is required (PUBLIC, SIGNED_IN or Perm(...))")
        _meta = _meta or MutationOptions(cls)
        _meta.permissions = permissions
        _meta.error_codes = tuple(error_codes)
        _meta.heavy = bool(heavy)
        super().__init_subclass_with_meta__(description=description, _meta=_meta, **options)

    @classmethod
    def Field(cls, name=None, deprecation_reason=None, required=False):  # noqa: N802 — graphene's name
        return graphene.Field(cls._meta.output, args=cls._meta.arguments, resolver=cls._meta.resolver, name=name,
                              description=describe(cls._meta.description, cls._meta.permissions, cls._meta.error_codes),
                              deprecation_reason=deprecation_reason, required=required)

    @classmethod
    def input_type(cls):
        arg = cls._meta.arguments["input"]
        return unwrap_type(arg.get_type() if hasattr(arg, "get_type") else arg.type)

    @classmethod
    def mutate(cls, root, info, input):
        from graphene.utils.str_converters import to_camel_case

        permissions = cls._meta.permissions
        if getattr(permissions, "login_required", True):
            require_user(info)
        try:
            input_cls = cls.input_type()
            cleaned = clean_input(input, input_cls) if issubclass(input_cls, graphene.InputObjectType) else {}
            cleaned.update(permissions.check(info, cleaned))
            return cls.perform(info, cleaned)
        except (PermissionDeniedError, NotFoundError) as e:  # one shape: never says whether it exists
            raise auth_error(e.code, e.message) from None
        except DomainError as e:
            return cls(errors=[MutationError(**{**d, "field": d["field"] and to_camel_case(d["field"])})
                               for d in e.as_dicts()])

    @classmethod
    def perform(cls, info, input):  # pragma: no cover - interface
        raise NotImplementedError


def action_mutation(name: str, description: str, *, permissions, error_codes=(), input, returns: dict, run):
    """A mutation that is one call: `run(user, input)` with the cleaned input (Relay IDs decoded)
    returns the payload's values as a dict; BaseMutation does the rest (sign-in, the declared
    permission, DomainError → `errors`). `permissions` has no default: every call site declares it.

    `input`: an InputObjectType class, or a dict of its fields (the class is then `<name>Input`,
    described by `description`). `returns`: the payload's fields, e.g.
    `{"announcement": graphene.Field(AnnouncementType, description="公告。")}` (one dict may serve
    several mutations). The class is named `name`, as a hand-written one would be."""
    if isinstance(input, dict):
        input = type(f"{name}Input", (graphene.InputObjectType,), {"__doc__": description, **input})
    meta = type("Meta", (), {"description": description, "permissions": permissions, "error_codes": tuple(error_codes)})
    args = type("Arguments", (), {"input": input(required=True)})

    def perform(cls, info, input):
        return cls(errors=[], **run(info.context.user, input))

    return type(name, (BaseMutation,), {**returns, "Meta": meta, "Arguments": args, "perform": classmethod(perform)})


class PermissionField(graphene.Field):
    """A query field that declares its permission like a mutation: checked before the resolver
    runs, and appended to the SDL description. `permissions` as in `BaseMutation.Meta`; a target
    (`unit_in("unit")`) reads the field's argument of that name (a Relay ID of an org unit)."""

    def __init__(self, type_, *args, permissions, description, **kwargs):
        super().__init__(type_, *args, description=describe(description, permissions), **kwargs)
        self.permissions = permissions

    def wrap_resolve(self, parent_resolver):
        resolve = super().wrap_resolve(parent_resolver)
        permissions = self.permissions

        def resolver(root, info, **args):
            try:
                permissions.check(info, _decoded_targets(permissions, args))
            except DomainError as e:  # forbidden, missing, or a malformed target ID: a top-level error
                raise auth_error(e.code, e.message) from None
            return resolve(root, info, **args)

        return resolver


def _decoded_targets(permissions, args) -> dict:
    """A query's target arguments decoded (a bad one is refused like a forbidden one)."""
    from jianlian.api.permissions import unit_in

    at = getattr(permissions, "at", None)
    kind = "OrgUnit" if isinstance(at, unit_in) else "Tenant"
    return {**args, **{f: decode_id(args[f], kind, f) for f in getattr(at, "fields", ()) if args.get(f)}}


def describe(description: str, permissions, error_codes=()) -> str:
    """A field's SDL description: what it does, its declared permission, its error codes."""
    parts = [description.strip(), permissions.describe()]
    if error_codes:
        parts.append("错误代码：" + "、".join(error_codes) + "。")
    return "\n\n".join(parts)


def unwrap_type(t):
    """The named type under NonNull / List wrappers (graphene or a lambda)."""
    while True:
        if callable(t) and not isinstance(t, type):
            t = t()
        elif hasattr(t, "of_type"):
            t = t.of_type
        else:
            return t


NUL = "\x00"


def clean_input(data, input_cls, path: str = "") -> dict:
    """The input as plain Python, the one place every mutation's input is cleaned: strings
    trimmed (NUL refused), enums unwrapped to their values, Relay IDs of `GlobalID` fields decoded
    to primary keys of the declared type, nested inputs cleaned alike. Raises DomainError naming
    the camelCase field."""
    from graphene.utils.str_converters import to_camel_case

    problems = []
    out = {}
    fields = input_cls._meta.fields
    for name, value in (data or {}).items():
        field = fields.get(name)
        where = f"{path}{to_camel_case(name)}"
        try:
            out[name] = _clean_value(value, field, where)
        except DomainError as e:
            problems.extend(e.problems)
    if problems:
        raise DomainError.many(problems)
    return out


def _clean_value(value, field, where):
    import enum

    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return [_clean_value(v, field, f"{where}") for v in value]
    id_type = getattr(field, "id_type", None)
    if id_type:
        return decode_id(value, id_type, where)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, str):
        if getattr(field, "raw", False):
            return value
        if NUL in value:
            from django.utils.translation import gettext as _

            raise DomainError("INVALID_CHARACTER", _("输入包含不允许的控制字符。"), where)
        return value.strip()
    if isinstance(value, dict) and field is not None:
        nested = unwrap_type(field.type)
        if hasattr(nested, "_meta") and hasattr(nested._meta, "fields"):
            return clean_input(value, nested, f"{where}.")
    return value


def decode_id(global_id: str, expected_type: str, field: str = "id") -> int:
    """A Relay global ID of the expected type, as a primary key; a clear error otherwise."""
    from django.utils.translation import gettext as _
    from graphql_relay import from_global_id

    try:
        type_name, pk = from_global_id(global_id or "")
        if type_name != expected_type:
            raise ValueError
        return int(pk)
    except (ValueError, TypeError, UnicodeDecodeError):
        raise DomainError("INVALID_ID", _("ID 格式不正确。"), field) from None
