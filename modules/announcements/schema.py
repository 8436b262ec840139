"""GraphQL for announcements: columns, posts by column and search, one post, every action
(mutations.py) and live read counts. Gated by the marketplace (APP_NOT_INSTALLED where the app is
not installed). The API tour is in README.md beside this file."""

from __future__ import annotations

import graphene
from django.db.models import Q

from jianlian.api.base import PermissionField, decode_id, require_user
from jianlian.api.connection import connection_args, paginate
from jianlian.api.permissions import SIGNED_IN
from jianlian.core.errors import DomainError
from jianlian.notifications.models import Delivery
from modules.announcements import access
from modules.announcements.actions import READ_CHANGED
from modules.announcements.models import Column
from modules.announcements.mutations import Mutation  # noqa: F401 — the module's root Mutation
from modules.announcements.types import (
    AnnouncementColumnType, AnnouncementConnection, AnnouncementReadChanged, AnnouncementType,
)

View = graphene.Enum("AnnouncementView", [("READABLE", "readable"), ("REQUIRED_UNREAD", "required_unread"),
                                          ("EDITABLE", "editable")],
                     description="READABLE 发给我的（默认）、REQUIRED_UNREAD 我未读的必读、EDITABLE 我管理的栏目里的全部（含草稿）。")


class Query(graphene.ObjectType):
    announcement_columns = PermissionField(graphene.List(graphene.NonNull(AnnouncementColumnType)), required=True,
                                           permissions=SIGNED_IN, description="公告栏目。")
    announcements = PermissionField(
        AnnouncementConnection, required=True, permissions=SIGNED_IN,
        args=connection_args(view=View(description="视图，默认 READABLE。"), column=graphene.ID(description="只看该栏目。"),
                             search=graphene.String(description="按标题和正文搜索。")),
        description="公告：置顶的在前，然后新的在前。只含我在发布范围内的已发布、未过期公告；EDITABLE 为我管理的栏目的全部公告。")
    announcement = PermissionField(AnnouncementType, permissions=SIGNED_IN, id=graphene.ID(required=True, description="公告。"),
                                   description="一篇公告；不在发布范围内或无权查看时为 null。")

    @staticmethod
    def resolve_announcement_columns(root, info):
        require_user(info)
        return Column.objects.all()

    @staticmethod
    def resolve_announcements(root, info, first=None, after=None, view=None, column=None, search=None):
        user = require_user(info)
        view = getattr(view, "value", view) or "readable"
        if view == "editable":
            qs, order = access.visible_posts(user).filter(column__in=access.editable_columns(user)), ("-id",)
        else:
            qs, order = access.readable_posts(user), ("-pinned", "-published_at", "-id")
            if view == "required_unread":
                unread = Delivery.objects.filter(user_id=user.pk, read_at__isnull=True).values("notification_id")
                qs = qs.filter(required=True, notification_id__in=unread)
        if column:
            qs = qs.filter(column_id=decode_id(column, "AnnouncementColumn", "column"))
        if search and search.strip():
            s = search.strip()[:50]
            qs = qs.filter(Q(title__icontains=s) | Q(text__icontains=s))
        return paginate(qs.select_related("column"), AnnouncementConnection, first=first, after=after, order=order)

    @staticmethod
    def resolve_announcement(root, info, id):
        user = require_user(info)
        try:
            return access.access_post(user, decode_id(id, "Announcement"))
        except DomainError:
            return None


class Subscription(graphene.ObjectType):
    announcement_read_changed = graphene.Field(AnnouncementReadChanged, required=True,
                                               description="我编辑的公告有人阅读或投票时推送（阅读率与投票结果据此刷新）。")

    @staticmethod
    def subscribe_announcement_read_changed(root, info):
        from jianlian.realtime import events
        from jianlian.realtime.subscriptions import listen, require_socket_user

        user = require_socket_user(info)
        schema = info.context.tenant.schema_name if info.context.tenant else "public"
        return listen(info, groups=[events.user_group(user.pk, schema)], names={READ_CHANGED}, build=_read_changed)


def _read_changed(payload: dict) -> AnnouncementReadChanged:
    from graphql_relay import to_global_id

    return AnnouncementReadChanged(id=to_global_id("Announcement", payload["id"]), read=payload["read"], total=payload["total"])
