"""GraphQL for the organisation: departments, contacts (staff profiles), tags, groups, the
lifecycle and Excel import/export. Thin: every write calls `jianlian.org.services` or the
importer; every read is scoped to the current tenant and to what the viewer may see."""

from __future__ import annotations

import base64

import graphene
from graphql_relay import to_global_id
from django.utils.translation import gettext as _

from jianlian.access.helpers import require_tenant
from jianlian.api import dataloaders
from jianlian.api.base import PermissionField, auth_error, decode_id, error_code_enum, require_user
from jianlian.api.permissions import CURRENT_TENANT, SIGNED_IN, Checked, Perm
from jianlian.api.connection import CountableConnection, connection_args, paginate
from jianlian.api.execution import then
from jianlian.api.types import ModelType
from jianlian.core.errors import DomainError
from jianlian.org import importer, services
from jianlian.org.models import (
    Department, DepartmentCategory, DepartmentKind, DepartmentMembership, EmploymentType, EventStatus, Group, ImportJob,
    LifecycleEvent, LifecycleKind, PersonalContact, PublicContact, StaffProfile, StaffStatus, Tag,
)

DepartmentKindEnum = graphene.Enum.from_enum(DepartmentKind, description="科室类型：分组、科室、病区。")
DepartmentCategoryEnum = graphene.Enum.from_enum(DepartmentCategory, description="科室类别（职能、临床、门诊、医技、医保、检验）。")
EmploymentTypeEnum = graphene.Enum.from_enum(EmploymentType, description="用工类型：本院职工或第三方人员。")
StaffStatusEnum = graphene.Enum.from_enum(StaffStatus, description="人员状态。")
LifecycleKindEnum = graphene.Enum.from_enum(LifecycleKind, description="人员变动类型（入转调离）。")
EventStatusEnum = graphene.Enum.from_enum(EventStatus, description="变动状态。")
ImportModeEnum = graphene.Enum("ImportMode", [("ALL_OR_NOTHING", "all_or_nothing"), ("VALID_ONLY", "valid_only")],
                               description="导入方式：全部正确才导入，或仅导入正确的行。")


def tenant_viewer(info):
    """The signed-in viewer, inside a tenant (organisation data exists only there)."""
    user = require_user(info)
    try:
        require_tenant()
    except DomainError as e:
        raise auth_error(e.code, e.message) from None
    return user


def _may_browse(user) -> bool:
    return bool(services.contact_unit_ids(user)) or _manages(user)


def _manages(user) -> bool:
    from jianlian.access.checks import has_perm

    return has_perm(user, services.MANAGE, require_tenant().org_unit)


def _policy(info) -> services.ContactPolicy:
    policy = getattr(info.context, "_jl_contact_policy", None)
    if policy is None:
        policy = services.ContactPolicy(info.context.user)
        info.context._jl_contact_policy = policy
    return policy


class DepartmentType(ModelType):
    """A department of a unit: a top group, a department or a ward."""

    kind = DepartmentKindEnum(required=True, description="类型。")
    category = DepartmentCategoryEnum(required=True, description="类别。")
    unit = graphene.Field("jianlian.hierarchy.schema.OrgUnitType", description="所属单位。")
    parent = graphene.Field(lambda: DepartmentType, description="上级科室；顶级分组为空。")
    head = graphene.Field(lambda: ContactType, description="负责人。")
    children = graphene.Field(lambda: DepartmentConnection, required=True, args=connection_args(),
                              description="直接下级科室（分页）。")

    class Meta:
        model = Department
        name = "Department"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "code", "name", "is_active")

    @staticmethod
    def resolve_unit(dept, info):
        from jianlian.hierarchy.models import OrgUnit

        return dataloaders.by_id(info.context, OrgUnit).load(dept.unit_id)

    @staticmethod
    def resolve_parent(dept, info):
        return dataloaders.by_id(info.context, Department).load(dept.parent_id) if dept.parent_id else None

    @staticmethod
    def resolve_head(dept, info):
        return dataloaders.by_id(info.context, StaffProfile).load(dept.head_id) if dept.head_id else None

    @staticmethod
    def resolve_children(dept, info, first=None, after=None):
        return paginate(Department.objects.filter(parent_id=dept.pk), DepartmentConnection, first=first, after=after,
                        order=("lft",))

    @classmethod
    def access_node(cls, info, viewer, pk):
        return Department.objects.filter(pk=pk).first() if _may_browse(tenant_viewer(info)) else None


