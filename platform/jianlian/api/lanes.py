"""Which HTTP requests are heavy: GraphQL operations whose root field a mutation declares
`Meta.heavy = True` (drawing a 50-question paper, for instance). The web process's queue
(jianlian.core.http_queue) lets only HTTP_HEAVY_CONCURRENCY of them run at once, so that when
2,000 people press 「开始考试」 together, those already answering still save in milliseconds
instead of waiting behind every paper being drawn.

Read from the request body alone, in the event loop, before any thread or database is touched:
the document's text (sent, or named by its hash in the persisted-documents manifest), parsed once
per distinct text. Anything that does not parse or name a known document is not heavy (the view
answers it as usual)."""

from __future__ import annotations

import json
from functools import lru_cache

from graphql import GraphQLError, OperationDefinitionNode, OperationType, get_named_type, parse

@lru_cache(maxsize=1)
def heavy_fields() -> frozenset[str]:
    """The mutation root fields declared heavy, from the schema."""
    from jianlian.api.schema import schema

    mutation = schema.graphql_schema.mutation_type
    if mutation is None:
        return frozenset()
    heavy = set()
    for name, field in mutation.fields.items():
        owner = getattr(get_named_type(field.type), "graphene_type", None)  # the payload: the mutation class
        meta = getattr(owner, "_meta", None)
        if getattr(meta, "heavy", False):
            heavy.add(name)
    return frozenset(heavy)


@lru_cache(maxsize=256)
def _heavy_document(query: str, operation_name: str | None) -> bool:
    try:
        document = parse(query)
    except GraphQLError:
        return False
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if len(operations) != 1 or operations[0].operation != OperationType.MUTATION:
        return False
    fields = heavy_fields()
    return any(getattr(s, "name", None) is not None and s.name.value in fields
               for s in operations[0].selection_set.selections)


def _document(data: dict) -> str | None:
    """The text sent, or the manifest's document the request names by hash (never Redis: this
    runs in the event loop)."""
    from jianlian.api.persisted import document_id, manifest

    query = data.get("query")
    if isinstance(query, str) and query:
        return query
    doc_id = document_id(data)
    return manifest().get(doc_id) if doc_id else None


def is_heavy(scope: dict, body: bytes) -> bool:
    """Whether this HTTP request (its ASGI scope and whole body) runs a heavy operation. A batch
    is heavy when any of its operations is."""
    if scope.get("method") != "POST" or not scope.get("path", "").rstrip("/").endswith("graphql"):
        return False
    try:
        data = json.loads(body)
    except ValueError:
        return False
    for entry in data if isinstance(data, list) else [data]:
        if not isinstance(entry, dict):
            continue
        query = _document(entry)
        name = entry.get("operationName")
        if query and _heavy_document(query, name if isinstance(name, str) else None):
            return True
    return False
