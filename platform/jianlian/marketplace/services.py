"""The marketplace's actions: the catalog, installs, mandates, visibility and the workbench.

Every action validates and authorises first, then writes, audits and announces after commit.
Installing a built-in app runs its migrations in the tenant's schema and seeds its default roles,
all in one transaction with the installation row: a failure leaves the tenant as it was.

Who may do what (permission codes, checked with `has_perm` at the tenant's or the node's unit):
- `marketplace.manage` at a tenant: install, upgrade, uninstall, purge, set visibility;
- `marketplace.publish` at a province, city or county: register external apps for its subtree;
- `marketplace.mandate` at a node: require an app for every tenant below it.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianlian.access.checks import has_perm
from jianlian.access.helpers import access_unit
from jianlian.audit import service as audit
from jianlian.core.errors import DomainError
from jianlian.marketplace import installer, manifest as manifests
from jianlian.marketplace.models import (
    App, AppKind, AppVersion, InstallJob, InstallStatus, Installation, JobAction, JobStatus, Mandate,
)
from tenants import context

logger = logging.getLogger(__name__)

BADGE_EVENT = "marketplace.badge"


# --- catalog -------------------------------------------------------------------------------------

def sync_catalog() -> int:
    """Make the catalog's built-in apps match the modules' manifests (name, version, change notes).
    Run by `migrate_all` and at test setup. Returns how many apps changed."""
    changed = 0
    for m in manifests.registry().values():
        defaults = {
            "kind": AppKind.BUILTIN, "name": m.name_zh, "name_en": m.name_en, "description": m.description_zh,
            "category": m.category, "icon": m.icon, "version": m.version, "depends": list(m.depends),
            "permissions": [p.code for p in m.permissions],
        }
        app, created = App.objects.get_or_create(key=m.key, defaults=defaults)
        if not created and any(getattr(app, k) != v for k, v in defaults.items()):
            for k, v in defaults.items():
                setattr(app, k, v)
            app.save()
            changed += 1
        changed += created
        for change in reversed(m.changelog):  # oldest first, so the newest has the latest date
            AppVersion.objects.get_or_create(app=app, version=change.version,
                                             defaults={"notes": change.notes_zh, "notes_en": change.notes_en})
    return changed


def record_deployed_versions() -> int:
    """After `migrate_all` migrated the tenants (an installed module's new migrations run with the
    deploy, since the code's models need them), record the code's version on installations that
    have nothing left to migrate. Returns how many changed."""
    changed = 0
    for m in manifests.registry().values():
        for inst in Installation.objects.filter(app__key=m.key).exclude(version=m.version).select_related("tenant"):
            if not installer.pending_migrations(inst.tenant.schema_name, m.key):
                Installation.objects.filter(pk=inst.pk).update(version=m.version)
                changed += 1
    return changed


def catalog_for(tenant_or_node):
    """The listed apps whose publisher's subtree holds this tenant (or node)."""
    node = getattr(tenant_or_node, "org_unit", tenant_or_node)
    qs = App.objects.filter(is_listed=True).select_related("publisher")
    if node is None:
        return qs
    return qs.filter(
        Q(publisher__isnull=True)
        | Q(publisher__tree_id=node.tree_id, publisher__lft__lte=node.lft, publisher__rght__gte=node.rght)
    )


def app_for_tenant(tenant, key: str) -> App:
    app = catalog_for(tenant).filter(key=str(key or "").strip()).first()
    if app is None:
        raise DomainError("APP_NOT_FOUND", _("应用市场中没有该应用，或它未向本单位开放。"), "app")
    return app


def search_catalog(tenant_or_node, *, text: str = "", category: str = ""):
    qs = catalog_for(tenant_or_node)
    text = (text or "").strip()[:50]
    if text:
        qs = qs.filter(Q(name__icontains=text) | Q(name_en__icontains=text) | Q(key__icontains=text)
                       | Q(description__icontains=text))
    if category:
        qs = qs.filter(category=category)
    return qs


# --- installation state --------------------------------------------------------------------------

def installation(tenant, key: str) -> Installation | None:
    return Installation.objects.select_related("app").filter(tenant=tenant, app__key=key).first()


def is_installed(tenant, key: str) -> bool:
    if tenant is None or getattr(tenant, "pk", None) is None:
        return False
    return Installation.objects.filter(tenant_id=tenant.pk, app__key=key, status=InstallStatus.INSTALLED).exists()


def installed_keys_subquery():
    """An expression for a tenant query: the keys of the apps the row's tenant has installed."""
    from django.contrib.postgres.expressions import ArraySubquery
    from django.db.models import OuterRef

    return ArraySubquery(Installation.objects.filter(tenant_id=OuterRef("pk"), status=InstallStatus.INSTALLED)
                         .values("app__key"))


def installations_of(key: str):
    """The live installations of app `key` in active tenants: a queryset a module may filter on
    (`tenant__org_unit__…`) to list the places it runs."""
    return Installation.objects.filter(app__key=key, status=InstallStatus.INSTALLED, tenant__status="active")


def installed_keys(tenant) -> set[str]:
    return set(Installation.objects.filter(tenant=tenant, status=InstallStatus.INSTALLED).values_list("app__key", flat=True))


def _require_manage(actor, tenant) -> None:
    if actor is not None:
        access_unit(actor, tenant.org_unit, "marketplace.manage")


def install_plan(tenant, key: str) -> list[str]:
    """The apps to install, dependencies first, for `key` in `tenant` (those already installed
    are left out)."""
    have = installed_keys(tenant)
    plan: list[str] = []

    def visit(k):
        m = manifests.get(k)
        app = App.objects.filter(key=k).first()
        deps = m.depends if m else (app.depends if app else [])
        for dep in deps:
            visit(dep)
        if k not in have and k not in plan:
            plan.append(k)

    visit(key)
    return plan


def _seed_roles(tenant, m: manifests.Manifest) -> None:
    from jianlian.access.models import Role

    Role.objects.bulk_create(
        [Role(tenant=tenant, code=r.code, name=r.name_zh, name_en=r.name_en, permissions=list(r.permissions),
              is_builtin=True) for r in m.default_roles],
        ignore_conflicts=True,
    )


def _install_one(actor, tenant, key: str, *, mandated: bool = False) -> Installation:
    """Create or enable one built-in app in `tenant` (inside the caller's transaction)."""
    app = App.objects.get(key=key)
    m = manifests.get(key)
    if m is None:
        raise DomainError("APP_NOT_FOUND", _("该应用的程序未部署在本平台。"), "app")
    with context.tenant_context(tenant):
        installer.migrate_app(tenant.schema_name, key)
    _seed_roles(tenant, m)
    inst, created = Installation.objects.get_or_create(
        tenant=tenant, app=app,
        defaults={"version": m.version, "mandated": mandated, "installed_by": actor if _is_user(actor) else None},
    )
    before = None if created else {"status": inst.status, "version": inst.version}
    if not created:
        inst.status, inst.version = InstallStatus.INSTALLED, m.version
        inst.mandated = inst.mandated or mandated
        inst.save(update_fields=["status", "version", "mandated", "updated_at"])
    with context.tenant_context(tenant):
        audit.record("marketplace.install", actor=_actor(actor), object_type="marketplace.app", object_id=key,
                     before=before, after={"status": "installed", "version": m.version, "mandated": inst.mandated})
    return inst


def _is_user(actor) -> bool:
    return actor is not None and getattr(actor, "pk", None) is not None and not getattr(actor, "is_app", False)


def _actor(actor):
    return actor if _is_user(actor) else None


def install(actor, tenant, key: str, *, mandated: bool = False, progress=None) -> list[str]:
    """Install a built-in app and whatever it depends on into `tenant`. Returns the installed keys.

    Who: holders of `marketplace.manage` at the tenant (`actor=None` for the platform itself:
    mandates, provisioning). Runs each app's migrations in the tenant's schema and seeds its
    default roles, all in one transaction. Emits `marketplace.installed` to the tenant's users.
    Raises APP_NOT_FOUND, APP_ALREADY_INSTALLED, or the first error of a failing app (with
    nothing changed).
    """
    _require_manage(actor, tenant)
    app = app_for_tenant(tenant, key)
    if app.kind != AppKind.BUILTIN:
        raise DomainError("INVALID", _("外部应用请通过「安装外部应用」授权安装。"), "app")
    plan = install_plan(tenant, app.key)
    if not plan:
        inst = installation(tenant, app.key)
        if mandated and inst and not inst.mandated:
            Installation.objects.filter(pk=inst.pk).update(mandated=True)
            return []
        raise DomainError("APP_ALREADY_INSTALLED", _("本单位已安装该应用。"), "app")
    with transaction.atomic():
        for i, k in enumerate(plan, 1):
            if progress:
                progress(i - 1, len(plan), _("正在安装 %(app)s") % {"app": k})
            _install_one(actor, tenant, k, mandated=mandated and k == app.key)
        _announce(tenant, "installed", plan)
    if progress:
        progress(len(plan), len(plan), _("安装完成"))
    return plan


def upgrade(actor, tenant, key: str, *, progress=None) -> Installation:
    """Run an installed app's new migrations in `tenant` and record the code's version.

    Who: `marketplace.manage` at the tenant. Raises APP_NOT_INSTALLED, APP_UP_TO_DATE.
    """
    _require_manage(actor, tenant)
    inst = installation(tenant, key)
    m = manifests.get(key)
    if inst is None or inst.status != InstallStatus.INSTALLED or m is None:
        raise DomainError("APP_NOT_INSTALLED", _("本单位尚未安装该应用。"), "app")
    pending = installer.pending_migrations(tenant.schema_name, key)
    if inst.version == m.version and not pending:
        raise DomainError("APP_UP_TO_DATE", _("该应用已是最新版本。"), "app")
    with transaction.atomic():
        if progress:
            progress(0, 1, _("正在升级 %(app)s") % {"app": key})
        with context.tenant_context(tenant):
            installer.migrate_app(tenant.schema_name, key)
        _seed_roles(tenant, m)
        before = {"version": inst.version}
        inst.version = m.version
        inst.save(update_fields=["version", "updated_at"])
        with context.tenant_context(tenant):
            audit.record("marketplace.upgrade", actor=_actor(actor), object_type="marketplace.app", object_id=key,
                         before=before, after={"version": m.version, "migrations": len(pending)})
        _announce(tenant, "upgraded", [key])
    if progress:
        progress(1, 1, _("升级完成"))
    return inst


def dependents(tenant, key: str) -> list[str]:
    """Installed apps in `tenant` that depend on `key`."""
    out = []
    for inst in Installation.objects.filter(tenant=tenant, status=InstallStatus.INSTALLED).select_related("app"):
        m = manifests.get(inst.app.key)
        deps = m.depends if m else inst.app.depends
        if key in deps:
            out.append(inst.app.name)
    return out


def _mandates_covering(tenant, key: str):
    node = tenant.org_unit
    return Mandate.objects.filter(app__key=key, node__tree_id=node.tree_id, node__lft__lte=node.lft,
                                  node__rght__gte=node.rght)


def uninstall(actor, tenant, key: str, *, purge: bool = False, confirm: str = "", progress=None) -> None:
    """Uninstall an app from `tenant`. By default it is disabled and keeps its data (installing
    it again restores it); with `purge=True` and `confirm` equal to the app key, its tables are
    dropped and its roles removed.

    Who: `marketplace.manage` at the tenant. Refused with APP_MANDATED when a higher level requires
    it, APP_REQUIRED_BY while an installed app depends on it, PURGE_NOT_CONFIRMED without the
    typed confirmation.
    """
    _require_manage(actor, tenant)
    inst = installation(tenant, key)
    if inst is None or (inst.status != InstallStatus.INSTALLED and not purge):
        raise DomainError("APP_NOT_INSTALLED", _("本单位尚未安装该应用。"), "app")
    if _mandates_covering(tenant, key).exists():
        raise DomainError("APP_MANDATED", _("上级卫生健康部门要求统一使用该应用，不能卸载。"), "app")
    needed_by = dependents(tenant, key)
    if needed_by:
        raise DomainError("APP_REQUIRED_BY", _("以下已安装的应用依赖它，请先卸载：%(apps)s") % {"apps": "、".join(needed_by)}, "app")
    if purge and (confirm or "").strip() != key:
        raise DomainError("PURGE_NOT_CONFIRMED", _("清除数据不可恢复。请输入应用标识「%(key)s」以确认。") % {"key": key}, "confirm")
    with transaction.atomic():
        if progress:
            progress(0, 1, _("正在卸载 %(app)s") % {"app": key})
        before = {"status": inst.status}
        if purge:
            tables = []
            if inst.app.kind == AppKind.BUILTIN:
                with context.tenant_context(tenant):
                    tables = installer.drop_app_tables(tenant.schema_name, key)
                from jianlian.access.models import Role

                m = manifests.get(key)
                codes = [r.code for r in m.default_roles] if m else []
                Role.objects.filter(tenant=tenant, code__in=codes, is_builtin=True).delete()
            inst.delete()
            after = {"status": "purged", "tables": tables}
        else:
            inst.status = InstallStatus.DISABLED
            inst.save(update_fields=["status", "updated_at"])
            inst.tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
            after = {"status": "disabled"}
        with context.tenant_context(tenant):
            audit.record("marketplace.purge" if purge else "marketplace.uninstall", actor=_actor(actor),
                         object_type="marketplace.app", object_id=key, before=before, after=after)
        _announce(tenant, "uninstalled", [key])
    if progress:
        progress(1, 1, _("卸载完成"))


def _announce(tenant, what: str, keys: list[str]) -> None:
    from jianlian.realtime import events

    events.publish("marketplace.changed", {"what": what, "apps": keys},
                   groups=[events.tenant_group(tenant.schema_name)], perm="platform.use", node_id=tenant.org_unit_id)


# --- background jobs -----------------------------------------------------------------------------

def start_job(actor, tenant, key: str, action: str, **options) -> InstallJob:
    """Queue an install / upgrade / uninstall / purge of a built-in app as a background job with
    a status row; progress goes live to `jobProgress(taskId: job.id)` in the tenant.

    Who: `marketplace.manage` at the tenant. The checks that need no work (permission, app on the
    shelf, a job already running, purge confirmation) answer at once; the rest ends in the job's
    status and error code. Emits the Celery task after commit.
    """
    _require_manage(actor, tenant)
    if action not in JobAction.values:
        raise DomainError("INVALID", _("未知的操作。"), "action")
    app = app_for_tenant(tenant, key)
    if app.kind == AppKind.EXTERNAL and action in (JobAction.INSTALL, JobAction.UPGRADE):
        # an external app is installed with the installer's consent to what it asks for, and its
        # token is shown once: `installExternalApp`, never a background job that could only fail
        raise DomainError("EXTERNAL_APP_NEEDS_CONSENT",
                          _("外部应用需要先确认授权：请查看它申请的权限并同意后安装。"), "app")
    if action == JobAction.PURGE and (options.get("confirm") or "").strip() != app.key:
        raise DomainError("PURGE_NOT_CONFIRMED", _("清除数据不可恢复。请输入应用标识「%(key)s」以确认。") % {"key": app.key}, "confirm")
    if InstallJob.objects.filter(tenant=tenant, app=app, status__in=[JobStatus.PENDING, JobStatus.RUNNING]).exists():
        raise DomainError("APP_JOB_RUNNING", _("该应用的上一个任务尚未完成，请稍后再试。"), "app")
    job = InstallJob.objects.create(id=InstallJob.new_id(), tenant=tenant, app=app, action=action,
                                    options=options, requested_by=actor if _is_user(actor) else None)
    from jianlian.marketplace.tasks import run_job

    transaction.on_commit(lambda: run_job.apply_async_in(tenant, kwargs={"job_id": job.id}, task_id=job.id))
    return job


def run_job(job_id: str, progress=None) -> InstallJob:
    """Carry out a queued job (the Celery task's body). Never raises a business error: the job's
    row records success or the failure's code and message."""
    job = InstallJob.objects.select_related("tenant", "tenant__org_unit", "app", "requested_by").get(pk=job_id)
    if job.status not in (JobStatus.PENDING, JobStatus.RUNNING):
        return job
    InstallJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)

    def report(done, total, message):
        InstallJob.objects.filter(pk=job.pk).update(done=done, total=total, message=str(message)[:200])
        if progress:
            progress(done, total, message)

    actor, tenant, key = job.requested_by, job.tenant, job.app.key
    try:
        if job.action == JobAction.INSTALL:
            install(actor, tenant, key, progress=report)
        elif job.action == JobAction.UPGRADE:
            upgrade(actor, tenant, key, progress=report)
        else:
            uninstall(actor, tenant, key, purge=job.action == JobAction.PURGE,
                      confirm=job.options.get("confirm", ""), progress=report)
    except DomainError as e:
        _finish(job, JobStatus.FAILED, e.code, str(e.message))
    except Exception as e:  # a migration or seed failed: rolled back, reported, not retried
        logger.exception("install job %s failed", job.pk)
        _finish(job, JobStatus.FAILED, "INSTALL_FAILED",
                str(_("安装失败，已全部回滚，本单位数据未受影响。原因：%(reason)s") % {"reason": str(e)[:300]}))
    else:
        _finish(job, JobStatus.SUCCEEDED, "", "")
    job.refresh_from_db()
    return job