class DepartmentConnection(CountableConnection):
    """A page of departments."""

    class Meta:
        node = DepartmentType


class TagType(ModelType):
    """A job-title tag (director, deputy director, head nurse …)."""

    class Meta:
        model = Tag
        name = "Tag"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "code", "name")

    @classmethod
    def access_node(cls, info, viewer, pk):
        return Tag.objects.filter(pk=pk).first() if _may_browse(tenant_viewer(info)) else None


class ContactType(ModelType):
    """A person in the tenant's contacts (their staff profile). Mobile and e-mail are empty when
    a visibility rule hides them from the viewer; office phones always show."""

    mobile = graphene.String(description="手机号（被可见规则隐藏时为空）。")
    email = graphene.String(description="电子邮箱（被可见规则隐藏时为空）。")
    employment_type = EmploymentTypeEnum(required=True, description="用工类型。")
    status = StaffStatusEnum(required=True, description="状态。")
    unit = graphene.Field("jianlian.hierarchy.schema.OrgUnitType", description="所在单位。")
    departments = graphene.List(graphene.NonNull(DepartmentType), required=True, description="所属科室，主科室在前。")
    tags = graphene.List(graphene.NonNull(TagType), required=True, description="标签。")
    user_id = graphene.ID(required=True, description="此人的全省统一账号（User ID）：可见范围的人员、交接人都用它。")

    class Meta:
        model = StaffProfile
        name = "Contact"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "staff_no", "name", "name_pinyin", "name_initials", "photo", "office_phone", "post", "position",
                  "title", "grade", "joined_on")

    @staticmethod
    def _tag_links(staff, info):
        return dataloaders.by_field(info.context, StaffProfile.tags.through, "staffprofile_id", many=True).load(staff.pk)

    @staticmethod
    def _shown(staff, info, field: str):
        policy = _policy(info)
        if policy.sees_all or not policy.rules:
            return getattr(staff, field)
        return then(ContactType._tag_links(staff, info),
                    lambda links: None if field in policy.hidden(staff, {link.tag_id for link in links}) else getattr(staff, field))

    @staticmethod
    def resolve_mobile(staff, info):
        return ContactType._shown(staff, info, "mobile")

    @staticmethod
    def resolve_email(staff, info):
        return ContactType._shown(staff, info, "email")

    @staticmethod
    def resolve_unit(staff, info):
        from jianlian.hierarchy.models import OrgUnit

        return dataloaders.by_id(info.context, OrgUnit).load(staff.unit_id)

    @staticmethod
    def resolve_user_id(staff, info):
        return to_global_id("User", staff.user_id)

    @staticmethod
    def resolve_departments(staff, info):
        links = dataloaders.by_field(info.context, DepartmentMembership, "staff_id", many=True,
                                     order=("-is_primary", "pk")).load(staff.pk)
        return then(links, lambda rows: [dataloaders.by_id(info.context, Department).load(r.department_id) for r in rows])

    @staticmethod
    def resolve_tags(staff, info):
        return then(ContactType._tag_links(staff, info),
                    lambda links: [dataloaders.by_id(info.context, Tag).load(link.tag_id) for link in links])

    @classmethod
    def access_node(cls, info, viewer, pk):
        return services.access_staff(tenant_viewer(info), pk)


class ContactConnection(CountableConnection):
    """A page of contacts."""

    class Meta:
        node = ContactType


class GroupType(ModelType):
    """A group beside the departments; a dynamic one's members follow its rule."""

    rule = graphene.JSONString(description="动态群组的规则（静态群组为空对象）。")
    member_count = graphene.Int(required=True, description="当前成员人数。")

    class Meta:
        model = Group
        name = "Group"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "name", "is_dynamic")

    @staticmethod
    def resolve_member_count(group, info):
        return services.group_members(group).count()

    @classmethod
    def access_node(cls, info, viewer, pk):
        return Group.objects.filter(pk=pk).first() if _may_browse(tenant_viewer(info)) else None


class GroupConnection(CountableConnection):
    """A page of groups."""

    class Meta:
        node = GroupType


class TagConnection(CountableConnection):
    """A page of tags."""

    class Meta:
        node = TagType


