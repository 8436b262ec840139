"""Compile the gettext catalogues (.po → .mo) without the gettext tools.

    python -m jianlian.core.compile_messages [--force]

The .mo files are build output (ignored by git). `make run`, `make test` and `make bench` run this
first; a fresh machine has no `msgfmt`, so the pure-Python `polib` does the work. A catalogue is
skipped when its .mo is newer than its .po. Django's own `compilemessages` would need gettext.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import polib

REPO_ROOT = Path(__file__).resolve().parents[3]
# Where locale directories may live: LOCALE_PATHS (platform/jianlian/locale) and any app's own.
SOURCE_ROOTS = ("platform", "tenants", "modules")
_SKIP_DIRS = {"__pycache__", "node_modules", ".venv", ".var", ".git"}


def catalogues(root: Path = REPO_ROOT) -> Iterator[Path]:
    """Every <...>/locale/<lang>/LC_MESSAGES/*.po under the source roots."""
    for name in SOURCE_ROOTS:
        base = root / name
        if not base.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
            here = Path(dirpath)
            if here.name == "LC_MESSAGES" and here.parent.parent.name == "locale":
                yield from (here / f for f in sorted(filenames) if f.endswith(".po"))


def compile_catalogue(po_path: Path, *, force: bool = False) -> bool:
    """Write the .mo beside `po_path`; returns False when it was already up to date."""
    mo_path = po_path.with_suffix(".mo")
    if not force and mo_path.exists() and mo_path.stat().st_mtime > po_path.stat().st_mtime:
        return False
    catalogue = polib.pofile(str(po_path))  # fuzzy and untranslated entries are left out of the .mo
    tmp = mo_path.with_name(f".{mo_path.name}.{os.getpid()}.tmp")
    try:
        catalogue.save_as_mofile(str(tmp))
        os.replace(tmp, mo_path)  # atomic: a running server never reads a half-written file
    finally:
        tmp.unlink(missing_ok=True)
    return True


def main(argv: list[str] | None = None) -> int:
    force = "--force" in (sys.argv[1:] if argv is None else argv)
    for po_path in catalogues():
        if compile_catalogue(po_path, force=force):
            print(f"compiled {po_path.relative_to(REPO_ROOT).with_suffix('.mo')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