def _finish(job, status, code, message) -> None:
    InstallJob.objects.filter(pk=job.pk).update(status=status, error_code=code, error=message[:500],
                                                finished_at=timezone.now())


# --- mandates ------------------------------------------------------------------------------------

def mandate(actor, key: str, node) -> Mandate:
    """Require a built-in app for every tenant in `node`'s subtree (new tenants too).

    Who: `marketplace.mandate` at `node`. Writes the mandate and, after commit, a background job
    that installs the app where it is missing (`apply_mandate`). Local admins cannot uninstall it.
    """
    if actor is not None:
        access_unit(actor, node, "marketplace.mandate")
    app = catalog_for(node).filter(key=str(key or "").strip(), kind=AppKind.BUILTIN).first()
    if app is None:
        raise DomainError("APP_NOT_FOUND", _("应用市场中没有该应用，或它未向该单位开放。"), "app")
    with transaction.atomic():
        m, created = Mandate.objects.get_or_create(app=app, node=node, defaults={"created_by": _actor(actor)})
        audit.record("marketplace.mandate", actor=_actor(actor), object_type="marketplace.app", object_id=app.key,
                     after={"node": node.pk, "created": created})
        from jianlian.marketplace.tasks import apply_mandate_task

        transaction.on_commit(lambda: apply_mandate_task.delay_in(context.public(), mandate_id=m.pk))
    return m