class LifecycleEventType(ModelType):
    """A scheduled change of a person: onboard, transfer, change of post, leave."""

    kind = LifecycleKindEnum(required=True, description="类型。")
    status = EventStatusEnum(required=True, description="状态。")
    staff = graphene.Field(ContactType, required=True, description="人员。")
    payload = graphene.JSONString(description="变动内容。")
    outcome = graphene.JSONString(description="执行结果（工作交接等）。")

    class Meta:
        model = LifecycleEvent
        name = "LifecycleEvent"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "effective_at", "reason", "applied_at", "created_at")

    @staticmethod
    def resolve_staff(event, info):
        return dataloaders.by_id(info.context, StaffProfile).load(event.staff_id)

    @classmethod
    def access_node(cls, info, viewer, pk):
        return LifecycleEvent.objects.filter(pk=pk).first() if _manages(tenant_viewer(info)) else None


class LifecycleEventConnection(CountableConnection):
    """A page of lifecycle events."""

    class Meta:
        node = LifecycleEventType


class PublicContactType(ModelType):
    """A contact shared by the administrators (a duty desk, a hotline)."""

    class Meta:
        model = PublicContact
        name = "PublicContact"
        fields = ("id", "name", "phone", "note")


class PersonalContactType(ModelType):
    """A contact of the viewer's own."""

    class Meta:
        model = PersonalContact
        name = "PersonalContact"
        fields = ("id", "name", "phone", "note")


class ImportRowError(graphene.ObjectType):
    """One problem in one cell of an imported file."""

    sheet = graphene.String(required=True, description="工作表（科室 / 人员）。")
    row = graphene.Int(required=True, description="行号（与 Excel 中一致）。")
    column = graphene.String(required=True, description="列名。")
    column_letter = graphene.String(required=True, description="列字母（A、B…）；外部通讯录同步时为空。")
    code = graphene.Field(lambda: error_code_enum(), required=True, description="稳定的错误代码。")
    message = graphene.String(required=True, description="说明，指明行与列。")


class ImportCounts(graphene.ObjectType):
    """How many rows an import creates, updates and leaves unchanged."""

    created = graphene.Int(required=True, description="新建数。")
    updated = graphene.Int(required=True, description="更新数。")
    unchanged = graphene.Int(required=True, description="无变化数。")


class ImportReport(graphene.ObjectType):
    """The outcome (or, for a dry run, the preview) of an import."""

    dry_run = graphene.Boolean(required=True, description="是否为预览（未写入）。")
    applied = graphene.Boolean(required=True, description="是否已写入。")
    rows = graphene.Int(required=True, description="读取的数据行数。")
    departments = graphene.Field(ImportCounts, required=True, description="科室。")
    staff = graphene.Field(ImportCounts, required=True, description="人员。")
    row_errors = graphene.List(graphene.NonNull(ImportRowError), required=True, description="逐行错误。")

    @staticmethod
    def from_dict(d: dict) -> "ImportReport":
        return ImportReport(
            dry_run=d["dry_run"], applied=d["applied"], rows=d["rows"], departments=ImportCounts(**d["departments"]),
            staff=ImportCounts(**d["staff"]),
            row_errors=[ImportRowError(sheet=e["sheet"], row=e["row"], column=e["column"], column_letter=e["column_letter"],
                                       code=e["code"], message=e["message"]) for e in d["errors"]],
        )


class ImportJobType(ModelType):
    """A background import; follow it with `jobProgress(taskId)`."""

    report = graphene.Field(ImportReport, description="完成后的导入结果。")

    class Meta:
        model = ImportJob
        name = "ImportJob"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "status", "task_id", "created_at", "finished_at")

    @staticmethod
    def resolve_report(job, info):
        return ImportReport.from_dict(job.report) if job.report.get("staff") else None

    @classmethod
    def access_node(cls, info, viewer, pk):
        return ImportJob.objects.filter(pk=pk).first() if _manages(tenant_viewer(info)) else None


BROWSE = Perm("org.view_contacts", "org.manage", at=Checked("本租户中本人可查看的单位"))


