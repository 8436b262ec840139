from django.utils.translation import gettext_lazy as _

from jianlian.marketplace.manifest import Change, Manifest, PeriodicSpec, PermissionSpec, RoleSpec

MANIFEST = Manifest(
    key="approvals",
    name_zh="审批",
    name_en="Approvals",
    version="1.0.0",
    category="administrative",
    publisher_level="province",
    description_zh="业务人员自己搭建表单和流程：请假、报销、用印、门诊停诊替诊、每日填报，手机上两步审批，组织变动不卡流程。",
    description_en="Forms and flows that business users build themselves: leave, expenses, seals, clinic changes, daily reports; approve from the phone in two taps; flows survive organisation changes.",
    permissions=[
        PermissionSpec("approvals.manage", _("管理审批模板、查看统计与导出")),
        PermissionSpec("approvals.view_all", _("查看本单位全部审批单")),
    ],
    default_roles=[
        RoleSpec("approvals_admin", "审批管理员", "Approvals administrator",
                 ("platform.use", "approvals.manage", "approvals.view_all")),
    ],
    error_codes={
        "INVALID_FORM_SCHEMA": "The form definition is not a valid JSON Schema of the supported kinds.",
        "INVALID_FLOW": "The flow definition is malformed (unknown node type, missing branch, bad rule).",
        "TEMPLATE_NOT_STARTABLE": "The template is disabled or the caller is not in its audience.",
        "TASK_NOT_PENDING": "The task was already decided (by this person or another approver of the node).",
        "INSTANCE_NOT_RUNNING": "The approval is finished or withdrawn; no further step is possible.",
        "INVALID_RETURN_TARGET": "The node to return to is not an earlier node of this approval.",
        "URGE_TOO_SOON": "The approval was urged a short while ago.",
        "APPROVER_REQUIRED": "This node lets the submitter choose approvers, and none were chosen.",
        "INVALID_APPROVER": "The chosen person cannot take this task (not a member, or already on it).",
        "FIELD_NOT_EDITABLE": "The field is read-only or hidden at this node.",
        "TEMPLATE_KEY_TAKEN": "Another template of the tenant has this key.",
        "COLLECTION_CLOSED": "The daily collection form is not open now, or was already filled in today.",
    },
    handover_handlers={"approvals.tasks": "modules.approvals.handover.hand_over_tasks"},
    demo="modules.approvals.demo.seed",
    todo_sources=["modules.approvals.todo_source.open_tasks"],
    graphql="modules.approvals.schema",
    urls="modules.approvals.urls",
    badge="modules.approvals.badges.pending_for",
    periodic_tasks=[PeriodicSpec("timeouts", "modules.approvals.tasks.check_timeouts", 60),
                    PeriodicSpec("collections", "modules.approvals.tasks.open_collections", 300)],
    audit_actions={
        "approvals.create_template": ("新建审批模板", "Created an approval template"),
        "approvals.update_template": ("修改审批模板", "Edited an approval template"),
        "approvals.publish_version": ("发布审批模板", "Published an approval template"),
        "approvals.start": ("发起审批", "Started an approval"),
        "approvals.approve": ("审批通过", "Approved"),
        "approvals.reject": ("审批拒绝", "Rejected"),
        "approvals.withdraw": ("撤回审批", "Withdrew an approval"),
        "approvals.*": ("处理审批", "Acted on an approval"),
    },
    changelog=[Change("1.0.0", "首个版本：表单与流程设计、依次/会签/或签、条件与并行分支、转交加签退回、超时处理、内置常用模板、每日填报。",
                      "First release: form and flow design, sequential/all/any sign, condition and parallel branches, "
                      "forward, add-sign and return, timeouts, built-in templates, daily collection forms.")],
)
