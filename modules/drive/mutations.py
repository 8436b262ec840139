"""The drive's mutations: folders, deletion, the quota and key rotation. Bytes travel over the
tus endpoint and the download views (tus.py, views.py), never through GraphQL."""

from __future__ import annotations

import graphene

from jianlian.api.base import BaseMutation, GlobalID
from jianlian.api.permissions import CURRENT_TENANT, SIGNED_IN, Perm, unit_in
from modules.drive import access, actions
from modules.drive.types import DriveFolderType, DriveUsageType


class CreateDriveFolderInput(graphene.InputObjectType):
    """A new folder and who reads it."""

    unit = GlobalID("OrgUnit", required=True, description="发文单位（科室所在单位）。")
    name = graphene.String(required=True, description="名称。")
    category = graphene.String(required=True, description="类别（制度文件、会议材料、培训资料……）。")
    restricted = graphene.Boolean(description="受限：仅下列人员、科室、群组（及管理员）可读；文件加密存储，打开留痕。")
    users = GlobalID("User", many=True, description="可见的人员。")
    departments = GlobalID("Department", many=True, description="可见的科室（含下级科室）。")
    groups = GlobalID("Group", many=True, description="可见的群组。")
    managers = GlobalID("User", many=True, description="管理员（可上传、删除、看下载记录）；创建人总是管理员。")


class CreateDriveFolder(BaseMutation):
    folder = graphene.Field(DriveFolderType, description="新文件夹。")

    class Arguments:
        input = CreateDriveFolderInput(required=True)

    class Meta:
        description = "新建文件夹，设定类别、发文单位与可见范围。未指定范围的普通文件夹全体成员可见；受限文件夹仅指定范围可见。"
        permissions = Perm("drive.manage", at=unit_in("unit"))
        error_codes = ("REQUIRED", "TOO_LONG", "INVALID", "NOT_FOUND", "UNKNOWN_DEPARTMENT")

    @classmethod
    def perform(cls, info, input):
        audience = {"user_ids": input.get("users") or [], "department_ids": input.get("departments") or [],
                    "group_ids": input.get("groups") or []}
        folder = actions.create_folder(info.context.user, unit_id=input["unit"].pk, name=input["name"],
                                       category=input["category"], restricted=bool(input.get("restricted")),
                                       audience=audience, manager_ids=input.get("managers") or [])
        return cls(folder=folder, errors=[])


class DeleteDriveFileInput(graphene.InputObjectType):
    """The file to delete (all its versions)."""

    file = GlobalID("DriveFile", required=True, description="文件。")


class DeleteDriveFile(BaseMutation):
    ok = graphene.Boolean(required=True, description="已删除。")

    class Arguments:
        input = DeleteDriveFileInput(required=True)

    class Meta:
        description = "删除文件及其全部版本（文件夹管理员），释放配额。"
        permissions = SIGNED_IN
        error_codes = ("NOT_FOUND", "DRIVE_NOT_MANAGER")

    @classmethod
    def perform(cls, info, input):
        actions.delete_file(info.context.user, input["file"])
        return cls(ok=True, errors=[])


class SetDriveQuotaInput(graphene.InputObjectType):
    """The tenant's new quota."""

    quota_bytes = graphene.Float(required=True, description="配额（字节）。")


class SetDriveQuota(BaseMutation):
    usage = graphene.Field(DriveUsageType, description="用量与配额。")

    class Arguments:
        input = SetDriveQuotaInput(required=True)

    class Meta:
        description = "设置本单位云盘的配额。"
        permissions = Perm("drive.manage", at=CURRENT_TENANT)
        error_codes = ("INVALID",)

    @classmethod
    def perform(cls, info, input):
        row = actions.set_quota(info.context.user, int(input["quota_bytes"]))
        return cls(usage=DriveUsageType(used_bytes=actions.used_bytes(), quota_bytes=row.quota_bytes,
                                        can_create_folders=True), errors=[])


class RotateDriveKeyInput(graphene.InputObjectType):
    """Confirmation."""

    confirm = graphene.Boolean(required=True, description="确认轮换。")


class RotateDriveKey(BaseMutation):
    rewrapped = graphene.Int(required=True, description="重新封装的文件密钥数。")

    class Arguments:
        input = RotateDriveKeyInput(required=True)

    class Meta:
        description = "轮换本单位的云盘密钥：新建租户密钥，重新封装全部文件密钥（文件内容不重新加密），旧密钥停用。"
        permissions = Perm("drive.manage", at=CURRENT_TENANT)
        error_codes = ("INVALID",)

    @classmethod
    def perform(cls, info, input):
        from django.utils.translation import gettext as _

        from jianlian.core.errors import DomainError

        if not input["confirm"]:
            raise DomainError("INVALID", _("请确认后再轮换密钥。"), "confirm")
        access.require_member(info.context.user)
        return cls(rewrapped=actions.rotate_keys(info.context.user), errors=[])


class Mutation(graphene.ObjectType):
    create_drive_folder = CreateDriveFolder.Field()
    delete_drive_file = DeleteDriveFile.Field()
    set_drive_quota = SetDriveQuota.Field()
    rotate_drive_key = RotateDriveKey.Field()