class Query(graphene.ObjectType):
    departments = PermissionField(
        DepartmentConnection, required=True, permissions=BROWSE,
        args=connection_args(unit=graphene.ID(description="只看该单位的科室（OrgUnit ID）。"),
                             parent=graphene.ID(description="上级科室；为空时返回顶级分组。"),
                             ids=graphene.List(graphene.NonNull(graphene.ID),
                                               description="只取这些科室（Department ID），不论层级；用于显示已选科室的名称。")),
        description="科室树：某科室的下级，或顶级分组。",
    )
    contacts = PermissionField(
        ContactConnection, required=True, permissions=SIGNED_IN,
        args=connection_args(search=graphene.String(description="姓名、全拼（zhangsan）、首字母（zs）、工号或手机号末几位。"),
                             department=graphene.ID(description="只看该科室（含下级科室）。"),
                             users=graphene.List(graphene.NonNull(graphene.ID),
                                                 description="只看这些账号（User ID）的人员；用于显示已选人员的姓名。")),
        description="内部通讯录：您有权查看的单位（医共体各成员单位）中在职和借调的人员，按拼音排序。",
    )
    tags = PermissionField(TagConnection, required=True, args=connection_args(), permissions=SIGNED_IN,
                           description="本租户的标签（可查看通讯录者）。")
    groups = PermissionField(GroupConnection, required=True, args=connection_args(), permissions=SIGNED_IN,
                             description="本租户的群组（可查看通讯录者）。")
    public_contacts = PermissionField(graphene.List(graphene.NonNull(PublicContactType)), required=True,
                                      permissions=SIGNED_IN, description="公共联系人（管理员共享，可查看通讯录者）。")
    my_personal_contacts = PermissionField(graphene.List(graphene.NonNull(PersonalContactType)), required=True,
                                           permissions=SIGNED_IN, description="我的个人联系人。")
    lifecycle_events = PermissionField(
        LifecycleEventConnection, required=True,
        args=connection_args(status=EventStatusEnum(description="只看该状态。")),
        permissions=Perm("org.manage", at=CURRENT_TENANT), description="人员变动（入转调离），按生效时间。",
    )
    staff_import_template = PermissionField(graphene.String, required=True, permissions=SIGNED_IN,
                                            description="导入模板（.xlsx，Base64 编码）。")

    @staticmethod
    def resolve_departments(root, info, unit=None, parent=None, ids=None, first=None, after=None):
        user = tenant_viewer(info)
        if not _may_browse(user):
            raise auth_error("PERMISSION_DENIED", _("您没有执行此操作的权限。"))
        qs = Department.objects.filter(is_active=True)
        if ids is not None:
            qs = qs.filter(pk__in=[decode_id(v, "Department", "ids") for v in ids])
        elif parent:
            qs = qs.filter(parent_id=decode_id(parent, "Department", "parent"))
        else:
            qs = qs.filter(parent__isnull=True)
        if unit:
            qs = qs.filter(unit_id=decode_id(unit, "OrgUnit", "unit"))
        return paginate(qs, DepartmentConnection, first=first, after=after, order=("tree_id", "lft"))

    @staticmethod
    def resolve_contacts(root, info, search=None, department=None, users=None, first=None, after=None):
        user = tenant_viewer(info)
        try:
            dept = decode_id(department, "Department", "department") if department else None
            user_ids = None if users is None else [decode_id(v, "User", "users") for v in users]
            qs = services.search_contacts(user, search or "", department_id=dept, user_ids=user_ids)
        except DomainError as e:
            raise auth_error(e.code, e.message) from None
        return paginate(qs, ContactConnection, first=first, after=after, order=("name_pinyin",))

    @staticmethod
    def resolve_tags(root, info, first=None, after=None):
        user = tenant_viewer(info)
        qs = Tag.objects.all() if _may_browse(user) else Tag.objects.none()
        return paginate(qs, TagConnection, first=first, after=after)

    @staticmethod
    def resolve_groups(root, info, first=None, after=None):
        user = tenant_viewer(info)
        qs = Group.objects.all() if _may_browse(user) else Group.objects.none()
        return paginate(qs, GroupConnection, first=first, after=after)

    @staticmethod
    def resolve_public_contacts(root, info):
        user = tenant_viewer(info)
        return list(PublicContact.objects.order_by("name")) if _may_browse(user) else []

    @staticmethod
    def resolve_my_personal_contacts(root, info):
        user = tenant_viewer(info)
        return list(PersonalContact.objects.filter(owner_id=user.pk).order_by("name"))

    @staticmethod
    def resolve_lifecycle_events(root, info, status=None, first=None, after=None):
        qs = LifecycleEvent.objects.all()
        if status:
            qs = qs.filter(status=status.value)
        return paginate(qs, LifecycleEventConnection, first=first, after=after, order=("effective_at",))

    @staticmethod
    def resolve_staff_import_template(root, info):
        tenant_viewer(info)
        return base64.b64encode(importer.template()).decode()
