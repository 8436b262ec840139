"""The province's five-level organisation, one MPTT tree in the public schema.

province health commission → city commissions → county bureaus → each county medical community's
lead unit → the community's member units; standalone hospitals hang under the province or a city.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from mptt.models import MPTTModel, TreeForeignKey


class Level(models.TextChoices):
    PROVINCE = "province", _("省卫生健康委")
    CITY = "city", _("市卫生健康委")
    COUNTY = "county", _("县（市、区）卫生健康局")
    LEAD = "lead", _("医共体牵头单位")
    MEMBER = "member", _("医共体成员单位")
    HOSPITAL = "hospital", _("独立医院")


# Plain strings, not enum members: a Choices member hashes by its name, so `"city" in
# {Level.CITY}` would be False.
AUTHORITY_LEVELS = frozenset({"province", "city", "county"})

# Which levels may stand directly above each level. A county may sit directly under the
# province (provincially administered counties such as 仙桃市).
ALLOWED_PARENTS: dict[str, tuple] = {
    "province": (None,),
    "city": ("province",),
    "county": ("city", "province"),
    "lead": ("county",),
    "member": ("lead",),
    "hospital": ("province", "city"),
}
# Member units under a member unit: only a village clinic under a township centre (乡村一体化管理:
# the centre runs its villages' clinics, seed 004's member units include them).
MEMBER_UNDER_MEMBER = {("village_clinic", "township_centre")}


def may_sit_under(level: str, unit_type: str, parent) -> bool:
    """Whether a unit of `level` and `unit_type` may stand directly under `parent` (None: the top)."""
    parent_level = parent.level if parent is not None else None
    if level == "member" and parent_level == "member":
        return (unit_type, parent.unit_type) in MEMBER_UNDER_MEMBER
    return parent_level in ALLOWED_PARENTS[level]


def child_levels(unit) -> list[str]:
    """The levels a unit may have directly below it, in the order of `Level` (empty: no children)."""
    found = [level for level, parents in ALLOWED_PARENTS.items() if unit.level in parents and unit.level != "member"]
    if unit.level == "member" and any(parent == unit.unit_type for _child, parent in MEMBER_UNDER_MEMBER):
        found.append("member")
    return found


class UnitType(models.TextChoices):
    HEALTH_COMMISSION = "health_commission", _("卫生健康行政部门")
    COUNTY_HOSPITAL = "county_hospital", _("县级人民医院")
    TCM_HOSPITAL = "tcm_hospital", _("中医院")
    MATERNAL_CHILD = "maternal_child", _("妇幼保健院")
    GENERAL_HOSPITAL = "general_hospital", _("综合医院")
    SPECIALIST_HOSPITAL = "specialist_hospital", _("专科医院")
    TOWNSHIP_CENTRE = "township_centre", _("乡镇卫生院")
    COMMUNITY_CENTRE = "community_centre", _("社区卫生服务中心")
    VILLAGE_CLINIC = "village_clinic", _("村卫生室")
    OTHER = "other", _("其他")


class OrgUnit(MPTTModel):
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    unit_type = models.CharField(_("单位类型"), max_length=32, choices=UnitType.choices)
    division_code = models.CharField(_("行政区划代码"), max_length=6, blank=True, db_index=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    parent = TreeForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class MPTTMeta:
        order_insertion_by = ["division_code", "name"]
        # MPTT's depth column is called `level` by default, which is our org level's name.
        level_attr = "depth"

    class Meta:
        verbose_name = _("组织单元")
        verbose_name_plural = _("组织单元")
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"], condition=~models.Q(credit_code=""), name="orgunit_credit_code_unique"
            ),
            models.UniqueConstraint(
                fields=["division_code", "level"],
                condition=models.Q(level__in=["province", "city", "county"]),
                name="orgunit_authority_division_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_authority(self) -> bool:
        return self.level in AUTHORITY_LEVELS

    def owning_tenant(self):
        """The tenant whose schema holds this unit's data: its own, or its community lead's."""
        from tenants.models import Tenant

        candidates = self.get_ancestors(include_self=True).filter(level__in=[Level.LEAD, Level.HOSPITAL])
        return Tenant.objects.filter(org_unit__in=candidates).first()


class UnitPlacement(models.Model):
    """Where a unit sat in the tree, and when: moves keep their history so that supervision data
    from before a move stays under the old parent."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="placements")
    parent = models.ForeignKey(OrgUnit, null=True, on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateTimeField(_("起始时间"))
    valid_to = models.DateTimeField(_("结束时间"), null=True, blank=True)
    reason = models.CharField(_("原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("隶属关系历史")
        verbose_name_plural = _("隶属关系历史")
        ordering = ["unit_id", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"], condition=models.Q(valid_to__isnull=True), name="unitplacement_one_current"
            ),
        ]
