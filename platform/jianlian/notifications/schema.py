import graphene

from jianlian.api.base import BaseMutation, GlobalID, PermissionField, require_user
from jianlian.api.permissions import CURRENT_TENANT, SIGNED_IN, Perm
from jianlian.api.connection import CountableConnection, connection_args, paginate
from jianlian.api.types import ModelType
from jianlian.core.errors import DomainError
from jianlian.notifications import services
from jianlian.notifications.models import Delivery, Kind, Notification, Priority
from jianlian.notifications.texts import read
from jianlian.realtime.subscriptions import listen, require_socket_user
from jianlian.realtime import events

KindEnum = graphene.Enum.from_enum(Kind, description="消息类型。")
PriorityEnum = graphene.Enum.from_enum(Priority, description="优先级；urgent 即 DING，必达并短信提醒。")


class NotificationType(ModelType):
    """A message sent to people of a tenant."""

    kind = KindEnum(required=True, description="类型。")
    priority = PriorityEnum(required=True, description="优先级。")
    title = graphene.String(required=True, description="标题（按请求的语言，有英文文本时读英文）。")
    body = graphene.String(required=True, description="正文（按请求的语言）。")
    sender_name = graphene.String(required=True, description="发送人（按请求的语言）。")
    read_count = graphene.Int(required=True, description="已读人数（发送人与管理员可见）。")
    receipts = graphene.Field(
        lambda: ReceiptConnection, required=True, args=connection_args(read=graphene.Boolean(description="只看已读或未读。")),
        description="阅读回执：谁已读、谁未读（发送人与管理员可见）。",
    )

    class Meta:
        model = Notification
        name = "Notification"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "sender_name", "title", "body", "link", "recipient_count", "created_at")

    @classmethod
    def access_node(cls, info, viewer, pk):
        return services.access_notification(viewer, pk)

    @staticmethod
    def resolve_title(note, info):
        return read(note, "title")

    @staticmethod
    def resolve_body(note, info):
        return read(note, "body")

    @staticmethod
    def resolve_sender_name(note, info):
        return read(note, "sender_name")

    @staticmethod
    def resolve_read_count(note, info):
        services.access_sent(require_user(info), note.pk)
        return note.deliveries.filter(read_at__isnull=False).count()

    @staticmethod
    def resolve_receipts(note, info, first=None, after=None, read=None):
        services.access_sent(require_user(info), note.pk)
        qs = note.deliveries.all()
        if read is not None:
            qs = qs.filter(read_at__isnull=not read)
        return paginate(qs, ReceiptConnection, first=first, after=after)


class ReceiptType(ModelType):
    """One recipient's copy of a notification: delivered, and when it was read."""

    user_name = graphene.String(required=True, description="接收人姓名。")
    notification = graphene.Field(NotificationType, required=True, description="消息。")

    class Meta:
        model = Delivery
        name = "Receipt"
        fields = ("user_id", "delivered_at", "read_at")

    @staticmethod
    def resolve_user_name(delivery, info):
        from jianlian.api import dataloaders
        from jianlian.api.execution import then
        from jianlian.identity.models import User

        return then(dataloaders.by_id(info.context, User).load(delivery.user_id), lambda u: (u.real_name or u.username) if u else "")

    @staticmethod
    def resolve_notification(delivery, info):
        from jianlian.api import dataloaders

        return dataloaders.by_id(info.context, Notification).load(delivery.notification_id)


class ReceiptConnection(CountableConnection):
    """A page of receipts (or of the caller's inbox)."""

    class Meta:
        node = ReceiptType


