"""GraphQL writes for the organisation: departments, the staff lifecycle, tags, groups, personal
and public contacts, visibility rules and Excel import/export. Each calls `jianlian.org.services`
or the importer; the types they answer with live in `jianlian.org.schema`."""

from __future__ import annotations

import base64
import binascii

import graphene
from django.utils.translation import gettext as _

from jianlian.api.base import BaseMutation, GlobalID, MutationError
from jianlian.api.permissions import CURRENT_TENANT, SIGNED_IN, Perm
from jianlian.core.errors import DomainError
from jianlian.org import importer, services
from jianlian.org.department_mutations import DepartmentMutation
from jianlian.org.models import DepartmentKind, EmploymentType
from jianlian.org.schema import (
    ContactType, DepartmentCategoryEnum, DepartmentKindEnum, DepartmentType, EmploymentTypeEnum, GroupType,
    ImportJobType, ImportModeEnum, ImportReport, LifecycleEventType, PersonalContactType, PublicContactType,
    TagType, tenant_viewer,
)


class CreateDepartmentInput(graphene.InputObjectType):
    """A new department."""

    unit = GlobalID("OrgUnit", description="所属单位（OrgUnit ID）；有上级科室时可省略。")
    parent = GlobalID("Department", description="上级科室（Department ID）。")
    code = graphene.String(required=True, description="科室编码（租户内唯一）。")
    name = graphene.String(required=True, description="科室名称。")
    kind = DepartmentKindEnum(description="类型，默认科室。")
    category = DepartmentCategoryEnum(description="类别；为空时沿用上级科室的类别。")


class CreateDepartment(BaseMutation):
    class Meta:
        description = "新增科室（分组、科室或病区）。"
        permissions = Perm("org.manage", at=CURRENT_TENANT)

    department = graphene.Field(DepartmentType, description="新建的科室。")

    class Arguments:
        input = CreateDepartmentInput(required=True)

    @classmethod
    def perform(cls, info, input):
        dept = services.create_department(
            tenant_viewer(info), unit_id=input.get("unit"), parent_id=input.get("parent"),
            code=input["code"], name=input["name"], kind=input.get("kind") or DepartmentKind.DEPARTMENT,
            category=input.get("category"),
        )
        return CreateDepartment(department=dept, errors=[])


class SetDepartmentHeadInput(graphene.InputObjectType):
    """Who heads a department."""

    department = GlobalID("Department", required=True, description="科室（Department ID）。")
    head = GlobalID("Contact", description="负责人（Contact ID）；为空表示清除。")


class SetDepartmentHead(BaseMutation):
    class Meta:
        description = "设置科室负责人。"
        permissions = Perm("org.manage", at=CURRENT_TENANT)

    department = graphene.Field(DepartmentType, description="科室。")

    class Arguments:
        input = SetDepartmentHeadInput(required=True)

    @classmethod
    def perform(cls, info, input):
        dept = services.set_department_head(tenant_viewer(info), input["department"],
                                            input.get("head"))
        return SetDepartmentHead(department=dept, errors=[])


class OnboardStaffInput(graphene.InputObjectType):
    """A person joining the tenant, from the effective time."""

    staff_no = graphene.String(required=True, description="工号。")
    name = graphene.String(required=True, description="姓名。")
    mobile = graphene.String(required=True, description="手机号。")
    id_number = graphene.String(required=True, description="身份证号（GB 11643），加密保存。")
    unit = GlobalID("OrgUnit", required=True, description="所在单位（OrgUnit ID）。")
    department = GlobalID("Department", required=True, description="主科室（Department ID）。")
    effective_at = graphene.DateTime(required=True, description="入职生效时间。")
    post = graphene.String(description="岗位。")
    position = graphene.String(description="职务。")
    title = graphene.String(description="职称。")
    grade = graphene.String(description="级别。")
    employment_type = EmploymentTypeEnum(description="用工类型，默认本院职工。")
    office_phone = graphene.String(description="办公电话。")


