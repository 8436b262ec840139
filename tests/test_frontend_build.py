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


FRONTEND_SRC = REPO_ROOT / "frontend" / "src"
PLATFORM_LOCALES = FRONTEND_SRC / "i18n" / "locales"
# Where feature folders and modules keep their frontends (the globs of frontend/src/app/modules.ts).
MODULE_FRONTENDS = [FRONTEND_SRC / "features", REPO_ROOT / "modules", REPO_ROOT / "tests" / "sample_modules"]
MODULE_SOURCES = [FRONTEND_SRC, *(folder for root in MODULE_FRONTENDS[1:] for folder in sorted(root.glob("*/frontend")))]


def _locale_folders() -> list[Path]:
    """The platform's locales folder and every feature folder's or module's."""
    folders = [PLATFORM_LOCALES]
    folders += sorted(FRONTEND_SRC.glob("features/*/locales"))
    for root in MODULE_FRONTENDS[1:]:
        folders += sorted(root.glob("*/frontend/locales"))
    return folders


def _leaves(tree, prefix=""):
    for key, value in tree.items():
        if isinstance(value, dict):
            yield from _leaves(value, f"{prefix}{key}.")
        else:
            assert isinstance(value, str) and value.strip(), f"{prefix}{key} is empty"
            yield f"{prefix}{key}", value


def _texts(folder: Path, language: str) -> dict[str, str]:
    path = folder / f"{language}.json"
    assert path.exists(), f"{path.relative_to(REPO_ROOT)} is missing"
    return dict(_leaves(json.loads(path.read_text(encoding="utf-8"))))


def test_both_interface_languages_have_the_same_texts_in_every_folder():
    assert len(_locale_folders()) > 1, "no feature folder brings its own texts: has the layout changed?"
    for folder in _locale_folders():
        zh, en = set(_texts(folder, "zh-CN")), set(_texts(folder, "en"))
        where = folder.relative_to(REPO_ROOT)
        assert zh - en == set(), f"missing in {where}/en.json: {sorted(zh - en)}"
        assert en - zh == set(), f"missing in {where}/zh-CN.json: {sorted(en - zh)}"


def test_no_text_is_defined_by_two_folders():
    seen: dict[str, Path] = {}
    for folder in _locale_folders():
        for key in _texts(folder, "zh-CN"):
            assert key not in seen, f"{key} is in {seen.get(key, folder).relative_to(REPO_ROOT)} and {folder.relative_to(REPO_ROOT)}"
            seen[key] = folder


def test_every_text_the_code_asks_for_exists():
    import re

    known = set()
    for folder in _locale_folders():
        known |= set(_texts(folder, "zh-CN"))

    used = set()
    for root in MODULE_SOURCES:
        for source in root.rglob("*.ts*"):
            if "gql" in source.parts or "node_modules" in source.parts:
                continue
            text = source.read_text(encoding="utf-8")
            used |= set(re.findall(r"\bt\('([A-Za-z]+\.[A-Za-z.]+)'", text))
            used |= set(re.findall(r"labelKey: '([A-Za-z]+\.[A-Za-z.]+)'", text))
    assert used, "no texts found: has the i18n call changed?"
    assert not sorted(used - known), sorted(used - known)
