"""Every write of the drive: folders, the quota, versions from finished uploads, deletion, the
download log, key rotation. GraphQL mutations, the tus and download views and the demo call
these; none of them checks permissions the access helpers have not checked first."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Iterator

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from jianlian.audit import service as audit
from jianlian.core.errors import DomainError
from modules.drive import access, crypto, storage
from modules.drive.models import Download, DriveFile, DriveSettings, FileVersion, Folder, Upload

DEFAULT_QUOTA = 20 * 1024 ** 3  # 20 GiB per tenant unless DRIVE_DEFAULT_QUOTA says otherwise
PREVIEWABLE = ("image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf")


def _name_of(user) -> str:
    return (getattr(user, "real_name", "") or getattr(user, "username", "") or "")[:60]


# --- folders ------------------------------------------------------------------------------------

def create_folder(user, *, unit_id: int, name: str, category: str, restricted: bool = False,
                  audience: dict | None = None, manager_ids: list[int] | None = None) -> Folder:
    """A new folder issued by `unit_id` (the caller holds `drive.manage` there; the mutation
    checked it). The caller is always one of its managers. Named people must be members."""
    name, category = (name or "").strip(), (category or "").strip()
    if not name:
        raise DomainError("REQUIRED", _("请填写文件夹名称。"), "name")
    if not category:
        raise DomainError("REQUIRED", _("请选择或填写类别。"), "category")
    if len(name) > 80 or len(category) > 40:
        raise DomainError("TOO_LONG", _("名称最多 80 字，类别最多 40 字。"), "name")
    if unit_id not in set(access.tenant().org_unit.get_descendants(include_self=True).values_list("pk", flat=True)):
        raise DomainError("NOT_FOUND", _("发文单位不属于本租户。"), "unit")
    audience = {k: sorted(set(int(v) for v in (audience or {}).get(k) or [])) for k in access.AUDIENCE_KEYS}
    audience = {k: v for k, v in audience.items() if v}
    from jianlian.org.audience import Targets, resolve_audience

    resolve_audience(Targets(**audience), access.tenant())  # unknown departments/groups → a clear error now
    managers = sorted({*(manager_ids or []), *([user.pk] if user is not None else [])})
    if managers and resolve_audience(Targets(user_ids=managers), access.tenant()) != set(managers):
        raise DomainError("NOT_FOUND", _("管理员须为本单位在职人员。"), "managerIds")
    if Folder.objects.filter(category=category, name=name).exists():
        raise DomainError("INVALID", _("该类别下已有同名文件夹。"), "name")
    with transaction.atomic():
        folder = Folder.objects.create(name=name, category=category, unit_id=unit_id, restricted=restricted,
                                       audience=audience, manager_ids=managers, created_by_id=getattr(user, "pk", None))
        audit.record("drive.create_folder", actor=user, target=folder,
                     after={"name": name, "category": category, "restricted": restricted, "audience": audience,
                            "manager_ids": managers})
    return folder


# --- quota ----------------------------------------------------------------------------------------

def settings_row(*, lock: bool = False) -> DriveSettings:
    row = (DriveSettings.objects.select_for_update() if lock else DriveSettings.objects).filter(pk=1).first()
    if row is None:
        quota = int(getattr(settings, "DRIVE_DEFAULT_QUOTA", 0) or os.environ.get("DRIVE_DEFAULT_QUOTA") or DEFAULT_QUOTA)
        DriveSettings.objects.get_or_create(pk=1, defaults={"quota_bytes": quota})
        row = (DriveSettings.objects.select_for_update() if lock else DriveSettings.objects).get(pk=1)
    return row


def used_bytes() -> int:
    """Stored versions plus the full declared length of every live upload in progress (reserved)."""
    stored = FileVersion.objects.aggregate(s=Sum("size"))["s"] or 0
    reserved = live_uploads().aggregate(s=Sum("length"))["s"] or 0
    return stored + reserved


def reserve(length: int) -> None:
    """Refuse `length` more bytes when they would exceed the quota. Call inside a transaction;
    the settings row's lock makes concurrent reservations queue."""
    row = settings_row(lock=True)
    left = row.quota_bytes - used_bytes()
    if length > left:
        raise DomainError("DRIVE_QUOTA_EXCEEDED",
                          _("云盘空间不足：本单位还剩 %(left)s，此文件 %(size)s。请删除旧文件或联系管理员扩容。")
                          % {"left": human(max(left, 0)), "size": human(length)}, "file")


