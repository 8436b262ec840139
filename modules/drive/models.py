"""The cloud drive's tables, in each installing tenant's schema.

`Folder` groups files by category and issuing office (an org unit) and says who reads it: an
audience (people, departments, groups, units, tags; empty = every member) and, for a restricted
folder, nobody but that audience and the folder's managers. `DriveFile` is a name in a folder;
`FileVersion` one stored content of it (the newest is the current one). Every version's bytes
are encrypted under its own random key (crypto.py), wrapped by the tenant's `TenantKey`.
`Upload` is a resumable (tus) upload in progress; `Download` the log of who opened what in a
restricted folder; `DriveSettings` the tenant's quota. People are account ids, as everywhere in
tenant schemas.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DriveSettings(models.Model):
    quota_bytes = models.BigIntegerField(_("配额（字节）"))

    class Meta:
        verbose_name = _("云盘设置")
        verbose_name_plural = _("云盘设置")


class TenantKey(models.Model):
    """A key-encryption key of the tenant, wrapped by the installation's master key (crypto.py).
    The newest unretired one wraps new file keys; rotation retires it after re-wrapping."""

    wrapped = models.BinaryField(_("封装后的密钥"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    retired_at = models.DateTimeField(_("停用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("租户密钥")
        verbose_name_plural = _("租户密钥")


class Folder(models.Model):
    name = models.CharField(_("名称"), max_length=80)
    category = models.CharField(_("类别"), max_length=40)
    unit_id = models.BigIntegerField(_("发文单位ID"), db_index=True)
    restricted = models.BooleanField(_("受限"), default=False)
    audience = models.JSONField(_("可见范围"), default=dict, blank=True)  # {"user_ids": [], "department_ids": [], ...}
    manager_ids = models.JSONField(_("管理员"), default=list)
    created_by_id = models.BigIntegerField(_("创建人ID"), null=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("文件夹")
        verbose_name_plural = _("文件夹")
        constraints = [models.UniqueConstraint(fields=["category", "name"], name="drive_folder_unique_name")]

    def __str__(self) -> str:
        return self.name


class DriveFile(models.Model):
    folder = models.ForeignKey(Folder, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(_("文件名"), max_length=200)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("文件")
        verbose_name_plural = _("文件")


class FileVersion(models.Model):
    file = models.ForeignKey(DriveFile, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    size = models.BigIntegerField(_("大小（字节）"))
    content_type = models.CharField(_("类型"), max_length=100)
    storage_name = models.CharField(_("存储位置"), max_length=300)
    key = models.ForeignKey(TenantKey, on_delete=models.PROTECT, related_name="+")
    wrapped_key = models.BinaryField(_("封装后的文件密钥"))
    uploaded_by_id = models.BigIntegerField(_("上传人ID"))
    uploaded_by_name = models.CharField(_("上传人"), max_length=60)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("文件版本")
        verbose_name_plural = _("文件版本")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["file", "number"], name="drive_version_unique_number")]


class Upload(models.Model):
    """A tus upload in progress: `offset` plaintext bytes received, `stored` ciphertext bytes
    written to the staging file (anything beyond it is a torn write and is cut off)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner_id = models.BigIntegerField(_("上传人ID"), db_index=True)
    folder = models.ForeignKey(Folder, on_delete=models.CASCADE, related_name="+")
    file = models.ForeignKey(DriveFile, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    filename = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=100)
    length = models.BigIntegerField(_("总长度"))
    offset = models.BigIntegerField(_("已收到"), default=0)
    stored = models.BigIntegerField(_("已写入（密文）"), default=0)
    records = models.PositiveIntegerField(_("已写入记录数"), default=0)
    key = models.ForeignKey(TenantKey, on_delete=models.PROTECT, related_name="+")
    wrapped_key = models.BinaryField(_("封装后的文件密钥"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # the last bytes received: a day after it the upload expires (tus "expiration") and its
    # reserved quota and staged bytes are freed
    touched_at = models.DateTimeField(_("最近收到"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("上传中的文件")
        verbose_name_plural = _("上传中的文件")


class Download(models.Model):
    folder = models.ForeignKey(Folder, on_delete=models.CASCADE, related_name="downloads")
    file_id = models.BigIntegerField(_("文件ID"))
    file_name = models.CharField(_("文件名"), max_length=200)
    version_number = models.PositiveIntegerField(_("版本号"))
    user_id = models.BigIntegerField(_("用户ID"), db_index=True)
    user_name = models.CharField(_("姓名"), max_length=60)
    kind = models.CharField(_("方式"), max_length=10)  # download | preview
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("下载记录")
        verbose_name_plural = _("下载记录")
        indexes = [models.Index(fields=["folder", "-at"])]
