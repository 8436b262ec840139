"""The shared pieces of the GraphQL layer: the mutation base class and error shapes.

Conventions (written up in graphql/README.md): a mutation takes one `input` and returns a payload
with the object and `errors { field code message }`. Business errors are data in the payload;
authentication and authorisation failures are top-level errors with `extensions.code`, and never
say whether the object exists.
"""

from __future__ import annotations

import graphene
from graphql import GraphQLError

from jianlian.core.errors import DomainError, PermissionDeniedError


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


class BaseMutation(graphene.Mutation):
    """Thin resolver around an action: run it, map DomainError into `errors`."""

    class Meta:
        abstract = True

    errors = graphene.List(graphene.NonNull(MutationError), required=True, description="业务错误；成功时为空列表。")

    login_required = True

    @classmethod
    def mutate(cls, root, info, input):
        if cls.login_required:
            require_user(info)
        try:
            return cls.perform(info, input)
        except PermissionDeniedError as e:
            raise auth_error(e.code, e.message) from None
        except DomainError as e:
            return cls(errors=[MutationError(**d) for d in e.as_dicts()])

    @classmethod
    def perform(cls, info, input):  # pragma: no cover - interface
        raise NotImplementedError


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
