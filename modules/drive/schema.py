"""GraphQL for the cloud drive: the folders I may read (with their files and versions), one
folder, the tenant's usage; mutations in mutations.py. Gated by the marketplace
(APP_NOT_INSTALLED where the app is not installed)."""

from __future__ import annotations

import graphene

from jianlian.api.base import PermissionField, auth_error, decode_id, require_user
from jianlian.api.permissions import SIGNED_IN
from jianlian.core.errors import DomainError
from modules.drive import access, actions
from modules.drive.mutations import Mutation  # noqa: F401 — the module's root Mutation
from modules.drive.types import DriveFolderType, DriveUnitType, DriveUsageType


def _member(info):
    user = require_user(info)
    try:
        access.require_member(user)
    except DomainError as e:
        raise auth_error(e.code, e.message) from None
    return user


class Query(graphene.ObjectType):
    drive_folders = PermissionField(
        graphene.List(graphene.NonNull(DriveFolderType)), required=True, permissions=SIGNED_IN,
        category=graphene.String(description="只看该类别。"),
        description="我可以查看的文件夹（按类别、名称排列；受限文件夹只有被指定的人看得到）。")
    drive_folder = PermissionField(DriveFolderType, permissions=SIGNED_IN, id=graphene.ID(required=True, description="文件夹。"),
                                   description="一个文件夹；不存在或无权查看时为 null。")
    drive_usage = PermissionField(DriveUsageType, required=True, permissions=SIGNED_IN, description="本单位云盘的用量与配额。")
    drive_units = PermissionField(graphene.List(graphene.NonNull(DriveUnitType)), required=True, permissions=SIGNED_IN,
                                  description="我可以作为发文单位新建文件夹的单位（持有 drive.manage）。")

    @staticmethod
    def resolve_drive_folders(root, info, category=None):
        folders = access.readable_folders(_member(info))
        return [f for f in folders if f.category == category] if category else folders

    @staticmethod
    def resolve_drive_folder(root, info, id):
        user = _member(info)
        try:
            return access.access_folder(user, decode_id(id, "DriveFolder"))
        except DomainError:
            return None

    @staticmethod
    def resolve_drive_usage(root, info):
        user = _member(info)
        return DriveUsageType(used_bytes=actions.used_bytes(), quota_bytes=actions.settings_row().quota_bytes,
                              can_create_folders=access.may_administer(user))

    @staticmethod
    def resolve_drive_units(root, info):
        from graphql_relay import to_global_id

        from jianlian.access.checks import has_perm

        user = _member(info)
        units = access.tenant().org_unit.get_descendants(include_self=True).order_by("lft")
        return [DriveUnitType(id=to_global_id("OrgUnit", u.pk), name=u.name) for u in units if has_perm(user, "drive.manage", u)]
