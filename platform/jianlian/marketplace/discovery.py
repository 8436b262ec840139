"""Finding the marketplace modules on disk, before Django starts (settings.py calls this).

A module is a Django app in a folder under a module root (`modules/` in the repository) that has
both `apps.py` and `manifest.py`. Adding a module is adding its folder: no platform file changes.
"""

from __future__ import annotations

from pathlib import Path


def module_apps(root: Path, package: str) -> list[str]:
    """Dotted names of the module apps directly under `root` (imported as `package.<name>`)."""
    if not root.is_dir():
        return []
    return [
        f"{package}.{child.name}"
        for child in sorted(root.iterdir())
        if child.is_dir() and (child / "apps.py").is_file() and (child / "manifest.py").is_file()
        and not child.name.startswith(("_", "."))
    ]
