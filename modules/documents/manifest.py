from django.utils.translation import gettext_lazy as _

from jianlian.marketplace.manifest import Change, Manifest, PermissionSpec, RoleSpec

MANIFEST = Manifest(
    key="documents",
    name_zh="公文",
    name_en="Official documents",
    version="1.0.0",
    category="administrative",
    publisher_level="province",
    description_zh="发文：套红模板拟稿，核稿、会签、签发走审批流程，自动编号（机关代字〔年〕N号），分发到本单位人员和其他单位；"
                   "收文：登记、拟办、批办、承办、传阅、办结，全程进待办；阅读带本人姓名水印。",
    description_en="Outgoing documents drafted on a red-header template, reviewed, countersigned and signed on the approvals "
                   "flow, numbered without gaps and sent to people and other units; incoming documents registered, "
                   "proposed, instructed, handled, circulated and closed, each step a to-do; reading carries a personal watermark.",
    depends=["approvals"],
    permissions=[
        PermissionSpec("documents.draft", _("拟写发文")),
        PermissionSpec("documents.register", _("收文登记与流转、发文归档")),
        PermissionSpec("documents.manage", _("管理发文字号，查看本单位全部公文")),
    ],
    default_roles=[
        RoleSpec("documents_clerk", "办公室文书", "Documents clerk",
                 ("platform.use", "documents.draft", "documents.register", "documents.manage")),
        RoleSpec("documents_drafter", "公文拟稿人", "Document drafter", ("platform.use", "documents.draft")),
    ],
    error_codes={
        "DOCUMENT_NOT_EDITABLE": "Only a draft can be changed or sent for approval.",
        "DOCUMENT_WRONG_STEP": "The document is not at a step where this can be done (or not by you).",
        "INVALID_DATE": "The date is not valid here.",
        "SERIES_CODE_TAKEN": "This series code (机关代字) is already used in this unit.",
    },
    bus_messages=["documents.dispatched"],
    bus_handlers={"documents.dispatched": "modules.documents.handlers.on_dispatched"},
    demo="modules.documents.demo.seed",
    todo_sources=["modules.documents.todo_source.open_items"],
    graphql="modules.documents.schema",
    urls="modules.documents.urls",
    changelog=[Change("1.0.0", "首个版本：发文拟稿、核稿会签签发、无断号编号、跨单位分发、收文登记与流转、传阅回执、水印阅读。",
                      "First release: drafting, review, countersigning and signing, gapless numbers, distribution across "
                      "units, incoming registration and routing, circulation receipts, watermarked reading.")],
)
