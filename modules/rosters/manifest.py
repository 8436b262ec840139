from django.utils.translation import gettext_lazy as _

from jianlian.marketplace.manifest import Change, Manifest, PermissionSpec, RoleSpec

MANIFEST = Manifest(
    key="rosters",
    name_zh="排班",
    name_en="Duty rosters",
    version="1.0.0",
    category="administrative",
    depends=["approvals"],
    publisher_level="province",
    description_zh="班次类型，科室按月排班（表格编辑），发布即通知到人；我的排班，并进入手机日历订阅。",
    description_en="Shift types, a monthly roster per department edited in a grid, publishing with notices, each "
                   "person's shifts, also in their phone calendar feed.",
    permissions=[PermissionSpec("rosters.manage", _("编排排班"))],
    default_roles=[RoleSpec("roster_scheduler", "排班员", "Roster scheduler", ("platform.use", "rosters.manage"))],
    error_codes={
        "ROSTERS_BAD_MONTH": "The month is not written as YYYY-MM.",
        "ROSTERS_DUPLICATE": "A shift type with that code exists already.",
        "ROSTERS_NOT_IN_DEPARTMENT": "A cell names someone who is not staff of the roster's department.",
        "ROSTERS_BAD_DAY": "A cell's day is not in the roster's month.",
        "ROSTERS_BAD_SHIFT": "A cell's shift type does not exist or is disabled.",
        "ROSTERS_EMPTY": "An empty roster cannot be published.",
        "ROSTERS_BAD_SWAP": "A swap must be with a colleague's shift on the same roster.",
        "ROSTERS_SWAP_CLASH": "After the swap someone would work two shifts on one day.",
        "ROSTERS_SWAP_PENDING": "One of the two shifts is already in a pending swap.",
    },
    calendar_sources=["modules.rosters.services.calendar_events"],
    demo="modules.rosters.demo.seed",
    graphql="modules.rosters.schema",
    changelog=[Change("1.0.0", "首个版本：班次类型、科室月排班、发布通知、我的排班、日历订阅。",
                      "First release: shift types, monthly department rosters, publishing with notices, my shifts, "
                      "calendar feed.")],
)
