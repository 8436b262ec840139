"""Persisted operations: an allow-list of documents by hash.

The frontend's graphql-codegen (client preset, `persistedDocuments: true`) writes a manifest
`{"<sha256>": "<document>"}`; it is copied to `graphql/persisted-documents.json` (setting
GRAPHQL_PERSISTED_DOCUMENTS). A request names a document by `documentId` (the codegen client)
or by `extensions.persistedQuery.sha256Hash` (Apollo's link). With GRAPHQL_PERSISTED_ONLY on,
a raw `query` runs only when its own hash is in the manifest.

Apollo's automatic persisted queries: outside persisted-only mode, a request that sends a hash
with its document registers it (in the cache, for GRAPHQL_APQ_TTL seconds) once the document has
parsed and validated, so later requests may send the hash alone. In persisted-only mode only the
manifest counts.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
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
    return hashlib.sha256(query.encode("utf-8", "surrogatepass")).hexdigest()


def _apq_key(doc_id: str) -> str:
    return f"graphql:apq:{doc_id}"


def resolve(data: dict) -> str | None:
    """The document text a request asks for, or a GraphQLError to answer with."""
    return lookup(data)[0]


def document_id(data: dict) -> str | None:
    """The hash a request names its document by (`documentId`, or Apollo's
    `extensions.persistedQuery.sha256Hash`), without its "sha256:" prefix; None when it names none."""
    doc_id = data.get("documentId") if isinstance(data.get("documentId"), str) else None
    extensions = data.get("extensions") if isinstance(data.get("extensions"), dict) else {}
    persisted = extensions.get("persistedQuery") if isinstance(extensions.get("persistedQuery"), dict) else {}
    doc_id = doc_id or persisted.get("sha256Hash")
    return str(doc_id).removeprefix("sha256:") if doc_id else None


def lookup(data: dict) -> tuple[str | None, str | None]:
    """(the document text a request asks for, the hash to register once it validates), or a
    GraphQLError to answer with."""
    query = data.get("query")
    doc_id = document_id(data)
    if doc_id:
        found = manifest().get(doc_id)
        if found is not None:
            return found, None
        if not settings.GRAPHQL_PERSISTED_ONLY:
            if isinstance(query, str) and query:
                if document_hash(query) != doc_id:
                    raise GraphQLError(_("持久化查询的哈希与查询文本不符。"),
                                       extensions={"code": "PERSISTED_QUERY_HASH_MISMATCH"})
                return query, doc_id
            found = cache.get(_apq_key(doc_id))
            if found is not None:
                return found, None
        raise GraphQLError(_("找不到该持久化查询，请更新客户端。"), extensions={"code": "PERSISTED_QUERY_NOT_FOUND"})
    if query and settings.GRAPHQL_PERSISTED_ONLY and document_hash(query) not in manifest():
        raise GraphQLError(_("本服务器只执行已登记的持久化查询。"), extensions={"code": "PERSISTED_QUERY_REQUIRED"})
    return query, None


def register(doc_id: str, query: str) -> None:
    """Remember a validated document under its hash (Apollo's automatic persisted queries)."""
    cache.set(_apq_key(doc_id), query, timeout=settings.GRAPHQL_APQ_TTL)
