import graphene
from django.utils.translation import gettext

from jianlian.api.base import PermissionField
from jianlian.api.permissions import WORKSPACE, Perm
from jianlian.api.connection import CountableConnection, connection_args, paginate
from jianlian.api.types import ModelType
from jianlian.audit.models import AuditRecord


# Public-schema objects whose name the log reads by id (a tenant's own rows name themselves in the record).
_NAMED = {
    "identity.user": ("identity.User", lambda u: u.real_name or u.username),
    "tenants.tenant": ("tenants.Tenant", lambda t: t.name),
    "hierarchy.orgunit": ("hierarchy.OrgUnit", lambda u: u.name),
}


class AuditRecordType(ModelType):
    """One user action from the schema's append-only, hash-chained audit log."""

    action_label = graphene.String(required=True, description="操作（中文），来自平台与各应用清单的操作说明。")
    action_label_en = graphene.String(required=True, description="操作（英文）。")
    actor_name = graphene.String(required=True, description="操作人姓名；系统任务为空字符串。")
    object_label = graphene.String(required=True, description="对象：类型与名称（如「角色授权：冯晓峰 · 医生」），无名称时为类型与编号。")

    class Meta:
        model = AuditRecord
        name = "AuditRecord"
        fields = ("seq", "at", "actor_id", "actor_label", "action", "object_type", "object_id", "outcome", "ip",
                  "request_id", "before", "after", "hash")

    @staticmethod
    def resolve_actor_label(rec, info):
        # A record the system wrote (a scheduled task) names it by a catalogued text such as
        # 系统（定时任务）, stored in Chinese: show it in the reader's language. A person's name stays.
        return gettext(rec.actor_label) if rec.actor_id is None and rec.actor_label else rec.actor_label


    @staticmethod
    def resolve_action_label(record, info):
        from jianlian.audit.actions import describe

        return describe(record.action)[0]

    @staticmethod
    def resolve_action_label_en(record, info):
        from jianlian.audit.actions import describe

        return describe(record.action)[1]

    @staticmethod
    def resolve_actor_name(record, info):
        return record.actor_label or ""

    @staticmethod
    def resolve_object_label(record, info):
        from jianlian.audit.actions import object_label, object_words

        label = object_label(record.object_type, record.object_id, record.before, record.after, record.actor_id,
                             record.actor_label)
        kind, _name = object_words(record.object_type, record.before, record.after)
        named = _NAMED.get(record.object_type)
        if not named or label.startswith(f"{kind}：") or not record.object_id.isdigit():
            return label
        from django.apps import apps

        from jianlian.api import dataloaders
        from jianlian.api.execution import then

        model, attr = apps.get_model(named[0]), named[1]
        return then(dataloaders.by_id(info.context, model).load(int(record.object_id)),
                    lambda o: f"{kind}：{attr(o)}" if o else label)


class AuditRecordConnection(CountableConnection):
    """A page of audit records, newest first."""

    class Meta:
        node = AuditRecordType


class Query(graphene.ObjectType):
    audit_records = PermissionField(
        AuditRecordConnection, required=True,
        args=connection_args(action=graphene.String(description="只看该操作。")),
        permissions=Perm("platform.view_audit", at=WORKSPACE),
        description="本租户（省级控制台为公共模式）的审计日志，最新的在前。",
    )

    @staticmethod
    def resolve_audit_records(root, info, first=None, after=None, action=None):
        qs = AuditRecord.objects.all()
        if action:
            qs = qs.filter(action=action)
        return paginate(qs, AuditRecordConnection, first=first, after=after, order=("-seq",))


class AuditEvent(graphene.ObjectType):
    """An audit record as it is written (without its before/after values)."""

    seq = graphene.Int(required=True, description="序号。")
    at = graphene.DateTime(required=True, description="时间。")
    actor_label = graphene.String(required=True, description="操作人。")
    action = graphene.String(required=True, description="操作。")
    object_type = graphene.String(required=True, description="对象类型。")
    object_id = graphene.String(required=True, description="对象ID。")
    outcome = graphene.String(required=True, description="结果。")
    action_label = graphene.String(required=True, description="操作（中文）。")
    action_label_en = graphene.String(required=True, description="操作（英文）。")
    object_label = graphene.String(required=True, description="对象：类型与名称（记录中有名称时），否则类型与编号。")


class Subscription(graphene.ObjectType):
    audit_recorded = graphene.Field(
        AuditEvent, required=True,
        description="本租户的审计日志实时流。只推送给在本租户有 platform.view_audit 权限的人。",
    )

    @staticmethod
    async def subscribe_audit_recorded(root, info):
        from jianlian.audit.service import RECORDED
        from jianlian.realtime import events
        from jianlian.realtime.subscriptions import listen, require_socket_perm

        await require_socket_perm(info, "platform.view_audit")
        schema = info.context.tenant.schema_name if info.context.tenant else "public"
        return listen(info, groups=[events.tenant_group(schema)], names={RECORDED}, build=_audit_event)


def _audit_event(p: dict) -> AuditEvent:
    from django.utils.dateparse import parse_datetime

    from jianlian.audit.actions import describe

    zh, en = describe(p["action"])
    return AuditEvent(seq=p["seq"], at=parse_datetime(p["at"]), actor_label=p["actorLabel"], action=p["action"],
                      object_type=p["objectType"], object_id=p["objectId"], outcome=p["outcome"], action_label=zh,
                      action_label_en=en, object_label=p.get("objectLabel", ""))
