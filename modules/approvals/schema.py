"""GraphQL for approvals: templates, instances by view, my tasks, statistics, every action as a
mutation (mutations.py), and live changes. Gated by the marketplace (APP_NOT_INSTALLED where the
app is not installed). The API tour is in README.md beside this file."""

from __future__ import annotations

import datetime as dt

import graphene
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jianlian.api.base import PermissionField, auth_error, decode_id, require_user
from jianlian.api.permissions import SIGNED_IN
from jianlian.api.connection import connection_args, paginate
from jianlian.core.errors import DomainError
from modules.approvals import access, stats
from modules.approvals.actions import CHANGED
from modules.approvals.models import Task, TaskStatus
from modules.approvals.mutations import Mutation  # noqa: F401 — the module's root Mutation
from modules.approvals.types import (
    ApprovalChanged, ApprovalInstanceConnection, ApprovalInstanceType, ApprovalNodeTime, ApprovalStatistics,
    ApprovalStatusCount, ApprovalTaskConnection, ApprovalTemplateType, StatusEnum,
)

InstanceView = graphene.Enum("ApprovalInstanceView", [
    ("ALL", "all"), ("STARTED", "started"), ("TODO", "todo"), ("DONE", "done"), ("CC", "cc")],
    description="ALL 我可见的全部、STARTED 我发起的、TODO 待我处理、DONE 我已处理、CC 抄送我。")
TaskView = graphene.Enum("ApprovalTaskView", [("PENDING", "pending"), ("DONE", "done")],
                         description="PENDING 待我处理、DONE 我已处理。")


def _instances(user, view: str):
    mine = Task.objects.filter(assignee_id=user.pk)
    if view == "started":
        return access.visible_instances(user).filter(submitter_id=user.pk)
    if view == "todo":
        return access.visible_instances(user).filter(pk__in=mine.filter(status=TaskStatus.PENDING).values("instance_id"))
    if view == "done":
        decided = (TaskStatus.APPROVED, TaskStatus.REJECTED, TaskStatus.RETURNED, TaskStatus.FORWARDED)
        return access.visible_instances(user).filter(pk__in=mine.filter(status__in=decided, automatic="").values("instance_id"))
    if view == "cc":
        return access.visible_instances(user).filter(pk__in=mine.filter(status=TaskStatus.CC).values("instance_id"))
    return access.visible_instances(user)