class OnboardStaff(BaseMutation):
    class Meta:
        description = "登记入职：找到或预登记全省统一账号，建立人员档案，在生效时间开通成员关系。"
        permissions = Perm("org.manage", at=CURRENT_TENANT)

    contact = graphene.Field(ContactType, description="人员档案（生效前为待入职）。")

    class Arguments:
        input = OnboardStaffInput(required=True)

    @classmethod
    def perform(cls, info, input):
        staff = services.onboard(
            tenant_viewer(info), staff_no=input["staff_no"], name=input["name"], mobile=input["mobile"],
            id_number=input["id_number"], unit_id=input["unit"],
            department_id=input["department"], effective_at=input["effective_at"],
            post=input.get("post") or "", position=input.get("position") or "", title=input.get("title") or "",
            grade=input.get("grade") or "", employment_type=input.get("employment_type") or EmploymentType.OWN,
            office_phone=input.get("office_phone") or "",
        )
        return OnboardStaff(contact=staff, errors=[])


class TransferStaffInput(graphene.InputObjectType):
    """Where a person moves, from the effective time."""

    contact = GlobalID("Contact", required=True, description="人员（Contact ID）。")
    effective_at = graphene.DateTime(required=True, description="生效时间。")
    department = GlobalID("Department", description="调入科室（Department ID）。")
    unit = GlobalID("OrgUnit", description="调入单位（OrgUnit ID）。")
    tenant_slug = graphene.String(description="借调到其他租户时，该租户标识（unit 须属于它）。")
    secondment = graphene.Boolean(description="借调/下沉：保留原单位，增加在目标单位的成员关系。")
    end_secondment = graphene.Boolean(description="结束借调：借调产生的成员关系终止，回到原单位。")
    successor = GlobalID("User", description="待办工作交接人（User ID）；为空时交给科室负责人。")
    reason = graphene.String(description="原因。")


class TransferStaff(BaseMutation):
    class Meta:
        description = "登记调动（科室、单位，或借调下沉到成员单位/其他租户），到生效时间执行并交接待办。"
        permissions = Perm("org.manage", at=CURRENT_TENANT)

    event = graphene.Field(LifecycleEventType, description="登记的变动。")

    class Arguments:
        input = TransferStaffInput(required=True)

    @classmethod
    def perform(cls, info, input):
        event = services.schedule_transfer(
            tenant_viewer(info), input["contact"], effective_at=input["effective_at"],
            department_id=input.get("department"), unit_id=input.get("unit"),
            tenant_slug=input.get("tenant_slug") or None, secondment=bool(input.get("secondment")),
            end_secondment=bool(input.get("end_secondment")),
            successor_user_id=input.get("successor"), reason=input.get("reason") or "",
        )
        return TransferStaff(event=event, errors=[])


class ChangeStaffPostInput(graphene.InputObjectType):
    """A new post, position, title or grade, from the effective time."""

    contact = GlobalID("Contact", required=True, description="人员（Contact ID）。")
    effective_at = graphene.DateTime(required=True, description="生效时间。")
    post = graphene.String(description="岗位。")
    position = graphene.String(description="职务。")
    title = graphene.String(description="职称。")
    grade = graphene.String(description="级别。")
    reason = graphene.String(description="原因。")


class ChangeStaffPost(BaseMutation):
    class Meta:
        description = "登记调岗（岗位、职务、职称、级别），到生效时间执行。"
        permissions = Perm("org.manage", at=CURRENT_TENANT)

    event = graphene.Field(LifecycleEventType, description="登记的变动。")

    class Arguments:
        input = ChangeStaffPostInput(required=True)

    @classmethod
    def perform(cls, info, input):
        event = services.schedule_post_change(
            tenant_viewer(info), input["contact"], effective_at=input["effective_at"],
            reason=input.get("reason") or "", **{k: input.get(k) for k in services.POST_FIELDS},
        )
        return ChangeStaffPost(event=event, errors=[])


