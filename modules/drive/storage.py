"""Where the encrypted bytes live: Django's storage API.

Stored versions go to the drive's storage: `DRIVE_STORAGE` (a setting, or the same JSON in the
environment variable of that name) in Django's `STORAGES` shape, e.g.

    DRIVE_STORAGE='{"BACKEND": "storages.backends.s3.S3Storage",
                    "OPTIONS": {"bucket_name": "jianlian-drive", "endpoint_url": "https://oss.example",
                                "access_key": "…", "secret_key": "…", "region_name": "cn-east-1"}}'

for any S3-compatible object store (django-storages); by default a local directory,
`DRIVE_ROOT` (default `.var/drive/files`). Names start with the tenant's schema, so each
tenant's files sit under their own prefix. Uploads in progress are appended to a staging file on
local disk (`DRIVE_STAGING_DIR`, default `.var/drive/staging`; object stores cannot append) and
handed to the storage when complete — moved, not copied, when the storage is the local disk.
Everything on either side is ciphertext (crypto.py).
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import connection
from django.utils import timezone
from django.utils.module_loading import import_string


def _var() -> Path:
    return Path(getattr(settings, "REPO_ROOT", Path.cwd())) / ".var" / "drive"


def storage():
    config = getattr(settings, "DRIVE_STORAGE", None) or os.environ.get("DRIVE_STORAGE") or ""
    if isinstance(config, str) and config:
        config = json.loads(config)
    if config:
        return import_string(config["BACKEND"])(**config.get("OPTIONS", {}))
    from django.core.files.storage import FileSystemStorage

    root = getattr(settings, "DRIVE_ROOT", None) or os.environ.get("DRIVE_ROOT") or _var() / "files"
    return FileSystemStorage(location=str(root))


def staging_path(upload_id) -> Path:
    root = Path(getattr(settings, "DRIVE_STAGING_DIR", None) or os.environ.get("DRIVE_STAGING_DIR") or _var() / "staging")
    folder = root / connection.schema_name
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{upload_id}.part"


class _StagedFile(File):
    """A finished staging file; `temporary_file_path` lets FileSystemStorage move it in place."""

    def temporary_file_path(self) -> str:
        return self.name


def store(staged: Path) -> str:
    """Hand a complete staging file to the storage; returns the stored name."""
    name = f"{connection.schema_name}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.bin"
    with open(staged, "rb") as fh:
        stored = storage().save(name, _StagedFile(fh, name=str(staged)))
    staged.unlink(missing_ok=True)
    return stored
