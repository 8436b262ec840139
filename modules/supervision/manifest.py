from django.utils.translation import gettext_lazy as _

from jianlian.marketplace.manifest import Change, Manifest, PeriodicSpec, PermissionSpec, RoleSpec

MANIFEST = Manifest(
    key="supervision",
    name_zh="监管在线",
    name_en="Supervision online",
    version="1.0.0",
    category="management",
    publisher_level="province",
    description_zh="紧密型县域医共体监测指标：自动采集为主、填报为辅，逐级审核，按层级汇总。",
    description_en="County medical-community monitoring indicators: collected automatically first, reported second, approved and rolled up the tree.",
    permissions=[
        PermissionSpec("supervision.report", _("填报监管数据")),
        PermissionSpec("supervision.approve", _("审核监管数据")),
        PermissionSpec("supervision.view_aggregates", _("查看监管汇总指标")),
    ],
    default_roles=[
        RoleSpec("supervision_officer", "监管数据专员", "Supervision data officer",
                 ("platform.use", "supervision.report", "supervision.approve")),
    ],
    open_permission="supervision.report",
    graphql="modules.supervision.schema",
    urls="modules.supervision.urls",
    # Everything lives in the public schema: definitions, values, approvals (aggregates only).
    public_models=("dataelement", "indicator", "validationrule", "datavalue", "approval", "approvalevent",
                   "aggregate", "rollupstate", "alert", "alertfiring", "dataset", "entryreopening"),
    # Supervisors work on the province console (no tenant): these fields serve it too.
    console_fields=("supervision_data_elements", "supervision_indicators", "supervision_dashboard",
                    "supervision_completeness", "supervision_violations", "supervision_approval",
                    "save_supervision_indicator", "save_supervision_rule", "import_supervision_values",
                    "supervision_values", "supervision_approvals", "supervision_data_sets", "save_supervision_data_set",
                    "supervision_entry_form", "supervision_reporting_units", "reopen_supervision_entry",
                    "supervision_alerts", "save_supervision_alert", "supervision_alert_firings",
                    # the workbench's approval and dashboard pages (api/pages.py)
                    "supervision_scope", "supervision_node", "supervision_trend", "supervision_heatmap",
                    "supervision_approval_queue", "supervision_approval_events",
                    # live events for both pages (api/subscriptions.py)
                    "supervision_changed",
                    # the report's lifecycle (api/reports.py)
                    "submit_supervision_report", "approve_supervision_report", "return_supervision_report",
                    "reopen_supervision_report"),
    bus_messages=["supervision.values"],
    bus_handlers={"supervision.values": "modules.supervision.handlers.on_values"},
    demo="modules.supervision.demo.seed_year",
    error_codes={
        "INVALID_FORMULA": "The formula cannot be parsed or names an unknown data element or category.",
        "INVALID_CODE": "A code must be 2-60 lowercase letters, digits, dots or underscores.",
        "CODE_TAKEN": "Another data element, indicator or rule already has that code.",
        "INVALID_PERIOD": "Not a period (YYYY-MM, YYYYQn or YYYY).",
        "INVALID_VALUE": "The value is not a number of the data element's type.",
        "UNKNOWN_UNIT": "No org unit has that code.",
        "UNKNOWN_ELEMENT": "No data element has that code.",
        "UNKNOWN_CATEGORY": "The data element has no such disaggregation option.",
        "OUTLIER_COMMENT_REQUIRED": "The value is outside the element's bounds and needs a comment.",
        "DATA_LOCKED": "The unit's data for that period is submitted or approved and cannot change.",
        "ILLEGAL_APPROVAL": "That approval step does not follow from the current state.",
        "REASON_REQUIRED": "Unapproving needs a reason.",
        "INVALID_IMPORT": "The import document cannot be read.",
        "UNKNOWN_INDICATOR": "No indicator has that code.",
        "INVALID_OPERATOR": "The comparison operator is not one of <, <=, ==, !=, >=, >.",
        "UNKNOWN_DATA_SET": "No data set has that code.",
        "NOT_ASSIGNED": "The data set is not assigned to the unit (by its level and unit type).",
        "PERIOD_LOCKED": "The data set's lock date for that period has passed and entry has not been reopened.",
        "PERIOD_TYPE_CONFLICT": "A unit would report the same data element in data sets of two period types.",
        "INVALID_DATE": "Not a date (YYYY-MM-DD), or a date in the past where a future one is needed.",
    },
    periodic_tasks=[PeriodicSpec("collect", "modules.supervision.tasks.collect", 24 * 3600),
                    PeriodicSpec("rollup", "modules.supervision.tasks.rollup", 300)],
    changelog=[Change("1.0.0", "首个版本：数据元与指标、自动采集、导入与填报、逐级审核、按层级汇总。",
                      "First release: data elements and indicators, automatic collection, import and entry, approval up the tree, roll-up.")],
)