class ScheduleLeaveInput(graphene.InputObjectType):
    """A person leaving, from the effective time."""

    contact = GlobalID("Contact", required=True, description="人员（Contact ID）。")
    effective_at = graphene.DateTime(required=True, description="离职生效时间。")
    successor = GlobalID("User", description="待办工作交接人（User ID）；为空时交给科室负责人。")
    reason = graphene.String(description="原因。")


class ScheduleLeave(BaseMutation):
    class Meta:
        description = "登记离职：到生效时间终止本租户成员关系和授权、无其他任职时停用登录，并交接待办。"
        permissions = Perm("org.manage", at=CURRENT_TENANT)

    event = graphene.Field(LifecycleEventType, description="登记的变动。")

    class Arguments:
        input = ScheduleLeaveInput(required=True)

    @classmethod
    def perform(cls, info, input):
        event = services.schedule_leave(
            tenant_viewer(info), input["contact"], effective_at=input["effective_at"],
            successor_user_id=input.get("successor"), reason=input.get("reason") or "",
        )
        return ScheduleLeave(event=event, errors=[])


class CancelLifecycleEventInput(graphene.InputObjectType):
    """Which pending event to cancel."""

    event = GlobalID("LifecycleEvent", required=True, description="变动（LifecycleEvent ID）。")


class CancelLifecycleEvent(BaseMutation):
    class Meta:
        description = "撤销尚未生效的人员变动。"
        permissions = Perm("org.manage", at=CURRENT_TENANT)

    event = graphene.Field(LifecycleEventType, description="已撤销的变动。")

    class Arguments:
        input = CancelLifecycleEventInput(required=True)

    @classmethod
    def perform(cls, info, input):
        event = services.cancel_event(tenant_viewer(info), input["event"])
        return CancelLifecycleEvent(event=event, errors=[])


class CreateTagInput(graphene.InputObjectType):
    """A new job-title tag."""

    code = graphene.String(required=True, description="标签代码，如 head_nurse。")
    name = graphene.String(required=True, description="标签名称，如 护士长。")


class CreateTag(BaseMutation):
    class Meta:
        description = "新增标签（院长、副院长、护士长……）。"
        permissions = Perm("org.manage", at=CURRENT_TENANT)

    tag = graphene.Field(TagType, description="新建的标签。")

    class Arguments:
        input = CreateTagInput(required=True)

    @classmethod
    def perform(cls, info, input):
        return CreateTag(tag=services.create_tag(tenant_viewer(info), code=input["code"], name=input["name"]), errors=[])


class SetContactTagsInput(graphene.InputObjectType):
    """A person's tags (replacing the old ones)."""

    contact = GlobalID("Contact", required=True, description="人员（Contact ID）。")
    tags = GlobalID("Tag", many=True, required=True, description="标签（Tag ID）。")


class SetContactTags(BaseMutation):
    class Meta:
        description = "设置人员的标签。"
        permissions = Perm("org.manage", at=CURRENT_TENANT)

    contact = graphene.Field(ContactType, description="人员。")

    class Arguments:
        input = SetContactTagsInput(required=True)

    @classmethod
    def perform(cls, info, input):
        staff = services.set_tags(tenant_viewer(info), input["contact"],
                                  input["tags"])
        return SetContactTags(contact=staff, errors=[])


class CreateGroupInput(graphene.InputObjectType):
    """A group: named members, or a rule (dynamic)."""

    name = graphene.String(required=True, description="群组名称。")
    members = GlobalID("Contact", many=True, description="静态成员（Contact ID）。")
    rule = graphene.JSONString(description='动态规则，如 {"tags": ["head_nurse"], "categories": ["clinical"]}。')


class CreateGroup(BaseMutation):
    class Meta:
        description = "新增群组：指定成员，或按规则动态计算成员（如所有临床科室的护士长）。"
        permissions = Perm("org.manage", at=CURRENT_TENANT)

    group = graphene.Field(GroupType, description="新建的群组。")

    class Arguments:
        input = CreateGroupInput(required=True)

    @classmethod
    def perform(cls, info, input):
        group = services.create_group(tenant_viewer(info), name=input["name"], rule=input.get("rule") or None,
                                      member_ids=input.get("members") or [])
        return CreateGroup(group=group, errors=[])


