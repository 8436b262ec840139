from django.utils.translation import gettext_lazy as _

from jianlian.marketplace.manifest import Change, Manifest, PeriodicSpec, PermissionSpec, RoleSpec

MANIFEST = Manifest(
    key="meetings",
    name_zh="会议室",
    name_en="Meeting rooms",
    version="1.0.0",
    category="administrative",
    publisher_level="province",
    description_zh="按单位管理会议室，预订绝不撞车；周期会议、邀请与回复、会前提醒、楼宇占用看板、签到释放，手机日历订阅。",
    description_en="Rooms per unit, bookings that never clash, weekly meetings, invitations, reminders, an occupancy "
                   "board per building, check-in that frees no-show rooms, and a calendar feed for phones.",
    permissions=[PermissionSpec("meetings.manage", _("管理会议室"))],
    default_roles=[RoleSpec("meetings_admin", "会议室管理员", "Meeting room administrator", ("platform.use", "meetings.manage"))],
    error_codes={
        "MEETINGS_ROOM_TAKEN": "The room is already booked for (part of) that time; the message names the clashing time.",
        "MEETINGS_ROOM_CLOSED": "The room is disabled and takes no new bookings.",
        "MEETINGS_BAD_TIME": "The meeting's time is invalid (end before start, in the past, too long).",
        "MEETINGS_NOT_ACTIVE": "The booking was cancelled or released; nothing more can be done with it.",
        "MEETINGS_CHECK_IN_CLOSED": "Check-in is open from 15 minutes before to 15 minutes after the start.",
        "MEETINGS_NOT_INVITED": "The caller is not invited to this meeting.",
    },
    demo="modules.meetings.demo.seed",
    todo_sources=["modules.meetings.todo_source.open_invitations"],
    graphql="modules.meetings.schema",
    urls="modules.meetings.urls",
    periodic_tasks=[PeriodicSpec("reminders", "modules.meetings.tasks.send_reminders", 60),
                    PeriodicSpec("no_shows", "modules.meetings.tasks.release_no_shows", 60)],
    audit_actions={
        "meetings.booked": ("预订会议室", "Booked a room"),
        "meetings.responded": ("回复会议邀请", "Answered an invitation"),
        "meetings.checked_in": ("会议签到", "Checked in"),
        "meetings.room_created": ("新增会议室", "Added a room"),
        "meetings.room_updated": ("修改会议室", "Edited a room"),
        "meetings.calendar_reset": ("重置日历订阅", "Reset a calendar feed"),
        "meetings.*": ("处理会议预订", "Acted on a booking"),
    },
    changelog=[Change("1.0.0", "首个版本：会议室、不冲突的预订、周期会议、邀请、提醒、占用看板、签到释放、日历订阅。",
                      "First release: rooms, clash-free bookings, weekly meetings, invitations, reminders, occupancy "
                      "board, check-in release, calendar feed.")],
)
