from django.utils.translation import gettext_lazy as _

from jianlian.marketplace.manifest import Change, Manifest, PeriodicSpec, PermissionSpec, RoleSpec

MANIFEST = Manifest(
    key="drive",
    name_zh="云盘",
    name_en="Cloud drive",
    version="1.0.0",
    category="administrative",
    publisher_level="province",
    description_zh="按类别、发文科室和可见范围组织的文件夹；受限文件夹仅指定人员、科室或群组可读，文件加密存储；"
                   "大文件断点续传、图片与 PDF 在线预览、版本、配额与下载记录。",
    description_en="Folders by category, issuing office and audience; restricted folders readable only by named people, "
                   "departments or groups, encrypted at rest; resumable uploads, previews, versions, quotas and a download log.",
    permissions=[PermissionSpec("drive.manage", _("管理云盘（建文件夹、配额、密钥轮换）"))],
    default_roles=[RoleSpec("drive_admin", "云盘管理员", "Drive administrator", ("platform.use", "drive.manage"))],
    error_codes={
        "DRIVE_QUOTA_EXCEEDED": "The tenant's drive quota would be exceeded; the message says how much is left.",
        "DRIVE_NOT_MANAGER": "Only a manager of the folder may upload to it, delete from it or read its download log.",
        "DRIVE_NO_PREVIEW": "Only images and PDF files can be previewed in the browser; download the file instead.",
        "DRIVE_UPLOAD_MISMATCH": "A resumable upload's offset, length or content type does not match the server's record.",
    },
    demo="modules.drive.demo.seed",
    graphql="modules.drive.schema",
    urls="modules.drive.urls",
    periodic_tasks=[PeriodicSpec("expire_uploads", "modules.drive.tasks.expire_uploads", 3600)],
    changelog=[Change("1.0.0", "首个版本：文件夹与可见范围、受限文件夹加密、断点续传、预览、版本、配额、下载记录。",
                      "First release: folders and audiences, encrypted restricted folders, resumable uploads, previews, "
                      "versions, quotas, download log.")],
)
