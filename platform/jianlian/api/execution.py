"""DataLoader-aware execution for the sync view (graphql-sync-dataloaders), made to work with
the graphql-core we run, plus `then` to map a loader's result."""

from __future__ import annotations

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
