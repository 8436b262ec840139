"""Who may read and manage folders. Each `access_*` helper fetches and checks in one call; a
missing object and a forbidden one answer alike (NOT_FOUND), so a restricted folder's existence
is not given away.

- Reading a folder: an active member of the tenant who is one of its managers, or in its
  audience (`jianlian.org.audience.resolve_audience`); an ordinary folder with an empty audience
  is open to every member. A restricted folder with an empty audience is its managers' only.
  Holding `drive.manage` does not open a restricted folder: only being named does.
- Managing a folder (upload, new versions, delete, the download log): its managers.
- Creating folders, the quota and key rotation: `drive.manage` at the folder's unit / the tenant.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jianlian.core.errors import DomainError, NotFoundError, PermissionDeniedError
from modules.drive.models import DriveFile, FileVersion, Folder

AUDIENCE_KEYS = ("user_ids", "department_ids", "group_ids", "unit_ids", "tag_ids")


def tenant():
    from jianlian.access.helpers import require_tenant

    return require_tenant()


def is_member(user) -> bool:
    from jianlian.access.models import Membership

    if getattr(user, "pk", None) is None:
        return False
    t = tenant()
    cache = user.__dict__.setdefault("_jl_drive_member", {})
    if t.pk not in cache:
        cache[t.pk] = Membership.objects.filter(tenant=t, user_id=user.pk, is_active=True).exists()
    return cache[t.pk]


def require_member(user) -> None:
    if not is_member(user):
        raise PermissionDeniedError(_("您不是本单位成员，不能使用云盘。"))


def audience_ids(folder: Folder) -> set[int]:
    """Everyone in the folder's audience (cached on the folder object)."""
    cached = getattr(folder, "_audience_ids", None)
    if cached is None:
        from jianlian.org.audience import Targets, resolve_audience

        targets = Targets(**{k: list(folder.audience.get(k) or []) for k in AUDIENCE_KEYS})
        try:
            cached = resolve_audience(targets, tenant())
        except DomainError:  # a department or group named in it was removed: nobody through it
            cached = set()
        folder._audience_ids = cached
    return cached


def is_manager(user, folder: Folder) -> bool:
    return user.pk in set(folder.manager_ids or [])


def can_read(user, folder: Folder) -> bool:
    if not is_member(user):
        return False
    if is_manager(user, folder):
        return True
    if not any(folder.audience.get(k) for k in AUDIENCE_KEYS):
        return not folder.restricted
    return user.pk in audience_ids(folder)


def readable_folders(user) -> list[Folder]:
    if not is_member(user):
        return []
    return [f for f in Folder.objects.order_by("category", "name") if can_read(user, f)]


def access_folder(user, folder_id: int, *, manage: bool = False, field: str = "folder") -> Folder:
    folder = Folder.objects.filter(pk=folder_id).first()
    if folder is None or not can_read(user, folder):
        raise NotFoundError(_("文件夹不存在或您无权查看。"), field=field)
    if manage and not is_manager(user, folder):
        raise DomainError("DRIVE_NOT_MANAGER", _("只有该文件夹的管理员可以这样做。"), field)
    return folder


def access_file(user, file_id: int, *, manage: bool = False, field: str = "file") -> DriveFile:
    f = DriveFile.objects.select_related("folder").filter(pk=file_id).first()
    if f is None or not can_read(user, f.folder):
        raise NotFoundError(_("文件不存在或您无权查看。"), field=field)
    if manage and not is_manager(user, f.folder):
        raise DomainError("DRIVE_NOT_MANAGER", _("只有该文件夹的管理员可以这样做。"), field)
    return f


def access_version(user, version_id: int) -> FileVersion:
    v = FileVersion.objects.select_related("file__folder", "key").filter(pk=version_id).first()
    if v is None or not can_read(user, v.file.folder):
        raise NotFoundError(_("文件不存在或您无权查看。"), field="version")
    return v


def describe_audience(folder: Folder) -> str:
    """The audience in words: 「心内科、质控小组、3 人」; 「全体成员」 when open to everyone."""
    from jianlian.org.models import Department, Group

    a = folder.audience or {}
    parts = list(Department.objects.filter(pk__in=a.get("department_ids") or []).values_list("name", flat=True))
    parts += list(Group.objects.filter(pk__in=a.get("group_ids") or []).values_list("name", flat=True))
    if a.get("unit_ids"):
        from jianlian.hierarchy.models import OrgUnit

        parts += list(OrgUnit.objects.filter(pk__in=a["unit_ids"]).values_list("name", flat=True))
    if a.get("user_ids"):
        parts.append(str(_("%(n)s 人")) % {"n": len(a["user_ids"])})
    if not parts:
        return str(_("仅管理员")) if folder.restricted else str(_("全体成员"))
    return "、".join(parts)


def may_administer(user) -> bool:
    """`drive.manage` at the tenant's unit: new folders, the quota, key rotation."""
    from jianlian.access.checks import has_perm

    return is_member(user) and has_perm(user, "drive.manage", tenant().org_unit)
