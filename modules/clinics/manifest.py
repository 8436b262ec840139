from django.utils.translation import gettext_lazy as _

from jianlian.marketplace.manifest import Change, Manifest, PermissionSpec, RoleSpec

MANIFEST = Manifest(
    key="clinics",
    name_zh="门诊排班",
    name_en="Outpatient schedules",
    version="1.0.0",
    category="clinical",
    publisher_level="province",
    depends=["approvals"],
    description_zh="医生门诊出诊安排（按科室、日期、上下午、诊室、号源），停诊/替诊经审批生效，"
                   "候诊大厅公开屏与医院官网数据接口，并与 HIS 同步。",
    description_en="Doctors' clinic sessions per department (date, half-day, room, quota); stops and substitutions "
                   "through approval; a public lobby screen and a JSON feed for the website; HIS sync.",
    permissions=[PermissionSpec("clinics.manage", _("编排门诊出诊"))],
    default_roles=[RoleSpec("clinic_scheduler", "门诊排班员", "Clinic scheduler", ("platform.use", "clinics.manage"))],
    error_codes={
        "CLINICS_BAD_SESSION": "A clinic session's fields are missing or out of range.",
        "CLINICS_DUPLICATE": "That doctor already has a session in that department and half-day.",
        "CLINICS_NOT_CHANGEABLE": "The session is stopped, past, or has a change under approval.",
        "CLINICS_SUBSTITUTE_REQUIRED": "A substitution names the doctor who takes over.",
        "CLINICS_HIS_UNAVAILABLE": "No HIS adapter is configured, or the HIS did not answer.",
    },
    demo="modules.clinics.demo.seed",
    graphql="modules.clinics.schema",
    urls="modules.clinics.urls",
    changelog=[Change("1.0.0", "首个版本：门诊出诊、停诊/替诊审批、大厅屏、官网数据接口、HIS 适配。",
                      "First release: clinic sessions, stop/substitute approvals, lobby screen, website feed, HIS adapter.")],
)