class AddPersonalContactInput(graphene.InputObjectType):
    """A contact of my own."""

    name = graphene.String(required=True, description="姓名。")
    phone = graphene.String(required=True, description="电话。")
    note = graphene.String(description="备注。")


class AddPersonalContact(BaseMutation):
    class Meta:
        description = "添加我的个人联系人（仅自己可见）。"
        permissions = SIGNED_IN

    contact = graphene.Field(PersonalContactType, description="新建的联系人。")

    class Arguments:
        input = AddPersonalContactInput(required=True)

    @classmethod
    def perform(cls, info, input):
        contact = services.add_personal_contact(tenant_viewer(info), name=input["name"], phone=input["phone"],
                                                note=input.get("note") or "")
        return AddPersonalContact(contact=contact, errors=[])


class AddPublicContactInput(graphene.InputObjectType):
    """A contact shared with everyone in the tenant."""

    name = graphene.String(required=True, description="名称，如 总值班室。")
    phone = graphene.String(required=True, description="电话。")
    department = GlobalID("Department", description="所属科室（Department ID）。")
    note = graphene.String(description="备注。")


class AddPublicContact(BaseMutation):
    class Meta:
        description = "添加公共联系人（本租户所有人可见）。"
        permissions = Perm("org.manage", at=CURRENT_TENANT)

    contact = graphene.Field(PublicContactType, description="新建的公共联系人。")

    class Arguments:
        input = AddPublicContactInput(required=True)

    @classmethod
    def perform(cls, info, input):
        contact = services.add_public_contact(tenant_viewer(info), name=input["name"], phone=input["phone"],
                                              department_id=input.get("department"),
                                              note=input.get("note") or "")
        return AddPublicContact(contact=contact, errors=[])


HiddenFieldEnum = graphene.Enum("HiddenField", [("MOBILE", "mobile"), ("EMAIL", "email")],
                                description="可隐藏的联系方式（办公电话总是显示）。")


class AddVisibilityRuleInput(graphene.InputObjectType):
    """Whose field to hide from ordinary viewers: holders of a tag, a post or a role."""

    field = HiddenFieldEnum(required=True, description="要隐藏的字段。")
    tag = GlobalID("Tag", description="持有该标签的人（Tag ID）。")
    post = graphene.String(description="该岗位的人。")
    role_code = graphene.String(description="在本租户被授予该角色的人（角色代码）。")


class AddVisibilityRule(BaseMutation):
    class Meta:
        description = "添加通讯录字段可见规则：对普通查看人隐藏某些人的手机号或邮箱。"
        permissions = Perm("org.manage", at=CURRENT_TENANT)

    ok = graphene.Boolean(description="是否已添加。")

    class Arguments:
        input = AddVisibilityRuleInput(required=True)

    @classmethod
    def perform(cls, info, input):
        services.add_visibility_rule(tenant_viewer(info), field=input["field"], tag_id=input.get("tag"),
                                     post=input.get("post") or "", role_code=input.get("role_code") or "")
        return AddVisibilityRule(ok=True, errors=[])


class UpdateContactDetailsInput(graphene.InputObjectType):
    """Contact details a person keeps up to date themselves."""

    contact = GlobalID("Contact", required=True, description="人员（Contact ID）：本人，或由管理员代为修改。")
    office_phone = graphene.String(description="办公电话。")
    photo = graphene.String(description="照片地址。")
    email = graphene.String(description="电子邮箱。")


