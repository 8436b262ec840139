from django.utils.translation import gettext_lazy as _

from jianlian.marketplace.manifest import Change, Manifest, PeriodicSpec, PermissionSpec, RoleSpec

MANIFEST = Manifest(
    key="union",
    name_zh="工会云",
    name_en="Staff union",
    version="1.2.0",
    category="management",
    publisher_level="province",
    description_zh="职工的手机工会：分工会与小组、入会转会退会、每日签到与积分、活动报名候补与扫码签到、福利选择与汇总、"
                   "保密的心理咨询与法律帮扶、参与度与排行榜。",
    description_en="The staff union on the phone: sub-unions and groups, membership, daily check-in and points, "
                   "activities with waiting lists and QR check-in, welfare choices and tallies, confidential "
                   "counselling and legal aid, participation and leaderboards.",
    permissions=[PermissionSpec("union.manage", _("管理工会（建立组织、任命干部）"))],
    default_roles=[RoleSpec("union_admin", "工会管理员", "Union administrator", ("platform.use", "union.manage"))],
    error_codes={
        "UNION_NOT_MEMBER": "The caller is not an active union member (join first).",
        "UNION_ALREADY_MEMBER": "The person is already a member.",
        "UNION_NOT_STAFF": "Only active staff of this unit (with an activated account) can join the union.",
        "UNION_BAD_NODE": "The union node does not fit (wrong level, outside the officer's part, or has members).",
        "UNION_ALREADY_CHECKED_IN": "The member has already checked in today.",
        "UNION_INSUFFICIENT_POINTS": "The balance is lower than the points to redeem.",
        "UNION_ACTIVITY_CLOSED": "The activity takes no more sign-ups (closed, cancelled or started).",
        "UNION_ALREADY_SIGNED_UP": "The member already holds a place or is on the waiting list.",
        "UNION_BAD_CHECK_IN_CODE": "The QR code does not belong to this activity, or check-in is not open.",
        "UNION_CAMPAIGN_CLOSED": "The welfare campaign has closed; choices can no longer change.",
        "UNION_NO_COUNSELLOR": "No counsellor or lawyer of that kind is available.",
        "UNION_SURVEY_CLOSED": "The survey has closed; answers are no longer taken.",
        "UNION_SURVEY_ANSWERED": "The member has already answered this survey (once per member).",
        "UNION_NO_OFFICER": "The member's union node (and its parents) has no officer to decide the request.",
        "UNION_ALREADY_JOINED": "The member has already applied to the club or entered the ticket lottery.",
        "UNION_LOTTERY_DRAWN": "The ticket lottery of the screening has been drawn.",
    },
    depends=["approvals"],
    bus_handlers={"union.points_award": "modules.union.points_events.points_award"},
    handover_handlers={"union.membership": "modules.union.membership.on_staff_change"},
    demo="modules.union.demo.seed",
    todo_sources=["modules.union.todo_source.open_items"],
    graphql="modules.union.schema",
    urls="modules.union.urls",
    periodic_tasks=[PeriodicSpec("sync_members", "modules.union.tasks.sync_members", 60),
                    PeriodicSpec("weekly_digest", "modules.union.tasks.weekly_digest", 3600),
                    PeriodicSpec("announce_closed_surveys", "modules.union.tasks.announce_closed_surveys", 60)],
    changelog=[Change("1.2.0", "自主学习入口、职工书屋（点击统计）、工会图集、惠在协和优惠、对外事件（会员入会退会、问卷截止、影院抽签）。",
                      "Self-learning entries, the staff library with click statistics, albums, member offers, "
                      "webhook events (member joined/left, survey closed, lottery drawn)."),
               Change("1.1.0", "调查问卷（实名或匿名）、慰问申请走审批、社团协会、职工影院抽签。",
                      "Surveys (named or anonymous), condolence requests on an approval flow, clubs, "
                      "staff-cinema ticket lottery."),
               Change("1.0.0", "首个版本：工会组织、会员、签到积分、活动、福利、保密求助、大数据。",
                      "First release: union tree, members, check-in and points, activities, welfare, "
                      "confidential requests, participation figures.")],
)
