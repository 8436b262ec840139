from django.utils.translation import gettext_lazy as _

from jianlian.marketplace.manifest import Change, Manifest, PeriodicSpec, PermissionSpec, RoleSpec

MANIFEST = Manifest(
    key="referrals",
    name_zh="双向转诊",
    name_en="Two-way referrals",
    version="1.0.0",
    category="clinical",
    publisher_level="province",
    description_zh="基层上转疑难重症、医院下转康复患者，电子病历随转诊单流转，双方实时协同。",
    description_en="Refer difficult cases up and rehabilitation patients down, with the medical record attached, live on both sides.",
    permissions=[
        PermissionSpec("referrals.view", _("查看转诊单（含患者信息）"), patient_data=True),
        PermissionSpec("referrals.create", _("发起转诊"), patient_data=True),
        PermissionSpec("referrals.accept", _("接收转诊"), patient_data=True),
        PermissionSpec("referrals.review", _("审核本单位转出的转诊单"), patient_data=True),
        PermissionSpec("referrals.manage_desks", _("管理接诊科室与号源")),
        PermissionSpec("referrals.view_statistics", _("查看转诊统计")),
    ],
    default_roles=[
        RoleSpec("referral_office", "转诊办", "Referral office",
                 ("platform.use", "referrals.view", "referrals.review", "referrals.manage_desks",
                  "referrals.view_statistics", "referrals.accept")),
    ],
    open_permission="referrals.view",
    graphql="modules.referrals.schema",
    urls="modules.referrals.urls",
    badge="modules.referrals.badges.pending_for",
    bus_messages=["referrals.requested", "referrals.transition"],
    periodic_tasks=[PeriodicSpec("sla", "modules.referrals.tasks.check_sla", 60)],
    data_elements=["referrals.up", "referrals.down", "referrals.accepted", "referrals.received",
                   "referrals.median_accept_minutes", "referrals.median_arrive_minutes"],
    changelog=[Change("1.0.0", "首个版本：上转、下转、平转，号源预约，时限提醒与升级，FHIR 导出。",
                      "First release: up, down and lateral referrals, slot booking, SLA reminders and escalation, FHIR export.")],
)
