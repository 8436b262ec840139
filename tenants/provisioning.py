"""Creating tenants, changing their status, and keeping the tenant template migrated.

A new tenant's schema is made one of two ways (setting TENANT_CREATION):
- "clone" (default): copy the template schema `_tenant_template`, which the platform keeps
  migrated (`migrate_all`), tables, sequences and migration records included. Measured by
  `make bench` against the other way; see the README for the figures.
- "migrate": create an empty schema and run every migration in it.
A clone of a stale template would silently make a broken tenant, so cloning checks the template
against the code's migrations first and refuses with TEMPLATE_STALE.

Everything happens in one transaction (PostgreSQL DDL is transactional): a failure anywhere
leaves no tenant row, no schema and no roles behind.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import quote_schema_name, schema_exists

from jianlian.audit import service as audit
from jianlian.core.errors import DomainError
from jianlian.core.validators import validate_slug
from jianlian.hierarchy.models import Level, OrgUnit
from tenants import context
from tenants.migration_state import is_current, missing_migrations
from tenants.models import TRANSITIONS, Tenant, TenantKind, TenantStatus

KIND_BY_LEVEL = {"lead": TenantKind.COMMUNITY, "hospital": TenantKind.HOSPITAL}


def template_schema() -> str:
    return settings.TENANT_TEMPLATE_SCHEMA


def migrate_schema(schema: str, *, verbosity: int = 0) -> None:
    """Apply the tenant apps' migrations to `schema` (created if missing)."""
    from django.core.management import call_command

    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {quote_schema_name(schema)}")
    call_command("migrate_schemas", schema_name=schema, tenant=True, interactive=False, verbosity=verbosity)
    connection.set_schema_to_public()


def ensure_template(*, verbosity: int = 0) -> bool:
    """Create or migrate the template schema when it is behind the code. True if it changed."""
    schema = template_schema()
    install_clone_function()
    if schema_exists(schema) and is_current(schema):
        return False
    migrate_schema(schema, verbosity=verbosity)
    return True


def _clone_template(schema: str) -> None:
    template = template_schema()
    if not schema_exists(template):
        raise DomainError("TEMPLATE_MISSING", _("租户模板尚未初始化，请先运行 manage.py migrate_all。"))
    missing = missing_migrations(template)
    if missing:
        raise DomainError(
            "TEMPLATE_STALE",
            _("租户模板落后于代码（缺少 %(n)s 个迁移），已拒绝克隆。请先运行 manage.py migrate_all。") % {"n": len(missing)},
        )
    if not _clone_function_installed():
        install_clone_function()
    with connection.cursor() as cursor:
        cursor.execute("SELECT clone_schema(%s, %s, 'DATA')", [template, schema])


def _clone_function_installed() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                       "WHERE n.nspname = 'public' AND p.proname = 'clone_schema'")
        return cursor.fetchone() is not None


def install_clone_function() -> None:
    """(Re)install django-tenants' PL/pgSQL `clone_schema` in the public schema. Done by
    `migrate_all` (so an upgraded django-tenants refreshes it), not on every clone: the function
    is 4,000 lines, and re-creating it each time made every tenant creation pay for it."""
    from django_tenants.clone import CloneSchema

    CloneSchema()._create_clone_schema_function()


def _check_node(node: OrgUnit) -> TenantKind:
    kind = KIND_BY_LEVEL.get(str(node.level))
    if kind is None:
        raise DomainError(
            "INVALID_TENANT_NODE", _("只有医共体牵头单位或独立医院可以开通为租户。"), "orgUnit"
        )
    if Tenant.objects.filter(org_unit=node).exists():
        raise DomainError("TENANT_EXISTS", _("该单位已开通租户。"), "orgUnit")
    return kind


