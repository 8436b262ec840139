"""DataLoaders, one set per request: every relation a list can touch is fetched in one query
per level, whatever the number of rows (graphql-sync-dataloaders, for the sync view)."""

from __future__ import annotations

from collections import defaultdict

from graphql_sync_dataloaders import SyncDataLoader


def _loaders(context) -> dict:
    store = getattr(context, "_jl_loaders", None)
    if store is None:
        store = {}
        context._jl_loaders = store
    return store


def by_id(context, model, *, select_related: tuple[str, ...] = ()) -> SyncDataLoader:
    """Rows of `model` by primary key."""
    key = ("by_id", model, select_related)
    store = _loaders(context)
    if key not in store:
        def batch(ids):
            rows = model.objects.select_related(*select_related).in_bulk(ids)
            return [rows.get(i) for i in ids]

        store[key] = SyncDataLoader(batch)
    return store[key]


def by_field(context, model, field: str, *, many: bool = False, filters: dict | None = None,
             order: tuple[str, ...] = ("pk",)) -> SyncDataLoader:
    """Rows of `model` whose `field` equals the key: one row (or None), or a list with many=True."""
    key = ("by_field", model, field, many, tuple(sorted((filters or {}).items())), order)
    store = _loaders(context)
    if key not in store:
        def batch(keys):
            grouped = defaultdict(list)
            for row in model.objects.filter(**{f"{field}__in": keys}, **(filters or {})).order_by(*order):
                grouped[getattr(row, field)].append(row)
            if many:
                return [grouped.get(k, []) for k in keys]
            return [grouped[k][0] if grouped.get(k) else None for k in keys]

        store[key] = SyncDataLoader(batch)
    return store[key]
