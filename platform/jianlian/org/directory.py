"""Directory sync: keep the organisation in step with an external directory (an HR system,
DingTalk, WeChat Work).

An adapter reads the directory and returns records in the import template's keys; the sync
feeds them through the same row engine as the Excel import (`importer.import_rows`, mode
`valid_only`), so it validates the same way, is idempotent (a second run with nothing changed in
the directory changes nothing) and reports what it created, updated and left unchanged. People
who are in this tenant but no longer in the directory are reported (`missing`), never removed
silently: leaving is a lifecycle event with an effective date.

Adapters for DingTalk or WeChat Work implement `fetch()` against their APIs; the file adapter
reads a JSON export: `{"departments": [{"code", "name", "parent", "kind", "category", "unit"}],
"staff": [{"staff_no", "name", "id_number", "mobile", "department", ...}]}`.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from jianlian.core.errors import DomainError
from jianlian.org.importer import DEPARTMENT_COLUMNS, STAFF_COLUMNS, Row, import_rows
from jianlian.org.models import StaffProfile, StaffStatus


@dataclass
class Snapshot:
    departments: list[dict] = field(default_factory=list)
    staff: list[dict] = field(default_factory=list)


class DirectoryAdapter(ABC):
    """One external directory."""

    name: str = "directory"

    @abstractmethod
    def fetch(self) -> Snapshot:
        """The directory's departments and staff, as records keyed like the import template."""


class FileDirectoryAdapter(DirectoryAdapter):
    """A JSON file exported by the HR system."""

    name = "file"

    def __init__(self, path: str | Path):
        self.path = Path(path)

    def fetch(self) -> Snapshot:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            departments, staff = data.get("departments", []), data.get("staff", [])
            if not isinstance(departments, list) or not isinstance(staff, list):
                raise ValueError
        except (OSError, ValueError, AttributeError):
            raise DomainError("INVALID_DIRECTORY", _("无法读取外部通讯录文件，请检查文件内容是否为约定的 JSON 格式。"), "path") from None
        return Snapshot(departments=departments, staff=staff)


def _rows(records: list, columns) -> list[Row]:
    keys = [k for k, _h, _r in columns]
    out = []
    for i, rec in enumerate(records, 1):
        if not isinstance(rec, dict):
            rec = {}
        out.append(Row(i, {k: str(rec.get(k) if rec.get(k) is not None else "").strip() for k in keys}, {}))
    return out


def sync(actor, adapter: DirectoryAdapter, *, dry_run: bool = False) -> dict:
    """Bring the tenant's departments and staff in line with `adapter`'s directory.
    Who: `org.manage` (actor None: a scheduled sync). Returns the import report plus `missing`
    (staff numbers here that the directory no longer lists). Audited through the import."""
    snapshot = adapter.fetch()
    report = import_rows(actor, _rows(snapshot.departments, DEPARTMENT_COLUMNS), _rows(snapshot.staff, STAFF_COLUMNS),
                         mode="valid_only", dry_run=dry_run, source=f"directory:{adapter.name}")
    listed = {str(rec.get("staff_no", "")).strip() for rec in snapshot.staff if isinstance(rec, dict)}
    here = set(StaffProfile.objects.exclude(status=StaffStatus.LEFT).values_list("staff_no", flat=True))
    return {**report.as_dict(), "missing": sorted(here - listed)}
