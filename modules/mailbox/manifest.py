from django.utils.translation import gettext_lazy as _

from jianlian.marketplace.manifest import Change, Manifest, PermissionSpec, RoleSpec

MANIFEST = Manifest(
    key="mailbox",
    name_zh="院长信箱与职工诉求",
    name_en="Director's mailbox and staff appeals",
    version="1.0.0",
    category="administrative",
    publisher_level="province",
    description_zh="职工实名或匿名写信、提诉求，专人办理与答复，写信人评价满意度；匿名信件不保存写信人的任何线索，凭一次性取件码查看答复。",
    description_en="Staff write to the director or raise appeals, named or anonymous; a handler replies and the writer rates "
                   "the answer. Anonymous letters keep no trace of the writer, who reads replies with a one-time claim code.",
    permissions=[
        PermissionSpec("mailbox.handle", _("办理来信：查看、答复、办结")),
        PermissionSpec("mailbox.manage", _("分派来信，查看统计")),
    ],
    default_roles=[
        RoleSpec("mailbox_handler", "信箱办理人", "Mailbox handler", ("platform.use", "mailbox.handle")),
        RoleSpec("mailbox_admin", "信箱管理员", "Mailbox administrator", ("platform.use", "mailbox.handle", "mailbox.manage")),
    ],
    error_codes={
        "LETTER_CLOSED": "The letter is closed; nothing more can be added.",
        "INVALID_CLAIM_CODE": "The claim code does not open any letter.",
    },
    demo="modules.mailbox.demo.seed",
    todo_sources=["modules.mailbox.todo_source.open_letters"],
    graphql="modules.mailbox.schema",
    changelog=[Change("1.0.0", "首个版本：实名与匿名来信、分派办理、答复与追问、满意度、统计。",
                      "First release: named and anonymous letters, routing, replies and follow-ups, satisfaction, statistics.")],
)
