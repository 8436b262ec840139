"""DataLoader-aware execution for the sync view (graphql-sync-dataloaders), made to work with
the graphql-core we run, plus `then` to map a loader's result."""

from __future__ import annotations

from graphql import GraphQLBoolean, GraphQLNonNull, GraphQLObjectType
from graphql.pyutils import Path
from graphql_sync_dataloaders import DeferredExecutionContext, SyncFuture


def _path(keys) -> Path | None:
    path = None
    for key in keys or ():
        path = Path(path, key, None)
    return path


class ExecutionContext(DeferredExecutionContext):
    """graphql-core 3.2.14 added a `path` argument to handle_field_error, which
    graphql-sync-dataloaders 0.1.1 does not pass; rebuild it from the located error."""

    def handle_field_error(self, error, return_type, path=None):
        return super().handle_field_error(error, return_type, path if path is not None else _path(error.path))


def then(value, fn):
    """Apply `fn` to a value or, once it resolves, to a loader's future."""
    if not isinstance(value, SyncFuture):
        return fn(value)
    out = SyncFuture()
    out.deferred_callback = value.deferred_callback

    def done():
        try:
            out.set_result(fn(value.result()))
        except Exception as e:  # handed to the executor, which reports it on the field
            out.set_exception(e)

    if value.done():
        done()
    else:
        value.add_done_callback(done)
    return out


def settle_ok_fields(schema) -> None:
    """A mutation payload's required `ok` reads false when the action refused (BaseMutation
    answers a DomainError with `errors` alone): a client selecting `ok` gets an answer, not a
    server error for a null in a non-null field."""
    mutation = schema.graphql_schema.mutation_type
    for field in (mutation.fields.values() if mutation else ()):
        payload = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
        ok = payload.fields.get("ok") if isinstance(payload, GraphQLObjectType) else None
        if ok is not None and isinstance(ok.type, GraphQLNonNull) and ok.type.of_type.name == GraphQLBoolean.name:
            ok.resolve = _ok_or_false(ok.resolve)


def _ok_or_false(resolve):
    def resolver(root, info, **args):
        value = resolve(root, info, **args) if resolve else getattr(root, "ok", None)
        return bool(value)
    return resolver