class Query(graphene.ObjectType):
    approval_templates = PermissionField(
        graphene.List(graphene.NonNull(ApprovalTemplateType)), required=True, permissions=SIGNED_IN,
        startable=graphene.Boolean(description="只列出我可发起的（默认）；false 列出全部（管理用）。"),
        description="审批类型。默认为当前用户可发起的；startable: false 时为全部（需为管理员或模板管理员）。")
    approval_template = PermissionField(ApprovalTemplateType, permissions=SIGNED_IN, id=graphene.ID(required=True, description="模板。"),
                                       description="一个审批模板（表单与流程）。")
    approval_instances = PermissionField(
        ApprovalInstanceConnection, required=True, permissions=SIGNED_IN,
        args=connection_args(view=InstanceView(description="视图，默认 ALL。"),
                             template=graphene.ID(description="只看该模板。"), status=StatusEnum(description="只看该状态。"),
                             search=graphene.String(description="按标题、编号、发起人搜索。")),
        description="审批单，新的在前：发起人、参与人（审批人、抄送人、被转交人）可见；审批管理员可见全部。")
    approval_instance = PermissionField(ApprovalInstanceType, permissions=SIGNED_IN, id=graphene.ID(required=True, description="审批单。"),
                                       description="一份审批单；无权查看时为 null。")
    approval_tasks = PermissionField(
        ApprovalTaskConnection, required=True, permissions=SIGNED_IN, args=connection_args(view=TaskView(description="默认 PENDING。")),
        description="我的审批任务（待我处理 / 我已处理），新的在前。")
    approval_statistics = PermissionField(
        ApprovalStatistics, required=True, permissions=SIGNED_IN, template=graphene.ID(required=True, description="模板。"),
        start=graphene.Date(description="起始日期（含），默认30天前。"), end=graphene.Date(description="截止日期（含），默认今天。"),
        description="一个模板的统计：按状态计数、各节点用时中位数与第90百分位、超时任务。需要 approvals.view_all、approvals.manage 或为模板管理员。")

    @staticmethod
    def resolve_approval_templates(root, info, startable=None):
        user = require_user(info)
        if startable is False:
            from modules.approvals.models import Template

            return [t for t in Template.objects.select_related("current_version").order_by("category", "name")
                    if access.may_manage(user, t)]
        return access.startable_templates(user)

    @staticmethod
    def resolve_approval_template(root, info, id):
        user = require_user(info)
        try:
            t = access.access_template(user, decode_id(id, "ApprovalTemplate"))
        except DomainError:
            return None
        return t if access.may_start(user, t) or access.may_manage(user, t) else None

    @staticmethod
    def resolve_approval_instances(root, info, first=None, after=None, view=None, template=None, status=None, search=None):
        user = require_user(info)
        qs = _instances(user, getattr(view, "value", view) or "all")
        if template:
            qs = qs.filter(template_id=decode_id(template, "ApprovalTemplate", "template"))
        if status:
            qs = qs.filter(status=getattr(status, "value", status))
        if search:
            s = search.strip()[:50]
            qs = qs.filter(Q(title__icontains=s) | Q(number__startswith=s) | Q(submitter_name__icontains=s))
        return paginate(qs.select_related("template", "version"), ApprovalInstanceConnection, first=first, after=after,
                        order=("-id",))

    @staticmethod
    def resolve_approval_instance(root, info, id):
        user = require_user(info)
        try:
            return access.access_instance(user, decode_id(id, "ApprovalInstance"))
        except DomainError:
            return None

    @staticmethod
    def resolve_approval_tasks(root, info, first=None, after=None, view=None):
        user = require_user(info)
        qs = Task.objects.filter(assignee_id=user.pk).select_related("instance", "node")
        if (getattr(view, "value", view) or "pending") == "pending":
            qs = qs.filter(status=TaskStatus.PENDING)
        else:
            qs = qs.filter(status__in=(TaskStatus.APPROVED, TaskStatus.REJECTED, TaskStatus.RETURNED, TaskStatus.FORWARDED))
        return paginate(qs, ApprovalTaskConnection, first=first, after=after, order=("-id",))

    @staticmethod
    def resolve_approval_statistics(root, info, template, start=None, end=None):
        user = require_user(info)
        try:
            t = access.access_template(user, decode_id(template, "ApprovalTemplate", "template"))
        except DomainError as e:
            raise auth_error(e.code, e.message) from None
        if not (access.sees_all(user) or access.may_manage(user, t)):
            raise auth_error("PERMISSION_DENIED", _("您没有查看该模板统计的权限。"))
        end = end or timezone.localdate()
        start = start or end - dt.timedelta(days=30)
        lo = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
        hi = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
        s = stats.template_stats(t, lo, hi)
        return ApprovalStatistics(
            total=s["total"], overdue=s["overdue"],
            counts=[ApprovalStatusCount(status=k, count=v) for k, v in s["counts"].items()],
            nodes=[ApprovalNodeTime(**n) for n in s["nodes"]],
            export_url=f"/apps/approvals/export.xlsx?template={t.pk}&from={start.isoformat()}&to={end.isoformat()}")


class Subscription(graphene.ObjectType):
    approval_changed = graphene.Field(ApprovalChanged, required=True,
                                      description="我发起或参与的审批有变化时推送（列表与详情页据 id 刷新）。")

    @staticmethod
    def subscribe_approval_changed(root, info):
        from jianlian.realtime import events
        from jianlian.realtime.subscriptions import listen, require_socket_user

        user = require_socket_user(info)
        schema = info.context.tenant.schema_name if info.context.tenant else "public"
        return listen(info, groups=[events.user_group(user.pk, schema)], names={CHANGED}, build=_changed)


def _changed(payload: dict) -> ApprovalChanged:
    from graphql_relay import to_global_id

    return ApprovalChanged(id=to_global_id("ApprovalInstance", payload["id"]), status=payload["status"],
                           action=payload["action"])
