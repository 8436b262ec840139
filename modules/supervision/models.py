"""Supervision facts: definitions (data elements, indicators, validation rules, data sets) and the
values and approval state of every reporting unit. All of it is province-wide and aggregate (no
patient data), so every model here lives once in the public schema (manifest `public_models`).

Where a value sat in the tree: `DataValue.path` is the unit's chain of ancestors (itself
included) **as it was in that period**, taken from the hierarchy's placement history when the
value is written. Rolling up is `path @> ARRAY[node]`, so a township centre that moved to another
community keeps its past months under the old one (DHIS2 re-aggregates history under the current
tree; we do not).

Periods: a data set is monthly, quarterly or yearly. Every value is stored at its period's first
month (`DataValue.period`): a quarterly value for 2026Q2 sits at 2026-04-01, a yearly one for 2026 at
2026-01-01, so the roll-up and the aggregation of longer periods treat them as that month's values.
Periods are written "2026-03", "2026Q1" or "2026" (`services.parse_period`).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils.translation import gettext_lazy as _


class ValueType(models.TextChoices):
    INTEGER = "integer", _("整数")
    NUMBER = "number", _("数值")
    AMOUNT = "amount", _("金额（元）")


class Aggregation(models.TextChoices):
    SUM = "sum", _("求和")
    LAST = "last", _("期末值")  # stocks (beds, staff): the last month of a longer period, summed over units
    AVERAGE = "average", _("平均值")  # averaged over months and units


# The disaggregations (DHIS2's category combinations) an element may have, with their options.
DISAGGREGATIONS: dict[str, list[tuple[str, str]]] = {
    "": [],
    "visit_type": [("outpatient", "门诊"), ("emergency", "急诊")],
    "sex": [("male", "男"), ("female", "女")],
    "age_band": [("0_14", "0–14岁"), ("15_64", "15–64岁"), ("65_plus", "65岁及以上")],
}


class Disaggregation(models.TextChoices):
    NONE = "", _("不分类")
    VISIT_TYPE = "visit_type", _("门诊/急诊")
    SEX = "sex", _("性别")
    AGE_BAND = "age_band", _("年龄段")


class Topic(models.TextChoices):
    """What an element is about: the entry form groups its fields under these headings, in this
    order (the monitoring set's own grouping, not the codes')."""

    VISITS = "visits", _("门急诊与医技")
    INPATIENT = "inpatient", _("住院与手术")
    RESOURCES = "resources", _("床位与人员")
    FUNDS = "funds", _("收入与医保基金")
    PUBLIC_HEALTH = "public_health", _("慢病管理与公共卫生")
    POPULATION = "population", _("人口与家庭医生签约")
    REFERRALS = "referrals", _("双向转诊")
    OTHER = "other", _("其他")


class DataElement(models.Model):
    code = models.CharField(_("代码"), max_length=60, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=150, blank=True)
    value_type = models.CharField(_("值类型"), max_length=16, choices=ValueType.choices, default=ValueType.INTEGER)
    aggregation = models.CharField(_("汇总方式"), max_length=16, choices=Aggregation.choices, default=Aggregation.SUM)
    disaggregation = models.CharField(_("分类"), max_length=16, choices=Disaggregation.choices, blank=True, default="")
    min_value = models.DecimalField(_("下限"), max_digits=18, decimal_places=4, null=True, blank=True)
    max_value = models.DecimalField(_("上限"), max_digits=18, decimal_places=4, null=True, blank=True)
    source_app = models.CharField(_("自动采集来源应用"), max_length=40, blank=True)
    description = models.TextField(_("说明"), blank=True)
    topic = models.CharField(_("主题"), max_length=16, choices=Topic.choices, default=Topic.OTHER)

    class Meta:
        verbose_name = _("数据元")
        verbose_name_plural = _("数据元")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def options(self) -> list[str]:
        return [o for o, _label in DISAGGREGATIONS.get(self.disaggregation, [])]


class Indicator(models.Model):
    code = models.CharField(_("代码"), max_length=60, unique=True)
    name = models.CharField(_("名称"), max_length=150)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    numerator = models.TextField(_("分子公式"))
    denominator = models.TextField(_("分母公式"), blank=True, default="1")
    factor = models.PositiveIntegerField(_("系数"), default=1)  # 100 percent, 1000 per mille …
    unit_label = models.CharField(_("单位"), max_length=20, blank=True)
    source = models.CharField(_("定义来源"), max_length=300)
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Operator(models.TextChoices):
    LE = "<=", "≤"
    LT = "<", "<"
    EQ = "==", "="
    NE = "!=", "≠"
    GE = ">=", "≥"
    GT = ">", ">"


class ValidationRule(models.Model):
    code = models.CharField(_("代码"), max_length=60, unique=True)
    name = models.CharField(_("名称"), max_length=150)
    left = models.TextField(_("左侧公式"))
    operator = models.CharField(_("运算符"), max_length=2, choices=Operator.choices)
    right = models.TextField(_("右侧公式"))
    instruction = models.CharField(_("提示"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("校验规则")
        verbose_name_plural = _("校验规则")
        ordering = ["code"]


class Origin(models.TextChoices):
    AUTO = "auto", _("自动采集")
    IMPORT = "import", _("导入")
    MANUAL = "manual", _("手工填报")


class DataValue(models.Model):
    """One number: a unit's value of one element (one option of it, or its total when the element
    is not disaggregated) for one month."""

    unit = models.ForeignKey("hierarchy.OrgUnit", on_delete=models.PROTECT, related_name="+")
    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="values")
    option = models.CharField(_("分类选项"), max_length=20, blank=True, default="")
    period = models.DateField(_("期间（月初）"))
    value = models.DecimalField(_("值"), max_digits=18, decimal_places=4)
    path = ArrayField(models.BigIntegerField(), verbose_name=_("当期隶属路径"))
    comment = models.CharField(_("备注"), max_length=500, blank=True)
    is_outlier = models.BooleanField(_("超出范围"), default=False)
    origin = models.CharField(_("来源"), max_length=10, choices=Origin.choices)
    source_tenant = models.CharField(_("来源租户"), max_length=63, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("数据值")
        verbose_name_plural = _("数据值")
        constraints = [
            models.UniqueConstraint(fields=["unit", "element", "option", "period"], name="supervision_value_key"),
        ]
        indexes = [
            GinIndex(fields=["path"], name="supervision_value_path"),
            models.Index(fields=["period", "element"], name="supervision_value_period"),
        ]


class PeriodType(models.TextChoices):
    MONTHLY = "monthly", _("月报")
    QUARTERLY = "quarterly", _("季报")
    YEARLY = "yearly", _("年报")


# The data set every call without one means (seeded by migration 0006 and `ensure_standard_set`).
STANDARD_DATA_SET = "standard_monthly"


class DataSet(models.Model):
    """What a kind of unit reports each period (DHIS2's data set): its elements, the hierarchy
    levels and unit types it is assigned to, when a submission counts as on time (`due_days` after
    the period's last day) and when entry closes unless reopened (`lock_days` after it; none: never
    by date)."""

    code = models.CharField(_("代码"), max_length=60, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=150, blank=True)
    period_type = models.CharField(_("报告周期"), max_length=10, choices=PeriodType.choices, default=PeriodType.MONTHLY)
    elements = models.ManyToManyField(DataElement, related_name="data_sets", verbose_name=_("数据元"), blank=True)
    levels = ArrayField(models.CharField(max_length=16), verbose_name=_("适用层级"), default=list)
    unit_types = ArrayField(models.CharField(max_length=32), verbose_name=_("适用单位类型"), default=list, blank=True)
    due_days = models.PositiveSmallIntegerField(_("按时上报天数"), default=10)
    lock_days = models.PositiveSmallIntegerField(_("锁定天数"), null=True, blank=True)
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("数据集")
        verbose_name_plural = _("数据集")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def assigned_to(self, unit) -> bool:
        return unit.level in self.levels and (not self.unit_types or unit.unit_type in self.unit_types)


class Step(models.IntegerChoices):
    OPEN = 0, _("未上报")
    SUBMITTED = 1, _("已上报")
    COMMUNITY = 2, _("医共体已审核")
    COUNTY = 3, _("县级已接收")
    CITY = 4, _("市级已审核")
    PROVINCE = 5, _("省级已审核")


# Which level of the tree takes each step after submission.
STEP_LEVEL = {Step.COMMUNITY: "lead", Step.COUNTY: "county", Step.CITY: "city", Step.PROVINCE: "province"}


class Approval(models.Model):
    """Where a unit's period of one data set stands on its way up the tree. Submitted or further:
    locked."""

    data_set = models.ForeignKey(DataSet, on_delete=models.PROTECT, related_name="approvals")
    unit = models.ForeignKey("hierarchy.OrgUnit", on_delete=models.PROTECT, related_name="+")
    period = models.DateField(_("期间（首月月初）"))
    step = models.PositiveSmallIntegerField(_("审核进度"), choices=Step.choices, default=Step.OPEN)
    submitted_at = models.DateTimeField(_("上报时间"), null=True, blank=True)
    on_time = models.BooleanField(_("按时上报"), null=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("审核状态")
        verbose_name_plural = _("审核状态")
        constraints = [models.UniqueConstraint(fields=["data_set", "unit", "period"], name="supervision_approval_ds_key")]


class EntryReopening(models.Model):
    """Entry reopened after a data set's lock date for one unit and period, until the end of
    `until` (granted by an approver at the unit's community or above)."""

    data_set = models.ForeignKey(DataSet, on_delete=models.CASCADE, related_name="reopenings")
    unit = models.ForeignKey("hierarchy.OrgUnit", on_delete=models.CASCADE, related_name="+")
    period = models.DateField(_("期间（首月月初）"))
    until = models.DateField(_("开放至"))
    reason = models.CharField(_("原因"), max_length=500)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("重新开放填报")
        verbose_name_plural = _("重新开放填报")
        indexes = [models.Index(fields=["data_set", "unit", "period"], name="supervision_reopening_key")]


class ApprovalEvent(models.Model):
    approval = models.ForeignKey(Approval, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=20)
    from_step = models.PositiveSmallIntegerField(_("原进度"), choices=Step.choices)
    to_step = models.PositiveSmallIntegerField(_("新进度"), choices=Step.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("原因"), max_length=500, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("审核记录")
        verbose_name_plural = _("审核记录")
        ordering = ["at", "id"]


class Aggregate(models.Model):
    """A month's values rolled up to every node of the tree as it was that month (`rollup`), by
    element, option and the reporting units' level (for formulas such as #{visits@member}).
    AVERAGE elements hold the mean over the node's units; the others their sum."""

    node = models.ForeignKey("hierarchy.OrgUnit", on_delete=models.CASCADE, related_name="+", db_constraint=False)
    element = models.ForeignKey(DataElement, on_delete=models.CASCADE, related_name="+")
    option = models.CharField(_("分类选项"), max_length=20, blank=True, default="")
    level = models.CharField(_("层级"), max_length=16)
    period = models.DateField(_("期间（月初）"))
    value = models.FloatField(_("值"))
    units = models.PositiveIntegerField(_("单位数"))

    class Meta:
        verbose_name = _("汇总值")
        verbose_name_plural = _("汇总值")
        indexes = [models.Index(fields=["node", "period"], name="supervision_aggregate_node")]


class RollupState(models.Model):
    """Whether a month's aggregates are current: every value written marks its month stale; the
    rollup clears it. Reads of a stale month are computed from the values instead."""

    period = models.DateField(_("期间（月初）"), unique=True)
    stale = models.BooleanField(_("待汇总"), default=True)
    rolled_up_at = models.DateTimeField(_("汇总时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("汇总状态")
        verbose_name_plural = _("汇总状态")


class Alert(models.Model):
    """A threshold on an indicator over a supervisor's subtree: when a community, hospital or
    authority below `node` crosses it in a month, the supervisors at `node` are told (once per node
    and month)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="alerts")
    node = models.ForeignKey("hierarchy.OrgUnit", on_delete=models.CASCADE, related_name="+")
    operator = models.CharField(_("运算符"), max_length=2, choices=Operator.choices)
    threshold = models.DecimalField(_("阈值"), max_digits=18, decimal_places=4)
    active = models.BooleanField(_("启用"), default=True)
    created_by = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("指标预警")
        verbose_name_plural = _("指标预警")


class AlertFiring(models.Model):
    """An alert that fired for one node and month (its notice is sent once)."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="firings")
    node = models.ForeignKey("hierarchy.OrgUnit", on_delete=models.CASCADE, related_name="+")
    period = models.DateField(_("期间"))
    value = models.DecimalField(_("指标值"), max_digits=18, decimal_places=4)
    fired_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("预警记录")
        verbose_name_plural = _("预警记录")
        constraints = [models.UniqueConstraint(fields=["alert", "node", "period"], name="supervision_alertfiring_once")]
