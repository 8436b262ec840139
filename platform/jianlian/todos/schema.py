"""GraphQL for the to-do centre: my items by view (待我处理 / 我已处理 / 我发起的 / 抄送我) with
search and filters, my counts, marking cc items read, and live counts."""

from __future__ import annotations

import graphene
from django.utils.translation import gettext as _

from jianlian.api.base import BaseMutation, GlobalID, PermissionField, require_user
from jianlian.api.permissions import SIGNED_IN
from jianlian.api.connection import CountableConnection, connection_args, paginate
from jianlian.api.types import ModelType
from jianlian.core.errors import DomainError
from jianlian.todos import services
from jianlian.todos.models import Role, State, TodoItem

TodoView = graphene.Enum("TodoView", [("PENDING", "pending"), ("DONE", "done"), ("STARTED", "started"), ("CC", "cc")],
                         description="PENDING 待我处理、DONE 我已处理、STARTED 我发起的、CC 抄送我。")
TodoRoleEnum = graphene.Enum.from_enum(Role, name="TodoRole", description="我在这件事中的角色。")
TodoStateEnum = graphene.Enum.from_enum(State, name="TodoState", description="待处理或已处理（抄送：未读或已读）。")


def _in_tenant(info) -> bool:
    return getattr(getattr(info.context, "tenant", None), "pk", None) is not None


class TodoItemType(ModelType):
    """One thing for me to do (or that I started, or was copied on), from any app."""

    role = TodoRoleEnum(required=True, description="角色。")
    state = TodoStateEnum(required=True, description="状态。")
    overdue = graphene.Boolean(required=True, description="已过截止时间仍未处理。")

    class Meta:
        model = TodoItem
        name = "TodoItem"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "source", "kind", "title", "summary", "link", "started_by", "outcome", "urgent", "due_at",
                  "created_at", "updated_at", "done_at")

    @staticmethod
    def resolve_overdue(item, info):
        from django.utils import timezone

        return item.state == State.PENDING and item.due_at is not None and item.due_at < timezone.now()

    @classmethod
    def access_node(cls, info, viewer, pk):
        return TodoItem.objects.filter(pk=pk, user_id=viewer.pk).first() if _in_tenant(info) else None


class TodoItemConnection(CountableConnection):
    """A page of to-do items."""

    class Meta:
        node = TodoItemType


class TodoCounts(graphene.ObjectType):
    """My counters (the workbench badge and the tabs of the to-do centre)."""

    pending = graphene.Int(required=True, description="待我处理。")
    cc_unread = graphene.Int(required=True, description="抄送我（未读）。")
    started_running = graphene.Int(required=True, description="我发起的（进行中）。")


class Query(graphene.ObjectType):
    todos = PermissionField(
        TodoItemConnection, required=True, permissions=SIGNED_IN,
        args=connection_args(view=TodoView(description="视图，默认 PENDING。"), search=graphene.String(description="按标题、摘要、发起人搜索。"),
                             source=graphene.String(description="来源应用（approvals、referrals、supervision…）。"),
                             kind=graphene.String(description="类型（approve、receive、cc…）。"),
                             urgent=graphene.Boolean(description="只看紧急（或不紧急）的。"),
                             overdue=graphene.Boolean(description="只看已超时（或未超时）的。")),
        description="我的待办（本单位内，所有应用），最近更新的在前。")
    todo_counts = PermissionField(TodoCounts, required=True, permissions=SIGNED_IN, description="我的待办计数。")

    @staticmethod
    def resolve_todos(root, info, first=None, after=None, view=None, search=None, source=None, kind=None, urgent=None,
                      overdue=None):
        user = require_user(info)
        if not _in_tenant(info):
            return paginate(TodoItem.objects.none(), TodoItemConnection, first=first, after=after)
        try:
            qs = services.items(user, getattr(view, "value", view) or "pending", search=(search or "").strip()[:50],
                                source=source or "", kind=kind or "", urgent=urgent, overdue=overdue)
        except DomainError as e:
            from jianlian.api.base import auth_error

            raise auth_error(e.code, e.message) from None
        return paginate(qs, TodoItemConnection, first=first, after=after, order=("-updated_at", "-id"))

    @staticmethod
    def resolve_todo_counts(root, info):
        user = require_user(info)
        c = services.counts(user.pk) if _in_tenant(info) else services.Counts()
        return TodoCounts(pending=c.pending, cc_unread=c.cc_unread, started_running=c.started_running)


class MarkTodosReadInput(graphene.InputObjectType):
    """Cc items to mark read (all when none are named)."""

    ids = GlobalID("TodoItem", many=True, description="待办 ID；不填为全部抄送。")


class MarkTodosRead(BaseMutation):
    counts = graphene.Field(TodoCounts, description="新的计数。")

    class Meta:
        description = "把抄送我的事项标为已读。"
        permissions = SIGNED_IN
        error_codes = ("TENANT_NOT_FOUND",)

    class Arguments:
        input = MarkTodosReadInput(required=True)

    @classmethod
    def perform(cls, info, input):
        user = info.context.user
        if not _in_tenant(info):
            raise DomainError("TENANT_NOT_FOUND", _("待办只在单位（租户）内。"))
        services.mark_read(user, list(input.get("ids") or []))
        c = services.counts(user.pk)
        return cls(counts=TodoCounts(pending=c.pending, cc_unread=c.cc_unread, started_running=c.started_running), errors=[])


class Mutation(graphene.ObjectType):
    mark_todos_read = MarkTodosRead.Field()


class Subscription(graphene.ObjectType):
    todo_counts_changed = graphene.Field(TodoCounts, required=True, description="我的待办计数变化时推送（工作台角标、待办中心）。")

    @staticmethod
    def subscribe_todo_counts_changed(root, info):
        from jianlian.realtime import events
        from jianlian.realtime.subscriptions import listen, require_socket_user

        user = require_socket_user(info)
        schema = info.context.tenant.schema_name if info.context.tenant else "public"
        return listen(info, groups=[events.user_group(user.pk, schema)], names={services.COUNTS_EVENT}, build=_counts)


def _counts(p: dict) -> TodoCounts:
    return TodoCounts(pending=p["pending"], cc_unread=p["ccUnread"], started_running=p["startedRunning"])