class Query(graphene.ObjectType):
    my_notifications = PermissionField(
        ReceiptConnection, required=True, args=connection_args(unread_only=graphene.Boolean(description="只看未读。")),
        permissions=SIGNED_IN, description="我的消息（收件箱），最新的在前。",
    )
    unread_notification_count = PermissionField(graphene.Int, required=True, permissions=SIGNED_IN,
                                                description="我的未读消息数。")
    sent_notifications = PermissionField(
        lambda: NotificationConnection, required=True, args=connection_args(), permissions=SIGNED_IN,
        description="我发出的消息，最新的在前。",
    )

    @staticmethod
    def resolve_my_notifications(root, info, first=None, after=None, unread_only=False):
        user = require_user(info)
        qs = Delivery.objects.filter(user_id=user.pk)
        if unread_only:
            qs = qs.filter(read_at__isnull=True)
        return paginate(qs, ReceiptConnection, first=first, after=after, order=("-id",))

    @staticmethod
    def resolve_unread_notification_count(root, info):
        return services.unread_count(require_user(info))

    @staticmethod
    def resolve_sent_notifications(root, info, first=None, after=None):
        user = require_user(info)
        if user.pk is None:  # an app's token sent nothing (filtering on None would match the platform's notices)
            return paginate(Notification.objects.none(), NotificationConnection, first=first, after=after, order=("-id",))
        return paginate(Notification.objects.filter(sender_id=user.pk), NotificationConnection, first=first, after=after, order=("-id",))


class NotificationConnection(CountableConnection):
    """A page of notifications."""

    class Meta:
        node = NotificationType


class SendNotificationInput(graphene.InputObjectType):
    """What to send, and to whom (any combination of people, units, roles, or the whole tenant)."""

    title = graphene.String(required=True, description="标题，不超过120字。")
    body = graphene.String(description="正文，不超过5000字。")
    kind = KindEnum(description="类型，默认通知公告。")
    priority = PriorityEnum(description="优先级，默认普通。")
    link = graphene.String(description="点击后打开的站内路径或 http(s) 地址。")
    user_ids = GlobalID("User", many=True, description="接收人（User ID）。")
    unit_ids = GlobalID("OrgUnit", many=True, description="接收单位（含下级，OrgUnit ID；需白名单）。")
    role_codes = graphene.List(graphene.NonNull(graphene.String), description="接收角色代码（需白名单）。")
    whole_tenant = graphene.Boolean(description="发给本租户全体（需白名单）。")
    department_ids = GlobalID("Department", many=True, description="接收科室（含下级科室，Department ID；需白名单）。")
    tag_ids = GlobalID("Tag", many=True, description="接收标签（如护士长，Tag ID；需全租户白名单）。")
    group_ids = GlobalID("Group", many=True, description="接收群组（含动态群组，Group ID；需全租户白名单）。")


class SendNotification(BaseMutation):
    class Meta:
        description = "发送消息。发给指定同事（不超过50人）人人可用；发给全体、单位或角色需在本租户的推送白名单中。"
        permissions = SIGNED_IN

    notification = graphene.Field(NotificationType, description="已发送的消息。")

    class Arguments:
        input = SendNotificationInput(required=True)

    @classmethod
    def perform(cls, info, input):
        audience = services.Audience(
            user_ids=input.get("user_ids") or [],
            unit_ids=input.get("unit_ids") or [],
            role_codes=list(input.get("role_codes") or []),
            whole_tenant=bool(input.get("whole_tenant")),
            department_ids=input.get("department_ids") or [],
            tag_ids=input.get("tag_ids") or [],
            group_ids=input.get("group_ids") or [],
        )
        note = services.send(
            info.context.user, title=input["title"], body=input.get("body") or "",
            kind=input.get("kind") or Kind.NOTICE,
            priority=input.get("priority") or Priority.NORMAL,
            link=input.get("link") or "", audience=audience,
        )
        return SendNotification(notification=note, errors=[])


class MarkNotificationsReadInput(graphene.InputObjectType):
    """Which of my notifications to mark read (all unread when empty)."""

    ids = GlobalID("Notification", many=True, description="Notification ID；为空表示全部。")


class MarkNotificationsRead(BaseMutation):
    class Meta:
        description = "把我的消息标为已读（发送人随即看到回执）。"
        permissions = SIGNED_IN

    unread_count = graphene.Int(description="剩余未读数。")

    class Arguments:
        input = MarkNotificationsReadInput(required=True)

    @classmethod
    def perform(cls, info, input):
        ids = input.get("ids") or None
        return MarkNotificationsRead(unread_count=services.mark_read(info.context.user, ids), errors=[])