def tenants_under(node):
    from tenants.models import Tenant, TenantStatus

    return Tenant.objects.select_related("org_unit").filter(
        org_unit__tree_id=node.tree_id, org_unit__lft__gte=node.lft, org_unit__rght__lte=node.rght,
        status__in=[TenantStatus.ACTIVE, TenantStatus.SUSPENDED],
    ).order_by("pk")


@dataclass
class MandateCoverage:
    total: int
    installed: int
    pending: list


def mandate_coverage(m: Mandate) -> MandateCoverage:
    """How far a mandate has got: the tenants under its node, how many have the app installed,
    and the ones still without it (the background job has not reached them, or failed there)."""
    tenants = list(tenants_under(m.node))
    have = set(Installation.objects.filter(app_id=m.app_id, tenant__in=tenants, status=InstallStatus.INSTALLED)
               .values_list("tenant_id", flat=True))
    return MandateCoverage(total=len(tenants), installed=len(have), pending=[t for t in tenants if t.pk not in have])


def apply_mandate(mandate_id: int, progress=None) -> dict:
    """Install a mandated app in every tenant under the mandate's node that lacks it, one tenant
    per transaction (one tenant's failure does not undo the others). Returns counts."""
    m = Mandate.objects.select_related("app", "node").get(pk=mandate_id)
    tenants = list(tenants_under(m.node))
    counts = {"installed": 0, "already": 0, "failed": 0}
    for i, tenant in enumerate(tenants, 1):
        try:
            counts["installed" if install(None, tenant, m.app.key, mandated=True) else "already"] += 1
        except DomainError as e:
            if e.code != "APP_ALREADY_INSTALLED":
                raise
            counts["already"] += 1
        except Exception:
            logger.exception("mandated install of %s into %s failed", m.app.key, tenant.slug)
            counts["failed"] += 1
        if progress:
            progress(i, len(tenants), _("已处理 %(n)s 个单位") % {"n": i})
    return counts


