"""The workbench's production build as the server uses it: the persisted-documents allow-list
matches the schema, the first page stays small, and Django serves the single-page app without
shadowing any API path."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from graphql import parse, validate

from tests.browser.conftest import record

REPO_ROOT = Path(__file__).resolve().parents[1]
MANIFEST = REPO_ROOT / "graphql" / "persisted-documents.json"
DIST = REPO_ROOT / "frontend" / "dist"
FIRST_PAGE_BUDGET = 1024 * 1024  # gzipped JavaScript of the first page


def test_every_persisted_document_is_named_by_its_hash_and_valid_against_the_schema():
    from jianlian.api.schema import schema

    # given the manifest graphql-codegen wrote for the server's allow-list
    documents = json.loads(MANIFEST.read_text(encoding="utf-8"))
    assert documents, "graphql/persisted-documents.json is empty"
    for key, text in documents.items():
        # then each key is "sha256:<hex of the text>", the form the server and the client use
        assert key == "sha256:" + hashlib.sha256(text.encode()).hexdigest(), key
        # and each operation still validates against the code's schema (a breaking API change
        # fails here, before a user meets it)
        errors = validate(schema.graphql_schema, parse(text))
        assert not errors, f"{text[:60]}…: {errors}"


def _first_page_chunks(manifest: dict) -> list[str]:
    entry = next(k for k, v in manifest.items() if v.get("isEntry"))
    seen: list[str] = []

    def walk(key):
        chunk = manifest[key]
        if chunk["file"] in seen:
            return
        seen.append(chunk["file"])
        for imported in chunk.get("imports", []):  # static imports load with the page; dynamic ones do not
            walk(imported)

    walk(entry)
    return seen


def test_the_first_page_loads_under_one_megabyte_of_gzipped_javascript():
    manifest_file = DIST / ".vite" / "manifest.json"
    if not manifest_file.exists():
        pytest.fail("frontend/dist is not built; run the tests through `make test`")
    files = _first_page_chunks(json.loads(manifest_file.read_text()))
    sizes = {f: (DIST / f"{f}.gz").stat().st_size if (DIST / f"{f}.gz").exists() else (DIST / f).stat().st_size
             for f in files}
    total = sum(sizes.values())
    record("first page JavaScript (gzip, from the build's manifest)", f"{total / 1024:.0f} KiB in {len(files)} files")
    assert total < FIRST_PAGE_BUDGET, f"{total / 1024:.0f} KiB gzipped for the first page: {sizes}"


@pytest.mark.django_db
def test_client_routes_get_the_app_and_api_paths_stay_the_apis(client, shared_province):
    slug = shared_province.tenant_a.slug
    for path in ("/", "/login", "/province/tenants", "/some/deep/route"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert b'<div id="root">' in response.content
        assert response["Cache-Control"] == "no-cache"
    assert client.get("/healthz").json()["status"] == "ok"
    assert client.get("/admin").status_code == 301  # Django's slash redirect, not the app
    assert client.get("/admin/").status_code == 302  # the admin's sign-in
    assert client.post("/graphql/", {"query": "{ me { id } }"}, content_type="application/json").json()["data"] == {"me": None}
    assert client.get(f"/t/{slug}/healthz").json()["tenant"] == slug
    assert client.get(f"/t/{slug}/some/page").status_code == 404  # a tenant address is the tenant's API
    assert client.get("/assets/missing-0123abcd.js").status_code == 404  # a missing file is not a page
    assert client.post("/login").status_code == 404
    for server_path in ("/apps/referrals/", "/.well-known/jwks.json", "/static/admin/x"):  # modules', keys', files
        assert b'<div id="root">' not in client.get(server_path).content, server_path


def test_both_interface_languages_have_the_same_texts():
    locales = REPO_ROOT / "frontend" / "src" / "i18n" / "locales"

    def keys(tree, prefix=""):
        for key, value in tree.items():
            if isinstance(value, dict):
                yield from keys(value, f"{prefix}{key}.")
            else:
                assert isinstance(value, str) and value.strip(), f"{prefix}{key} is empty"
                yield f"{prefix}{key}"

    zh = set(keys(json.loads((locales / "zh-CN.json").read_text(encoding="utf-8"))))
    en = set(keys(json.loads((locales / "en.json").read_text(encoding="utf-8"))))
    assert zh - en == set(), f"missing in en.json: {sorted(zh - en)}"
    assert en - zh == set(), f"missing in zh-CN.json: {sorted(en - zh)}"


def test_every_text_the_code_asks_for_exists():
    import re

    zh = json.loads((REPO_ROOT / "frontend" / "src" / "i18n" / "locales" / "zh-CN.json").read_text(encoding="utf-8"))

    def has(key):
        node = zh
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                return False
            node = node[part]
        return isinstance(node, str)

    used = set()
    for source in (REPO_ROOT / "frontend" / "src").rglob("*.ts*"):
        if "gql" in source.parts:
            continue
        text = source.read_text(encoding="utf-8")
        used |= set(re.findall(r"\bt\('([A-Za-z]+\.[A-Za-z.]+)'", text))
        used |= set(re.findall(r"labelKey: '([A-Za-z]+\.[A-Za-z.]+)'", text))
    assert used, "no texts found: has the i18n call changed?"
    assert not [k for k in used if not has(k)], sorted(k for k in used if not has(k))
