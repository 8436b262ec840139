"""Persisted operations: an allow-list of documents by hash.

The frontend's graphql-codegen (client preset, `persistedDocuments: true`) writes a manifest
`{"<sha256>": "<document>"}`; it is copied to `graphql/persisted-documents.json` (setting
GRAPHQL_PERSISTED_DOCUMENTS). A request names a document by `documentId` (the codegen client)
or by `extensions.persistedQuery.sha256Hash` (Apollo's link). With GRAPHQL_PERSISTED_ONLY on,
a raw `query` runs only when its own hash is in the manifest.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from graphql import GraphQLError


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> dict[str, str]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {k.removeprefix("sha256:"): v for k, v in data.items()}


def manifest() -> dict[str, str]:
    path = Path(settings.GRAPHQL_PERSISTED_DOCUMENTS)
    if not path.exists():
        return {}
    return _load(str(path), path.stat().st_mtime)


def document_hash(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


def resolve(data: dict) -> str | None:
    """The document text a request asks for, or a GraphQLError to answer with."""
    query = data.get("query")
    doc_id = data.get("documentId") if isinstance(data.get("documentId"), str) else None
    extensions = data.get("extensions") if isinstance(data.get("extensions"), dict) else {}
    persisted = extensions.get("persistedQuery") if isinstance(extensions.get("persistedQuery"), dict) else {}
    doc_id = doc_id or persisted.get("sha256Hash")
    if doc_id:
        doc_id = str(doc_id).removeprefix("sha256:")
        found = manifest().get(doc_id)
        if found is None:
            raise GraphQLError(_("找不到该持久化查询，请更新客户端。"), extensions={"code": "PERSISTED_QUERY_NOT_FOUND"})
        return found
    if query and settings.GRAPHQL_PERSISTED_ONLY and document_hash(query) not in manifest():
        raise GraphQLError(_("本服务器只执行已登记的持久化查询。"), extensions={"code": "PERSISTED_QUERY_REQUIRED"})
    return query
