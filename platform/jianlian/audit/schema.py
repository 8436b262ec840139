import graphene
from django.utils.translation import gettext as _
from jianlian.access.checks import has_perm
from jianlian.api.base import auth_error, require_user
from jianlian.api.connection import CountableConnection, connection_args, paginate
from jianlian.api.types import ModelType
from jianlian.audit.models import AuditRecord


class AuditRecordType(ModelType):
    """One user action from the schema's append-only, hash-chained audit log."""

    class Meta:
        model = AuditRecord
        name = "AuditRecord"
        fields = ("seq", "at", "actor_id", "actor_label", "action", "object_type", "object_id", "outcome", "ip",
                  "request_id", "before", "after", "hash")


class AuditRecordConnection(CountableConnection):
    """A page of audit records, newest first."""

    class Meta:
        node = AuditRecordType


class Query(graphene.ObjectType):
    audit_records = graphene.Field(
        AuditRecordConnection, required=True,
        args=connection_args(action=graphene.String(description="只看该操作。")),
        description="本租户（省级控制台为公共模式）的审计日志，最新的在前。需要 platform.view_audit 权限。",
    )

    @staticmethod
    def resolve_audit_records(root, info, first=None, after=None, action=None):
        from jianlian.hierarchy.models import OrgUnit

        user = require_user(info)
        tenant = getattr(info.context, "tenant", None)
        node = tenant.org_unit if tenant else OrgUnit.objects.filter(parent__isnull=True).first()
        if not has_perm(user, "platform.view_audit", node):
            raise auth_error("PERMISSION_DENIED", _("您没有执行此操作的权限。"))
        qs = AuditRecord.objects.all()
        if action:
            qs = qs.filter(action=action)
        return paginate(qs, AuditRecordConnection, first=first, after=after, order=("-seq",))
