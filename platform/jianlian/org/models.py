"""The organisation of one tenant (its own schema): departments, staff profiles, tags, groups,
lifecycle events, contacts and field-visibility rules.

Accounts, memberships and units live in the public schema; rows here refer to them by id
(`user_id`, `unit_id`) rather than by foreign key, as the notification centre does, so that a
tenant schema never holds a constraint into public that cloning or moving a tenant would break.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import F
from django.db.models.functions import Left
from django.utils.translation import gettext_lazy as _
from mptt.models import MPTTModel, TreeForeignKey

from jianlian.identity.crypto import EncryptedTextField
from jianlian.identity.models import mobile_suffix_indexes


class DepartmentKind(models.TextChoices):
    GROUP = "group", _("分组")
    DEPARTMENT = "department", _("科室")
    WARD = "ward", _("病区")


class DepartmentCategory(models.TextChoices):
    """Seed 003's six top groups."""

    FUNCTIONAL = "functional", _("职能")
    CLINICAL = "clinical", _("临床")
    OUTPATIENT = "outpatient", _("门诊")
    MEDICAL_TECH = "medical_tech", _("医技")
    INSURANCE = "insurance", _("医保")
    LABORATORY = "laboratory", _("检验")
    OTHER = "other", _("其他")


class Department(MPTTModel):
    """A node of a unit's department tree: a top group, a department or a ward."""

    unit_id = models.BigIntegerField(_("所属单位ID"), db_index=True)
    parent = TreeForeignKey("self", verbose_name=_("上级科室"), null=True, blank=True, on_delete=models.PROTECT,
                            related_name="children")
    code = models.CharField(_("科室编码"), max_length=32, unique=True)
    name = models.CharField(_("科室名称"), max_length=60)
    kind = models.CharField(_("类型"), max_length=16, choices=DepartmentKind.choices, default=DepartmentKind.DEPARTMENT)
    category = models.CharField(_("类别"), max_length=16, choices=DepartmentCategory.choices,
                                default=DepartmentCategory.OTHER)
    head = models.ForeignKey("StaffProfile", verbose_name=_("负责人"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="headed_departments")
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class MPTTMeta:
        order_insertion_by = ["code"]
        level_attr = "depth"

    class Meta:
        verbose_name = _("科室")
        verbose_name_plural = _("科室")

    def __str__(self) -> str:
        return self.name


class EmploymentType(models.TextChoices):
    OWN = "own", _("本院职工")
    THIRD_PARTY = "third_party", _("第三方人员")


class StaffStatus(models.TextChoices):
    PENDING = "pending", _("待入职")
    ACTIVE = "active", _("在职")
    SECONDED = "seconded", _("借调/下沉")
    LEFT = "left", _("已离职")


class StaffProfile(models.Model):
    """A person's record in this tenant, linked to their one global account (`user_id`).

    `name_pinyin` and `name_initials` are computed from the name with surname-aware readings
    (`jianlian.org.pinyin`). The mobile is encrypted at rest; `mobile_suffixes` holds the blind
    indexes of its last 4 … 11 digits, so "the last digits of a phone" is one GIN look-up. The
    pinyin has the "C" collation and the other name columns `text_pattern_ops` indexes, so a
    search is an index range scan (`jianlian.org.search`).
    """

    user_id = models.BigIntegerField(_("账号ID"), unique=True)
    staff_no = models.CharField(_("工号"), max_length=32, unique=True)
    name = models.CharField(_("姓名"), max_length=50)
    name_pinyin = models.CharField(_("姓名全拼"), max_length=200, editable=False, db_collation="C")
    name_initials = models.CharField(_("姓名首字母"), max_length=50, editable=False)
    photo = models.CharField(_("照片地址"), max_length=300, blank=True)
    mobile = EncryptedTextField(_("手机号"), blank=True)
    mobile_suffixes = ArrayField(models.CharField(max_length=16), default=list, blank=True, editable=False)
    office_phone = models.CharField(_("办公电话"), max_length=30, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    unit_id = models.BigIntegerField(_("所在单位ID"), db_index=True)
    post = models.CharField(_("岗位"), max_length=60, blank=True)
    position = models.CharField(_("职务"), max_length=60, blank=True)
    title = models.CharField(_("职称"), max_length=60, blank=True)
    grade = models.CharField(_("级别"), max_length=30, blank=True)
    employment_type = models.CharField(_("用工类型"), max_length=16, choices=EmploymentType.choices,
                                       default=EmploymentType.OWN)
    status = models.CharField(_("状态"), max_length=16, choices=StaffStatus.choices, default=StaffStatus.PENDING)
    departments = models.ManyToManyField(Department, through="DepartmentMembership", related_name="members",
                                         verbose_name=_("所属科室"))
    tags = models.ManyToManyField("Tag", blank=True, related_name="staff", verbose_name=_("标签"))
    joined_on = models.DateField(_("入职日期"), null=True, blank=True)
    left_at = models.DateTimeField(_("离职时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("人员档案")
        verbose_name_plural = _("人员档案")
        indexes = [
            # contacts are listed by pinyin: a prefix is a range of this index, read in order
            models.Index(fields=["name_pinyin", "id"], name="staff_pinyin_order"),
            # two or three letters of initials, then in pinyin order (jianlian.org.search)
            models.Index(Left("name_initials", 2), F("name_pinyin"), F("id"), name="staff_initials2_order"),
            models.Index(Left("name_initials", 3), F("name_pinyin"), F("id"), name="staff_initials3_order"),
            models.Index(fields=["name_initials"], name="staff_initials_prefix", opclasses=["text_pattern_ops"]),
            models.Index(fields=["name"], name="staff_name_prefix", opclasses=["text_pattern_ops"]),
            models.Index(fields=["staff_no"], name="staff_no_prefix", opclasses=["text_pattern_ops"]),
            GinIndex(fields=["mobile_suffixes"], name="staff_mobile_suffixes"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.staff_no}）"

    def save(self, *args, **kwargs):
        from jianlian.org.pinyin import name_keys

        self.name_pinyin, self.name_initials = name_keys(self.name)
        self.mobile_suffixes = mobile_suffix_indexes(self.mobile)
        super().save(*args, **kwargs)


class DepartmentMembership(models.Model):
    """A person in a department; a person may belong to several, one of them primary."""

    staff = models.ForeignKey(StaffProfile, on_delete=models.CASCADE, related_name="department_links")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="member_links")
    is_primary = models.BooleanField(_("主科室"), default=True)

    class Meta:
        verbose_name = _("科室成员")
        verbose_name_plural = _("科室成员")
        constraints = [
            models.UniqueConstraint(fields=["staff", "department"], name="deptmember_once"),
            models.UniqueConstraint(fields=["staff"], condition=models.Q(is_primary=True), name="deptmember_one_primary"),
        ]


class Tag(models.Model):
    """A job-title tag (director, deputy director, head nurse …), a valid audience target."""

    code = models.CharField(_("标签代码"), max_length=40, unique=True)
    name = models.CharField(_("标签名称"), max_length=40)

    class Meta:
        verbose_name = _("标签")
        verbose_name_plural = _("标签")

    def __str__(self) -> str:
        return self.name


class Group(models.Model):
    """A group kept beside departments: named members, or members by rule (dynamic).

    A rule is a dict of conditions that must all hold, each a list of accepted values:
    `tags` (tag codes), `categories` (department categories), `departments` (department codes,
    with their sub-departments), `posts`, `positions`, `employment_types`.
    """

    name = models.CharField(_("群组名称"), max_length=60)
    is_dynamic = models.BooleanField(_("动态群组"), default=False)
    rule = models.JSONField(_("规则"), default=dict, blank=True)
    members = models.ManyToManyField(StaffProfile, blank=True, related_name="static_groups", verbose_name=_("成员"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("群组")
        verbose_name_plural = _("群组")

    def __str__(self) -> str:
        return self.name


class LifecycleKind(models.TextChoices):
    ONBOARD = "onboard", _("入职")
    TRANSFER = "transfer", _("调动")
    CHANGE_POST = "change_post", _("调岗")
    LEAVE = "leave", _("离职")


class EventStatus(models.TextChoices):
    PENDING = "pending", _("待生效")
    APPLIED = "applied", _("已生效")
    CANCELLED = "cancelled", _("已撤销")


class LifecycleEvent(models.Model):
    """One scheduled change of a person (入转调离), applied at `effective_at` by the periodic task."""

    staff = models.ForeignKey(StaffProfile, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("类型"), max_length=16, choices=LifecycleKind.choices)
    effective_at = models.DateTimeField(_("生效时间"))
    payload = models.JSONField(_("内容"), default=dict)
    successor_user_id = models.BigIntegerField(_("工作交接人ID"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=EventStatus.choices, default=EventStatus.PENDING)
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    created_by_id = models.BigIntegerField(_("登记人ID"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    applied_at = models.DateTimeField(_("执行时间"), null=True, blank=True)
    outcome = models.JSONField(_("执行结果"), default=dict, blank=True)

    class Meta:
        verbose_name = _("人员变动")
        verbose_name_plural = _("人员变动")
        indexes = [models.Index(fields=["effective_at"], condition=models.Q(status="pending"), name="event_due")]


class VisibilityRule(models.Model):
    """Hide a contact field of some people (holders of a tag, a post, or a role granted in this
    tenant) from ordinary viewers.
    Office phones are never hidden; the person themselves and holders of
    `org.view_hidden_fields` always see everything."""

    class Field(models.TextChoices):
        MOBILE = "mobile", _("手机号")
        EMAIL = "email", _("电子邮箱")

    field = models.CharField(_("隐藏字段"), max_length=16, choices=Field.choices, default=Field.MOBILE)
    tag = models.ForeignKey(Tag, verbose_name=_("标签"), null=True, blank=True, on_delete=models.CASCADE)
    post = models.CharField(_("岗位"), max_length=60, blank=True)
    role_code = models.CharField(_("角色代码"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("字段可见规则")
        verbose_name_plural = _("字段可见规则")


class PublicContact(models.Model):
    """A contact shared by the administrators (a duty desk, a hotline)."""

    name = models.CharField(_("名称"), max_length=60)
    phone = models.CharField(_("电话"), max_length=30)
    department = models.ForeignKey(Department, verbose_name=_("科室"), null=True, blank=True, on_delete=models.SET_NULL)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("公共联系人")
        verbose_name_plural = _("公共联系人")


class PersonalContact(models.Model):
    """A contact a person keeps for themselves; nobody else sees it."""

    owner_id = models.BigIntegerField(_("所有人ID"), db_index=True)
    name = models.CharField(_("姓名"), max_length=60)
    phone = models.CharField(_("电话"), max_length=30)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("个人联系人")
        verbose_name_plural = _("个人联系人")


class ImportJob(models.Model):
    """An uploaded workbook waiting for (or done with) its background import."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("导入中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    file = models.BinaryField(_("文件"))
    mode = models.CharField(_("导入方式"), max_length=16)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    task_id = models.CharField(_("任务ID"), max_length=64, blank=True)
    report = models.JSONField(_("导入结果"), default=dict, blank=True)
    created_by_id = models.BigIntegerField(_("导入人ID"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