def set_quota(user, quota_bytes: int) -> DriveSettings:
    if quota_bytes < 0:
        raise DomainError("INVALID", _("配额不能为负数。"), "quotaBytes")
    with transaction.atomic():
        row = settings_row(lock=True)
        before = row.quota_bytes
        row.quota_bytes = quota_bytes
        row.save(update_fields=["quota_bytes"])
        audit.record("drive.set_quota", actor=user, target=row, before={"quota_bytes": before}, after={"quota_bytes": quota_bytes})
    return row


def human(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


# --- uploads and versions -------------------------------------------------------------------------

def check_target(user, folder_id: int, file_id: int | None) -> tuple[Folder, DriveFile | None]:
    """The folder (and file, for a new version) `user` may upload to."""
    folder = access.access_folder(user, folder_id, manage=True)
    existing = None
    if file_id is not None:
        existing = access.access_file(user, file_id, manage=True)
        if existing.folder_id != folder.pk:
            raise DomainError("NOT_FOUND", _("文件不在该文件夹中。"), "file")
    return folder, existing


def start_upload(user, folder_id: int, *, filename: str, content_type: str, length: int,
                 file_id: int | None = None) -> Upload:
    """A resumable upload of `length` bytes into a folder the caller manages; the quota is
    checked (and the length reserved) before any byte is accepted."""
    filename = os.path.basename((filename or "").replace("\\", "/")).strip()[:200]
    if not filename:
        raise DomainError("REQUIRED", _("缺少文件名。"), "filename")
    if length < 0:
        raise DomainError("DRIVE_UPLOAD_MISMATCH", _("文件长度无效。"), "length")
    with transaction.atomic():
        folder, existing = check_target(user, folder_id, file_id)
        reserve(length)
        _key, tenant_key, wrapped = crypto.new_file_key()
        upload = Upload.objects.create(owner_id=user.pk, folder=folder, file=existing, filename=filename,
                                       content_type=(content_type or "application/octet-stream")[:100],
                                       length=length, key=tenant_key, wrapped_key=wrapped)
    storage.staging_path(upload.pk).touch()
    return upload


def append(upload: Upload, chunks: Iterator[bytes]) -> Upload:
    """Seal and append request bytes to an upload (its row locked by the caller). Stops at the
    declared length; a torn earlier write beyond `stored` is cut off first."""
    file_key = crypto.unwrap(upload.key, upload.wrapped_key)
    path = storage.staging_path(upload.pk)
    with open(path, "r+b" if path.exists() else "w+b") as fh:
        fh.truncate(upload.stored)
        fh.seek(upload.stored)
        for data in chunks:
            if not data:
                continue
            data = data[:upload.length - upload.offset]
            sealed, n = crypto.seal_records(file_key, data, upload.records)
            fh.write(sealed)
            upload.offset += len(data)
            upload.stored += len(sealed)
            upload.records += n
            if upload.offset >= upload.length:
                break
        fh.flush()
        os.fsync(fh.fileno())
    upload.touched_at = timezone.now()
    upload.save(update_fields=["offset", "stored", "records", "touched_at"])
    return upload


def finish(user, upload: Upload) -> FileVersion:
    """An upload that received all its bytes becomes a version (a new file, or the next version
    of the file it named). Call in the transaction that holds the upload's row."""
    staged = storage.staging_path(upload.pk)
    name = storage.store(staged)
    f = upload.file
    if f is None:
        f = DriveFile.objects.create(folder=upload.folder, name=upload.filename)
    else:
        f.save(update_fields=["updated_at"])
    number = (FileVersion.objects.filter(file=f).aggregate(n=Max("number"))["n"] or 0) + 1
    version = FileVersion.objects.create(file=f, number=number, size=upload.length, content_type=upload.content_type,
                                         storage_name=name, key=upload.key, wrapped_key=upload.wrapped_key,
                                         uploaded_by_id=user.pk, uploaded_by_name=_name_of(user))
    audit.record("drive.upload", actor=user, target=version,
                 after={"folder": upload.folder_id, "file": f.pk, "name": f.name, "version": number, "size": upload.length})
    upload.delete()
    return version


UPLOAD_TTL = timedelta(hours=24)


def expires_at(upload: Upload):
    return upload.touched_at + UPLOAD_TTL


def live_uploads():
    """Uploads that received bytes (or began) within the last day; older ones have expired: they
    hold no quota, answer 404 and are swept by `expire_uploads`."""
    return Upload.objects.filter(touched_at__gt=timezone.now() - UPLOAD_TTL)


def expire_uploads() -> int:
    """Delete expired uploads with their staged bytes (hourly task). Returns how many went."""
    gone = 0
    for pk in Upload.objects.filter(touched_at__lte=timezone.now() - UPLOAD_TTL).values_list("pk", flat=True):
        with transaction.atomic():  # a PATCH holding the row wins; the next sweep looks again
            upload = Upload.objects.select_for_update(skip_locked=True).filter(
                pk=pk, touched_at__lte=timezone.now() - UPLOAD_TTL).first()
            if upload is not None:
                cancel_upload(upload)
                gone += 1
    return gone


def cancel_upload(upload: Upload) -> None:
    storage.staging_path(upload.pk).unlink(missing_ok=True)
    upload.delete()


def upload_whole(user, folder_id: int, *, filename: str, content_type: str, length: int,
                 chunks: Iterator[bytes], file_id: int | None = None) -> FileVersion:
    """A plain single-request upload (small files, and the benchmark's baseline): the same
    checks, sealing and storage as a resumable one, in one go."""
    upload = start_upload(user, folder_id, filename=filename, content_type=content_type, length=length, file_id=file_id)
    try:
        with transaction.atomic():
            upload = Upload.objects.select_for_update(of=("self",)).select_related("key", "folder", "file").get(pk=upload.pk)
            append(upload, chunks)
            if upload.offset != upload.length:
                raise DomainError("DRIVE_UPLOAD_MISMATCH", _("上传不完整，请重试。"), "file")
            return finish(user, upload)
    except BaseException:
        with transaction.atomic():
            Upload.objects.filter(pk=upload.pk).delete()
        storage.staging_path(upload.pk).unlink(missing_ok=True)
        raise


def delete_file(user, file_id: int) -> None:
    with transaction.atomic():
        f = access.access_file(user, file_id, manage=True)
        names = list(FileVersion.objects.filter(file=f).values_list("storage_name", flat=True))
        audit.record("drive.delete_file", actor=user, target=f, before={"folder": f.folder_id, "name": f.name, "versions": len(names)})
        f.delete()
    for name in names:
        storage.storage().delete(name)


# --- reading --------------------------------------------------------------------------------------

def open_version(user, version_id: int, *, kind: str) -> tuple[FileVersion, Iterator[bytes]]:
    """A version `user` may read and its plaintext as a stream; logs the access when the folder
    is restricted."""
    version = access.access_version(user, version_id)
    if kind == "preview" and version.content_type not in PREVIEWABLE:
        raise DomainError("DRIVE_NO_PREVIEW", _("只能在线预览图片和 PDF，请下载后查看。"), "version")
    if version.file.folder.restricted:
        Download.objects.create(folder=version.file.folder, file_id=version.file_id, file_name=version.file.name,
                                version_number=version.number, user_id=user.pk, user_name=_name_of(user), kind=kind)
    file_key = crypto.unwrap(version.key, version.wrapped_key)

    def stream():
        with storage.storage().open(version.storage_name, "rb") as fh:
            yield from crypto.open_records(file_key, fh, version.size)

    return version, stream()


def rotate_keys(user) -> int:
    """Re-wrap every file key under a new tenant key (crypto.rotate), audited."""
    with transaction.atomic():
        count = crypto.rotate()
        audit.record("drive.rotate_key", actor=user, object_type="drive.tenantkey", after={"rewrapped": count})
    return count


def staged_bytes(upload: Upload) -> Path:
    return storage.staging_path(upload.pk)
