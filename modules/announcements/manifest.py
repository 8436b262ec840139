from django.utils.translation import gettext_lazy as _

from jianlian.marketplace.manifest import Change, Manifest, PeriodicSpec, PermissionSpec, RoleSpec

MANIFEST = Manifest(
    key="announcements",
    name_zh="公告与新闻",
    name_en="Announcements and news",
    version="1.0.0",
    category="administrative",
    publisher_level="province",
    description_zh="院务公开、通知公告、新闻动态、专题：按范围发布，必读有期限并进待办，阅读率按科室实时可见，一键提醒未读。",
    description_en="Hospital affairs, notices, news and topics published to an audience; must-read notices with a deadline "
                   "become to-dos; read rates by department live; remind the unread in one action.",
    permissions=[
        PermissionSpec("announcements.manage", _("管理公告栏目及其管理员，编辑全部公告")),
    ],
    default_roles=[
        RoleSpec("announcements_admin", "公告管理员", "Announcements administrator", ("platform.use", "announcements.manage")),
    ],
    error_codes={
        "POST_NOT_EDITABLE": "Only drafts and scheduled posts can be changed or published.",
        "POST_NOT_PUBLISHED": "The post is not published (yet), so it cannot be read, reminded or pinned.",
        "COMMENTS_DISABLED": "The column does not take comments.",
        "LIKES_DISABLED": "The column does not take likes.",
        "COLUMN_KEY_TAKEN": "Another column of the tenant has this key.",
        "ATTACHMENT_TYPE": "Attachments must be PDF, Office documents, JPEG, PNG or GIF, and match their content.",
        "ATTACHMENT_TOO_LARGE": "The attachment is larger than allowed.",
        "INVALID_DATE": "The date is not valid here.",
        "NO_FORM": "The post has no form or poll attached.",
        "FORM_ALREADY_ANSWERED": "Each person answers a post's form or poll once.",
        "FORM_CLOSED": "The post's form or poll has closed; answers are no longer taken.",
    },
    demo="modules.announcements.demo.seed",
    todo_sources=["modules.announcements.todo_source.unread_required"],
    graphql="modules.announcements.schema",
    urls="modules.announcements.urls",
    periodic_tasks=[PeriodicSpec("publish_due", "modules.announcements.tasks.publish_due", 60)],
    audit_actions={
        "announcements.save": ("保存公告草稿", "Saved a post"),
        "announcements.publish": ("发布公告", "Published a post"),
        "announcements.schedule": ("定时发布公告", "Scheduled a post"),
        "announcements.withdraw": ("撤回公告", "Withdrew a post"),
        "announcements.pin": ("置顶公告", "Pinned a post"),
        "announcements.remind": ("提醒未读人员", "Reminded unread readers"),
        "announcements.attach": ("添加公告附件", "Attached a file to a post"),
        "announcements.detach": ("删除公告附件", "Removed a file from a post"),
        "announcements.comment": ("评论公告", "Commented on a post"),
        "announcements.hide_comment": ("隐藏评论", "Hid a comment"),
        "announcements.save_column": ("保存栏目", "Saved a column"),
    },
    changelog=[Change("1.0.0", "首个版本：栏目与栏目管理员、富文本与附件、发布范围、定时发布、置顶与过期、必读与阅读率、提醒未读、评论点赞。",
                      "First release: columns and their administrators, rich text and attachments, audiences, scheduled "
                      "publishing, pinning and expiry, must-read and read rates, reminders, comments and likes.")],
)