class UpdateContactDetails(BaseMutation):
    class Meta:
        description = "修改办公电话、照片或邮箱。本人可改自己的；改他人的需要本租户的 org.manage 权限。"
        permissions = SIGNED_IN

    contact = graphene.Field(ContactType, description="修改后的人员。")

    class Arguments:
        input = UpdateContactDetailsInput(required=True)

    @classmethod
    def perform(cls, info, input):
        staff = services.update_contact_details(
            tenant_viewer(info), input["contact"], office_phone=input.get("office_phone"),
            photo=input.get("photo"), email=input.get("email"))
        return UpdateContactDetails(contact=staff, errors=[])


class ImportStaffInput(graphene.InputObjectType):
    """A filled-in template to import."""

    file = graphene.String(required=True, description="由模板填写的 .xlsx 文件（Base64 编码，不超过20MB）。")
    mode = ImportModeEnum(required=True, description="导入方式。")
    dry_run = graphene.Boolean(description="仅预览：校验并给出将新建、更新的数量与逐行错误，不写入。")
    background = graphene.Boolean(description="后台导入（大文件）：返回任务，用 jobProgress(taskId) 订阅进度。")


class ImportStaff(BaseMutation):
    class Meta:
        description = "从 Excel 导入科室与人员：可预览；全部正确才导入或仅导入正确的行；按工号更新，重复导入不会重复创建。"
        permissions = Perm("org.manage", at=CURRENT_TENANT)

    report = graphene.Field(ImportReport, description="导入结果或预览（后台导入时为空）。")
    job = graphene.Field(ImportJobType, description="后台导入任务。")

    class Arguments:
        input = ImportStaffInput(required=True)

    @classmethod
    def perform(cls, info, input):
        user = tenant_viewer(info)
        try:
            data = base64.b64decode(input["file"], validate=True)
        except (binascii.Error, ValueError):
            raise DomainError("INVALID_FILE", _("文件内容不是有效的 Base64 编码。"), "file") from None
        mode = input["mode"]
        if input.get("background") and not input.get("dry_run"):
            return ImportStaff(job=importer.queue_import(user, data, mode=mode), errors=[])
        report = importer.import_workbook(user, data, mode=mode, dry_run=bool(input.get("dry_run")))
        errors = [] if report.applied or report.dry_run else [
            {"field": "file", "code": "IMPORT_HAS_ERRORS", "message": _("文件中有错误，已全部取消导入，请修改后重新上传。")}]
        return ImportStaff(report=ImportReport.from_dict(report.as_dict()), errors=[MutationError(**e) for e in errors])


class ExportStaffInput(graphene.InputObjectType):
    """Nothing to choose yet: every department and everyone who has not left."""

    include_departments = graphene.Boolean(description="保留参数；科室总是一并导出。")


class ExportStaff(BaseMutation):
    class Meta:
        description = "导出科室与人员为 Excel（与导入模板同格式，含身份证号，记审计）。"
        permissions = Perm("org.manage", at=CURRENT_TENANT)

    file = graphene.String(description=".xlsx 文件（Base64 编码）。")

    class Arguments:
        input = ExportStaffInput(required=True)

    @classmethod
    def perform(cls, info, input):
        return ExportStaff(file=base64.b64encode(importer.export_workbook(tenant_viewer(info))).decode(), errors=[])


class Mutation(DepartmentMutation, graphene.ObjectType):
    create_department = CreateDepartment.Field()
    set_department_head = SetDepartmentHead.Field()
    onboard_staff = OnboardStaff.Field()
    transfer_staff = TransferStaff.Field()
    change_staff_post = ChangeStaffPost.Field()
    schedule_leave = ScheduleLeave.Field()
    cancel_lifecycle_event = CancelLifecycleEvent.Field()
    create_tag = CreateTag.Field()
    set_contact_tags = SetContactTags.Field()
    create_group = CreateGroup.Field()
    add_personal_contact = AddPersonalContact.Field()
    add_public_contact = AddPublicContact.Field()
    add_visibility_rule = AddVisibilityRule.Field()
    update_contact_details = UpdateContactDetails.Field()
    import_staff = ImportStaff.Field()
    export_staff = ExportStaff.Field()