def install_mandated(tenant) -> list[str]:
    """Install every app mandated above `tenant` (provisioning calls this in its transaction)."""
    node = tenant.org_unit
    keys = list(Mandate.objects.filter(node__tree_id=node.tree_id, node__lft__lte=node.lft, node__rght__gte=node.rght)
                .values_list("app__key", flat=True).distinct())
    done = []
    for key in keys:
        if not is_installed(tenant, key):
            done += install(None, tenant, key, mandated=True)
    return done


# --- visibility ----------------------------------------------------------------------------------

VISIBILITY_KINDS = ("users", "units", "roles", "departments", "tags", "groups")
_TARGET_FIELDS = {"users": "user_ids", "units": "unit_ids", "roles": "role_codes", "departments": "department_ids",
                  "tags": "tag_ids", "groups": "group_ids"}


def _targets(visibility: dict):
    from jianlian.org.audience import Targets

    return Targets(**{_TARGET_FIELDS[k]: list(v) for k, v in (visibility or {}).items() if k in _TARGET_FIELDS and v})


def set_visibility(actor, tenant, key: str, visibility: dict) -> Installation:
    """Who in `tenant` sees an installed app: people, units (with their subtrees), roles,
    departments (with their sub-departments), tags and groups — the organisation's one audience
    resolver (`jianlian.org.audience`) decides who is in the range. Empty means everyone.

    Who: `marketplace.manage` at the tenant. Raises INVALID_VISIBILITY naming the bad targets.
    """
    from jianlian.access.models import Membership, Role

    _require_manage(actor, tenant)
    inst = installation(tenant, key)
    if inst is None or inst.status != InstallStatus.INSTALLED:
        raise DomainError("APP_NOT_INSTALLED", _("本单位尚未安装该应用。"), "app")
    clean: dict[str, list] = {}
    problems = []
    for kind, values in (visibility or {}).items():
        if not values:
            continue
        if kind not in VISIBILITY_KINDS:
            problems.append(DomainError("INVALID_VISIBILITY", _("未知的可见范围类型：%(kind)s") % {"kind": kind}, kind))
            continue
        values = sorted(set(values))
        clean[kind] = values
        if kind == "users":
            ok = set(Membership.objects.filter(tenant=tenant, user_id__in=values, is_active=True).values_list("user_id", flat=True))
        elif kind == "units":
            ok = set(tenant.org_unit.get_descendants(include_self=True).filter(pk__in=values).values_list("pk", flat=True))
        elif kind == "roles":
            ok = set(Role.objects.filter(Q(tenant=tenant) | Q(tenant__isnull=True), code__in=values).values_list("code", flat=True))
        else:
            from jianlian.org.audience import resolve_audience

            try:
                with context.tenant_context(tenant):
                    resolve_audience(_targets({kind: values}), tenant)
                ok = set(values)
            except DomainError as e:
                problems.append(DomainError("INVALID_VISIBILITY", e.message, kind))
                continue
        bad = [v for v in values if v not in ok]
        if bad:
            problems.append(DomainError("INVALID_VISIBILITY", _("可见范围中有不属于本单位的对象：%(ids)s") % {"ids": ", ".join(map(str, bad))}, kind))
    if problems:
        raise DomainError.many(problems)
    with transaction.atomic():
        before = inst.visibility
        inst.visibility = clean
        inst.save(update_fields=["visibility", "updated_at"])
        with context.tenant_context(tenant):
            audit.record("marketplace.visibility", actor=_actor(actor), object_type="marketplace.app", object_id=key,
                         before={"visibility": before}, after={"visibility": clean})
    return inst