class SetNotificationPreferenceInput(graphene.InputObjectType):
    """Whether I receive a type of message, and by which extra channels."""

    kind = KindEnum(required=True, description="消息类型。")
    receive = graphene.Boolean(required=True, description="是否接收（紧急消息总会送达）。")
    sms = graphene.Boolean(description="同时发短信。")
    email = graphene.Boolean(description="同时发邮件。")


class SetNotificationPreference(BaseMutation):
    class Meta:
        description = "设置我接收哪些类型的消息及提醒方式。"
        permissions = SIGNED_IN

    ok = graphene.Boolean(description="是否已保存。")

    class Arguments:
        input = SetNotificationPreferenceInput(required=True)

    @classmethod
    def perform(cls, info, input):
        services.set_preference(info.context.user, input["kind"],
                                receive=input["receive"], sms=bool(input.get("sms")), email=bool(input.get("email")))
        return SetNotificationPreference(ok=True, errors=[])


class GrantNotificationSenderInput(graphene.InputObjectType):
    """Whom to whitelist, and for which range."""

    user_id = GlobalID("User", required=True, description="被授权人（User ID）。")
    unit_id = GlobalID("OrgUnit", description="范围单位（含下级）；为空表示全租户。")


class GrantNotificationSender(BaseMutation):
    class Meta:
        description = "把人员加入推送白名单（全租户或某单位范围）。"
        permissions = Perm("notifications.manage_senders", at=CURRENT_TENANT)

    ok = graphene.Boolean(description="是否已授权。")

    class Arguments:
        input = GrantNotificationSenderInput(required=True)

    @classmethod
    def perform(cls, info, input):
        user_id, unit_id = input["user_id"], input.get("unit_id")
        services.grant_sender(info.context.user, user_id, unit_id)
        return GrantNotificationSender(ok=True, errors=[])


class Mutation(graphene.ObjectType):
    send_notification = SendNotification.Field()
    mark_notifications_read = MarkNotificationsRead.Field()
    set_notification_preference = SetNotificationPreference.Field()
    grant_notification_sender = GrantNotificationSender.Field()


class NotificationEvent(graphene.ObjectType):
    """A notification as it arrives live."""

    id = graphene.ID(required=True, description="Notification 的全局 ID。")
    title = graphene.String(required=True, description="标题。")
    body = graphene.String(required=True, description="正文（前500字）。")
    kind = KindEnum(required=True, description="类型。")
    priority = PriorityEnum(required=True, description="优先级。")
    link = graphene.String(required=True, description="链接。")
    sender_name = graphene.String(required=True, description="发送人。")
    created_at = graphene.DateTime(required=True, description="发送时间。")
    title_en = graphene.String(required=True, description="英文标题；没有时为空，读中文标题（事件对所有订阅者相同，由客户端按语言选）。")
    body_en = graphene.String(required=True, description="英文正文；没有时为空。")
    sender_name_en = graphene.String(required=True, description="发送人的英文名称；没有时为空。")


class Subscription(graphene.ObjectType):
    notification_received = graphene.Field(NotificationEvent, required=True, description="我收到的新消息（实时）。")

    @staticmethod
    def subscribe_notification_received(root, info):
        user = require_socket_user(info)
        schema = info.context.tenant.schema_name if info.context.tenant else "public"
        # A notification to a whole tenant is announced once, to the tenant's group.
        return listen(info, groups=[events.user_group(user.pk, schema), events.tenant_group(schema)],
                      names={services.RECEIVED}, build=_notification_event)


def _notification_event(p: dict) -> NotificationEvent:
    from django.utils.dateparse import parse_datetime
    from graphql_relay import to_global_id

    return NotificationEvent(
        id=to_global_id("Notification", p["id"]), title=p["title"], body=p["body"], kind=p["kind"],
        priority=p["priority"], link=p["link"], sender_name=p["senderName"], created_at=parse_datetime(p["createdAt"]),
        title_en=p.get("titleEn", ""), body_en=p.get("bodyEn", ""), sender_name_en=p.get("senderNameEn", ""),
    )
