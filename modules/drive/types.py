"""GraphQL types of the cloud drive (README.md in this folder has the API tour)."""

from __future__ import annotations

import graphene
from graphql_relay import to_global_id

from jianlian.api.types import ModelType
from modules.drive import access
from modules.drive.actions import PREVIEWABLE
from modules.drive.models import Download, DriveFile, FileVersion, Folder

BASE = "/apps/drive/versions"


def _in_tenant() -> bool:
    from tenants.context import current_tenant

    return current_tenant() is not None


def _node(fetch, viewer, pk):
    if not _in_tenant():
        return None
    try:
        return fetch(viewer, pk)
    except Exception:  # NOT_FOUND / not a member / unreadable: the node is null alike
        return None


class DriveVersionType(ModelType):
    """One stored content of a file. `downloadPath` / `previewPath` are paths inside the tenant
    for `createSignedLink` (the workbench opens the signed link in a new tab, <img> or <iframe>)."""

    download_path = graphene.String(required=True, description="下载地址（租户内路径，先 createSignedLink 再打开）。")
    preview_path = graphene.String(description="在线预览地址（仅图片、PDF；其他类型为 null）。")

    class Meta:
        model = FileVersion
        name = "DriveVersion"
        fields = ("number", "size", "content_type", "uploaded_by_name", "created_at")

    @staticmethod
    def resolve_download_path(v, info):
        return f"{BASE}/{v.pk}/download"

    @staticmethod
    def resolve_preview_path(v, info):
        return f"{BASE}/{v.pk}/preview" if v.content_type in PREVIEWABLE else None


class DriveFileType(ModelType):
    """A file in a folder, with its versions (newest first)."""

    versions = graphene.List(graphene.NonNull(DriveVersionType), required=True, description="各版本，最新在前。")
    current = graphene.Field(DriveVersionType, required=True, description="当前（最新）版本。")
    folder_id = graphene.ID(required=True, description="所在文件夹（DriveFolder 的 Relay ID）。")

    class Meta:
        model = DriveFile
        name = "DriveFile"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "name", "created_at", "updated_at")

    @classmethod
    def access_node(cls, info, viewer, pk):
        return _node(access.access_file, viewer, pk)

    @staticmethod
    def resolve_versions(f, info):
        return f.versions.all()

    @staticmethod
    def resolve_current(f, info):
        return f.versions.all()[0]

    @staticmethod
    def resolve_folder_id(f, info):
        return to_global_id("DriveFolder", f.folder_id)


class DriveDownloadType(ModelType):
    """Who opened which file of a restricted folder, and when."""

    class Meta:
        model = Download
        name = "DriveDownload"
        fields = ("file_name", "version_number", "user_name", "kind", "at")


class DriveFolderType(ModelType):
    """A folder: category, issuing unit, audience; a restricted one is readable only by the people,
    departments and groups it names (and its managers), and its opens are logged."""

    unit_name = graphene.String(required=True, description="发文单位。")
    can_manage = graphene.Boolean(required=True, description="我是该文件夹的管理员（可上传、删除、看下载记录）。")
    audience_summary = graphene.String(required=True, description="可见范围（文字说明）。")
    manager_names = graphene.List(graphene.NonNull(graphene.String), required=True, description="管理员。")
    files = graphene.List(graphene.NonNull(DriveFileType), required=True, description="文件，最近更新的在前。")
    downloads = graphene.List(graphene.NonNull(DriveDownloadType), first=graphene.Int(description="最多几条（≤200）。"),
                              description="下载记录（仅受限文件夹的管理员；其他人为 null）。")

    class Meta:
        model = Folder
        name = "DriveFolder"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "name", "category", "restricted", "created_at")

    @classmethod
    def access_node(cls, info, viewer, pk):
        return _node(access.access_folder, viewer, pk)

    @staticmethod
    def resolve_unit_name(folder, info):
        from jianlian.hierarchy.models import OrgUnit

        cache = info.context.__dict__.setdefault("_drive_unit_names", {})
        if folder.unit_id not in cache:
            cache[folder.unit_id] = OrgUnit.objects.filter(pk=folder.unit_id).values_list("name", flat=True).first() or ""
        return cache[folder.unit_id]

    @staticmethod
    def resolve_can_manage(folder, info):
        return access.is_manager(info.context.user, folder)

    @staticmethod
    def resolve_audience_summary(folder, info):
        return access.describe_audience(folder)

    @staticmethod
    def resolve_manager_names(folder, info):
        from jianlian.identity.models import User

        return list(User.objects.filter(pk__in=folder.manager_ids or []).order_by("pk").values_list("real_name", flat=True))

    @staticmethod
    def resolve_files(folder, info):
        return folder.files.prefetch_related("versions").order_by("-updated_at", "-pk")

    @staticmethod
    def resolve_downloads(folder, info, first=50):
        if not access.is_manager(info.context.user, folder):
            return None
        return folder.downloads.order_by("-at", "-pk")[:max(1, min(first or 50, 200))]


class DriveUsageType(graphene.ObjectType):
    """The tenant's drive: space used (stored versions and uploads in progress) and the quota."""

    used_bytes = graphene.Float(required=True, description="已用（字节）。")
    quota_bytes = graphene.Float(required=True, description="配额（字节）。")
    can_create_folders = graphene.Boolean(required=True, description="我可以新建文件夹、设置配额和轮换密钥。")


class DriveUnitType(graphene.ObjectType):
    """A unit of the tenant where the caller may issue folders (holds drive.manage)."""

    id = graphene.ID(required=True, description="单位（OrgUnit 的 Relay ID）。")
    name = graphene.String(required=True, description="名称。")