def _user_units(user, tenant) -> list:
    return [m.unit for m in user.memberships.filter(tenant=tenant, is_active=True).select_related("unit")]


def can_see(user, inst: Installation, audience_cache: dict | None = None) -> bool:
    """Whether `user` is inside the app's visibility range in its tenant (empty: everyone)."""
    vis = inst.visibility or {}
    if not any(vis.values()):
        return True
    if user.pk in vis.get("users", []):
        return True
    from jianlian.org.audience import resolve_audience

    key = repr(sorted(vis.items()))
    cache = audience_cache if audience_cache is not None else {}
    if key not in cache:
        with context.tenant_context(inst.tenant):
            cache[key] = resolve_audience(_targets(vis), inst.tenant)
    return user.pk in cache[key]


# --- the workbench -------------------------------------------------------------------------------

def may_open(user, inst: Installation, units, audience_cache: dict | None = None) -> bool:
    """Visible to the user, and the user holds the app's open permission at one of their units."""
    m = manifests.get(inst.app.key)
    perm = m.open_permission if m else "platform.use"
    if not any(has_perm(user, perm, u) for u in [*units, inst.tenant.org_unit]):
        return False
    return can_see(user, inst, audience_cache)


def workbench(user, tenant) -> list[tuple[Installation, int | None]]:
    """The apps `user` can open in `tenant`, with each app's badge count (None when it has none)."""
    if tenant is None or getattr(tenant, "pk", None) is None:
        return []
    units = _user_units(user, tenant)
    out, audiences = [], {}
    for inst in (Installation.objects.filter(tenant=tenant, status=InstallStatus.INSTALLED)
                 .select_related("app", "tenant__org_unit").order_by("app__category", "app__name")):
        if may_open(user, inst, units, audiences):
            out.append((inst, badge_count(user, tenant, inst.app.key)))
    return out


def badge_count(user, tenant, key: str) -> int | None:
    """The app's badge for `user` (its manifest's `badge` function, run in the tenant)."""
    from django.utils.module_loading import import_string

    m = manifests.get(key)
    if m is None or not m.badge:
        return None
    try:
        with context.tenant_context(tenant):
            return int(import_string(m.badge)(user))
    except Exception:  # a broken badge must not break the workbench
        logger.exception("badge of %s failed", key)
        return None


def badge_changed(key: str, user_ids) -> None:
    """Modules call this after a write that changes the badge of `user_ids` (after commit it
    tells their workbenches to refresh the count). Run inside the tenant."""
    from jianlian.realtime import events

    groups = [events.user_group(uid) for uid in dict.fromkeys(user_ids)]
    if groups:
        events.publish(BADGE_EVENT, {"app": key}, groups=groups)


def new_secret() -> str:
    return secrets.token_hex(32)