def create_tenant(actor, node: OrgUnit, slug: str, *, name: str = "", method: str | None = None) -> Tenant:
    """Provision a tenant for a community lead unit or a standalone hospital.

    Who: holders of `platform.manage_tenants` at the node (or `actor=None` for the CLI and seed).
    Creates the schema (clone or migrate), seeds the tenant's editable built-in roles, and makes
    the tenant active. Audited in the public chain.
    """
    from jianlian.access.helpers import access_unit

    if actor is not None:
        access_unit(actor, node, "platform.manage_tenants")
    try:
        slug = validate_slug(slug)
    except ValidationError as e:
        raise DomainError(e.code, e.messages[0], "slug") from None
    kind = _check_node(node)
    if Tenant.objects.filter(slug=slug).exists():
        raise DomainError("SLUG_TAKEN", _("该标识已被其他租户使用。"), "slug")
    schema = Tenant.schema_for(slug)
    if schema_exists(schema):
        raise DomainError("SLUG_TAKEN", _("该标识已被其他租户使用。"), "slug")
    method = method or settings.TENANT_CREATION
    if method not in ("clone", "migrate"):
        raise DomainError("INVALID_METHOD", _("租户创建方式只能是 clone 或 migrate。"), "method")

    with context.tenant_context(context.public()), transaction.atomic():
        tenant = Tenant(
            schema_name=schema, slug=slug, name=(name or node.name)[:100], kind=kind, org_unit=node,
            status=TenantStatus.PROVISIONING,
        )
        tenant.save()
        if method == "clone":
            _clone_template(schema)
        else:
            with connection.cursor() as cursor:
                cursor.execute(f"CREATE SCHEMA {quote_schema_name(schema)}")
            _migrate_in_place(schema)
        seed_tenant_roles(tenant)
        from jianlian.marketplace.services import install_mandated

        install_mandated(tenant)  # apps a higher level requires reach new tenants too
        tenant.status = TenantStatus.ACTIVE
        tenant.status_changed_at = timezone.now()
        tenant.save(update_fields=["status", "status_changed_at"])
        audit.record(
            "tenants.create", actor=actor, target=tenant,
            after={"slug": slug, "org_unit": node.pk, "kind": kind, "method": method},
        )
    with context.tenant_context(tenant):
        audit.record("tenants.created", actor=actor, target=tenant, after={"slug": slug})
    return tenant


def _migrate_in_place(schema: str) -> None:
    """Run the migrations inside the current transaction (so a failure rolls the schema back)."""
    from django.db.migrations.executor import MigrationExecutor

    connection.set_schema(schema)
    try:
        executor = MigrationExecutor(connection)
        targets = executor.loader.graph.leaf_nodes()
        executor.migrate(targets, plan=executor.migration_plan(targets))
        from django.core.management.sql import emit_post_migrate_signal

        emit_post_migrate_signal(0, False, connection.alias)
    finally:
        connection.set_schema_to_public()


def seed_tenant_roles(tenant: Tenant) -> None:
    """Give the tenant its own editable copies of the per-tenant built-in roles."""
    from jianlian.access.models import Role
    from jianlian.access.permissions import BUILTIN_ROLES

    Role.objects.bulk_create(
        [
            Role(tenant=tenant, code=r.code, name=r.name_zh, name_en=r.name_en, permissions=list(r.permissions),
                 aggregates_only=r.aggregates_only, is_builtin=True)
            for r in BUILTIN_ROLES
            if r.per_tenant
        ],
        ignore_conflicts=True,
    )


def seed_province_roles() -> None:
    """The province-wide built-in roles (no tenant), kept in step with the code."""
    from jianlian.access.models import Role
    from jianlian.access.permissions import BUILTIN_ROLES

    for r in BUILTIN_ROLES:
        if r.per_tenant:
            continue
        Role.objects.update_or_create(
            tenant=None, code=r.code,
            defaults={"name": r.name_zh, "name_en": r.name_en, "permissions": list(r.permissions),
                      "aggregates_only": r.aggregates_only, "is_builtin": True},
        )


def set_status(actor, tenant: Tenant, status: str, reason: str = "") -> Tenant:
    """Move a tenant through its lifecycle (active ⇄ suspended → archived). Data is always kept."""
    from jianlian.access.helpers import access_unit

    if actor is not None:
        access_unit(actor, tenant.org_unit, "platform.manage_tenants")
    if status not in TenantStatus.values:
        raise DomainError("INVALID_STATUS", _("未知的租户状态。"), "status")
    if status not in TRANSITIONS[TenantStatus(tenant.status)]:
        raise DomainError(
            "INVALID_TRANSITION",
            _("租户状态不能从「%(a)s」变为「%(b)s」。") % {"a": tenant.get_status_display(), "b": TenantStatus(status).label},
            "status",
        )
    reason = (reason or "").strip()
    if len(reason) > 200:
        raise DomainError("TOO_LONG", _("状态说明不能超过200字。"), "reason")
    with context.tenant_context(context.public()), transaction.atomic():
        before = {"status": tenant.status, "reason": tenant.status_reason}
        tenant.status, tenant.status_reason, tenant.status_changed_at = status, reason, timezone.now()
        tenant.save(update_fields=["status", "status_reason", "status_changed_at"])
        audit.record("tenants.set_status", actor=actor, target=tenant, before=before,
                     after={"status": status, "reason": reason})
    return tenant


def stale_schemas(schemas: list[str]) -> list[str]:
    return [s for s in schemas if not is_current(s)]
