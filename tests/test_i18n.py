"""The second locale: English messages by Accept-Language, and a complete English catalogue.

Every user-facing string is written in Simplified Chinese as the gettext msgid. The catalogue
tests below fail when a string in the code has no English translation in one of the English
catalogues: the platform's platform/jianlian/locale/en/LC_MESSAGES/django.po, or an app's own
<app>/locale/en/LC_MESSAGES/django.po (Django reads every installed app's locale folder, so a
module ships its translations beside its code and touches no platform file). They scan the source
with `ast`, so they need no gettext tools (CI has none).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import polib
import pytest

from tests.factories import PASSWORD, make_user
from tests.utils import gql

ROOT = Path(__file__).resolve().parents[1]
EN_PO = ROOT / "platform" / "jianlian" / "locale" / "en" / "LC_MESSAGES" / "django.po"
SOURCE_ROOTS = ("platform", "tenants", "modules")
SKIP_DIRS = {"__pycache__", "migrations", "node_modules", ".venv", ".var"}

HOW_TO_FIX = (
    "Run `PYTHONPATH=platform:. .venv/bin/python manage.py makemessages -l en --ignore=.venv "
    "--ignore=node_modules --ignore=.var --ignore=tests` (needs the gettext tools), or add the "
    "entries to {po} by hand, then translate every empty msgstr into English."
).format(po=EN_PO.relative_to(ROOT))

SIGN_IN = """mutation($i: String!, $p: String!) { signIn(input: {identifier: $i, password: $p}) {
  errors { field code message } } }"""


# --- Accept-Language ------------------------------------------------------------------------------

@pytest.fixture(scope="module", autouse=True)
def _compiled_catalogues():
    """`make test` compiles the catalogues first; this keeps a bare `pytest` run working too."""
    from django.utils.translation.reloader import translation_file_changed

    from jianlian.core.compile_messages import catalogues, compile_catalogue

    for po_path in catalogues():
        if compile_catalogue(po_path):
            translation_file_changed(None, po_path.with_suffix(".mo"))  # drop Django's cached catalogues


def _sign_in_error(client, language: str | None) -> dict:
    user = make_user()
    headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    status, body = gql(client, SIGN_IN, {"i": user.username, "p": PASSWORD + "-wrong"}, **headers)
    assert status == 200 and "errors" not in body, body
    [error] = body["data"]["signIn"]["errors"]
    return error


@pytest.mark.parametrize("language", ["en", "en-US,en;q=0.9"])
def test_sign_in_error_is_english_for_an_english_client(client, db, language):
    error = _sign_in_error(client, language)
    assert error["code"] == "INVALID_CREDENTIALS"
    assert error["message"] == "Incorrect account or password."


@pytest.mark.parametrize("language", [None, "zh-hans", "zh-CN,zh;q=0.9"])
def test_sign_in_error_is_chinese_by_default_and_for_a_chinese_client(client, db, language):
    error = _sign_in_error(client, language)
    assert error["code"] == "INVALID_CREDENTIALS"
    assert error["message"] == "账号或密码不正确。"


# --- catalogue completeness -----------------------------------------------------------------------

# Django's makemessages keywords: name -> (index of msgctxt or None, index of msgid, index of plural or None)
GETTEXT_CALLS = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}


def _source_files():
    for name in SOURCE_ROOTS:
        base = ROOT / name
        if base.is_dir():
            for path in sorted(base.rglob("*.py")):
                if not SKIP_DIRS.intersection(path.relative_to(ROOT).parts):
                    yield path


def _string(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _translatable_strings():
    """(where, msgctxt, msgid, is_plural) of every gettext call with literal arguments; f-strings
    are reported with msgid None, as makemessages cannot extract them."""
    for path in _source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            if name not in GETTEXT_CALLS:
                continue
            ctx_i, id_i, plural_i = GETTEXT_CALLS[name]
            if len(node.args) <= id_i:
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            if isinstance(node.args[id_i], ast.JoinedStr):
                yield where, None, None, False
                continue
            msgid = _string(node.args[id_i])
            msgctxt = _string(node.args[ctx_i]) if ctx_i is not None else None
            if msgid is None or (ctx_i is not None and msgctxt is None):
                continue  # a variable: translated elsewhere, nothing to extract here
            yield where, msgctxt, msgid, plural_i is not None


def _english_catalogues() -> list[Path]:
    from jianlian.core.compile_messages import catalogues

    return [p for p in catalogues(ROOT) if p.parent.parent.name == "en"]


def _catalogue() -> list[polib.POEntry]:
    """The entries of every English catalogue (the platform's and each app's), as one list."""
    assert EN_PO.exists(), f"The English catalogue {EN_PO.relative_to(ROOT)} is missing. {HOW_TO_FIX}"
    entries = []
    for path in _english_catalogues():
        po = polib.pofile(str(path))
        assert not po.metadata_is_fuzzy, f"Remove the fuzzy flag from the header of {path.relative_to(ROOT)}."
        entries.extend(po)
    return entries


def _translated(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(v.strip() for v in entry.msgstr_plural.values())
    return bool(entry.msgstr.strip())


def test_every_string_in_the_code_has_an_english_translation():
    po = _catalogue()
    entries = {(e.msgctxt, e.msgid): e for e in po if not e.obsolete}
    found = list(_translatable_strings())
    assert found, "the source scan found no translatable strings at all"
    problems = []
    for where, msgctxt, msgid, _plural in found:
        if msgid is None:
            problems.append(f"{where}: an f-string cannot be translated; use %(name)s placeholders")
            continue
        entry = entries.get((msgctxt, msgid))
        if entry is None:
            problems.append(f"{where}: not in the catalogue: {msgid!r}")
        elif not _translated(entry) or "fuzzy" in entry.flags:
            problems.append(f"{where}: no English translation yet: {msgid!r}")
    assert not problems, "Untranslated strings:\n  " + "\n  ".join(problems) + "\n" + HOW_TO_FIX


def test_every_catalogue_entry_is_translated_and_not_fuzzy():
    po = _catalogue()
    bad = [e.msgid for e in po if not e.obsolete and (not _translated(e) or "fuzzy" in e.flags)]
    assert not bad, "Entries without a (non-fuzzy) English translation:\n  " + "\n  ".join(bad) + "\n" + HOW_TO_FIX


_PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdifrx]")


def test_translations_keep_the_placeholders():
    po = _catalogue()
    bad = []
    for e in po:
        if e.obsolete:
            continue
        wanted = set(_PLACEHOLDER.findall(e.msgid))
        if e.msgid_plural:  # a singular form may leave out the count; none may invent a name
            wanted |= set(_PLACEHOLDER.findall(e.msgid_plural))
            ok = lambda got: got <= wanted  # noqa: E731
        else:
            ok = lambda got: got == wanted  # noqa: E731
        for msgstr in (e.msgstr_plural.values() if e.msgid_plural else [e.msgstr]):
            if msgstr and not ok(set(_PLACEHOLDER.findall(msgstr))):
                bad.append(f"{e.msgid!r} -> {msgstr!r}")
    assert not bad, "Translations whose %(name)s placeholders differ from the msgid:\n  " + "\n  ".join(bad)
