"""The module contract: what a marketplace app declares about itself.

Each built-in app is a Django app under `modules/` with a `manifest.py` holding `MANIFEST`:

    from jianlian.marketplace.manifest import Manifest, PermissionSpec, RoleSpec

    MANIFEST = Manifest(
        key="referrals", name_zh="双向转诊", name_en="Two-way referrals", version="1.0.0",
        category="clinical", publisher_level="province",
        permissions=[PermissionSpec("referrals.create", "发起转诊", patient_data=True)],
        default_roles=[RoleSpec("referral_clerk", "转诊专员", "Referral clerk", ("referrals.create",))],
        depends=[], graphql="modules.referrals.schema", badge="modules.referrals.badges.pending",
        bus_messages=["referrals.created"], periodic_tasks=[PeriodicSpec("sla", "modules.referrals.tasks.sla", 300)],
        data_elements=["referrals.up"], changelog=[Change("1.0.0", "首个版本", "First release")],
    )

The platform reads every manifest at start (`registry()`): it registers the permission codes,
the error codes, the bus and hand-over handlers (so a module's `apps.py` imports nothing by hand),
builds the catalog (`sync_catalog`), composes the GraphQL schema from the `graphql` modules
(`Query`, `Mutation`, `Subscription` classes, each optional), gates those fields per tenant,
and runs the periodic tasks only in tenants that have the app installed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import import_module

from django.core.exceptions import ImproperlyConfigured

KEY_RE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
VERSION_RE = re.compile(r"^\d+\.\d+\.\d+$")


class Category:
    """Seed 004's workbench lines."""

    ADMINISTRATIVE = "administrative"  # 行政办公
    CLINICAL = "clinical"  # 临床业务
    PUBLIC_HEALTH = "public_health"  # 公共卫生
    MANAGEMENT = "management"  # 运营管理

    ALL = (ADMINISTRATIVE, CLINICAL, PUBLIC_HEALTH, MANAGEMENT)


PUBLISHER_LEVELS = ("province", "city", "county")


@dataclass(frozen=True)
class PermissionSpec:
    code: str
    label: str
    patient_data: bool = False


@dataclass(frozen=True)
class RoleSpec:
    """A default role the app seeds into each tenant that installs it (editable there)."""

    code: str
    name_zh: str
    name_en: str
    permissions: tuple[str, ...]


@dataclass(frozen=True)
class PeriodicSpec:
    """A periodic task run inside every tenant that has the app installed (and only there)."""

    name: str
    task: str  # dotted path of a TenantTask
    every_seconds: float


@dataclass(frozen=True)
class Change:
    version: str
    notes_zh: str
    notes_en: str = ""


@dataclass(frozen=True)
class Manifest:
    key: str
    name_zh: str
    name_en: str
    version: str
    category: str
    publisher_level: str = "province"
    description_zh: str = ""
    description_en: str = ""
    icon: str = ""
    permissions: list[PermissionSpec] = field(default_factory=list)
    default_roles: list[RoleSpec] = field(default_factory=list)
    # The permission a person needs to open the app from the workbench (besides seeing it).
    open_permission: str = "platform.use"
    depends: list[str] = field(default_factory=list)
    graphql: str = ""  # dotted module with Query / Mutation / Subscription classes
    urls: str = ""  # dotted URLconf served at /apps/<key>/ (printable forms, downloads), gated like GraphQL
    # Models (lower-case names) whose one table lives in the public schema, for the whole province:
    # aggregates and routing only, never patient data. Every other model lives in installing tenants.
    public_models: tuple[str, ...] = ()
    # Root GraphQL fields (Python names, e.g. "supervision_dashboard") that also serve the province
    # console (the public schema, where no tenant installs anything): there they skip the
    # installation gate and check their own permissions. In a tenant they stay gated as usual.
    console_fields: tuple[str, ...] = ()
    badge: str = ""  # dotted function (user) -> int, run inside the tenant
    bus_messages: list[str] = field(default_factory=list)
    periodic_tasks: list[PeriodicSpec] = field(default_factory=list)
    data_elements: list[str] = field(default_factory=list)
    # The module's stable error codes {CODE: what it means}; they join the GraphQL `ErrorCode` enum.
    error_codes: dict[str, str] = field(default_factory=dict)
    # The module's audited actions in words {action: (Chinese, English)} for the audit log; a key
    # ending in `*` covers the actions starting with it (jianlian.audit.actions).
    audit_actions: dict[str, tuple[str, str]] = field(default_factory=dict)
    # Bus message type → dotted handler(message), applied once in the receiver's schema.
    bus_handlers: dict[str, str] = field(default_factory=dict)
    # Hand-over handler name → dotted fn(from_user_id, to_user_id, *, reason, event_id) -> int, run
    # when a person moves or leaves (jianlian.org.handover).
    handover_handlers: dict[str, str] = field(default_factory=dict)
    # Dotted fn(say) -> int that seeds the module's demo data after the demo province is built
    # (never in production); returns how many rows it made.
    demo: str = ""
    # Dotted functions, each (user) -> iterable of the person's open to-dos, that the to-do centre
    # lists (empty: the module gives no to-dos).
    todo_sources: list[str] = field(default_factory=list)
    # Dotted functions, each (user_id, start, end) -> list of {"uid", "start", "end", "summary",
    # "location"} (aware datetimes): the person's events in [start, end) that a personal calendar
    # feed shows beside its own (the meetings app's iCalendar feed reads them from every installed
    # module, e.g. the duty roster's shifts).
    calendar_sources: list[str] = field(default_factory=list)
    changelog: list[Change] = field(default_factory=list)
    # Filled in by the registry: the Django app this manifest belongs to.
    app_name: str = ""

    def check(self) -> None:
        """Refuse a malformed manifest at start, naming the module and the field."""
        def bad(what):
            raise ImproperlyConfigured(f"module manifest {self.app_name or self.key!r}: {what}")

        if not KEY_RE.match(self.key):
            bad("key must be 2-40 lowercase letters, digits or underscores, starting with a letter")
        if not VERSION_RE.match(self.version):
            bad(f"version {self.version!r} is not MAJOR.MINOR.PATCH")
        if self.category not in Category.ALL:
            bad(f"category {self.category!r} is not one of {Category.ALL}")
        if self.publisher_level not in PUBLISHER_LEVELS:
            bad(f"publisher_level {self.publisher_level!r} is not one of {PUBLISHER_LEVELS}")
        if not self.name_zh or not self.name_en:
            bad("name_zh and name_en are required")
        for p in self.permissions:
            if not p.code.startswith(self.key + "."):
                bad(f"permission {p.code!r} must be namespaced by the app key ({self.key}.…)")
        if self.changelog and self.changelog[0].version != self.version:
            bad("the first changelog entry must describe the current version")
        if self.key in self.depends:
            bad("an app cannot depend on itself")
        for t in self.bus_handlers:
            if not t.startswith(self.key + "."):
                bad(f"bus handler {t!r} must handle a message type of this app ({self.key}.…)")
        for code in self.error_codes:
            if not code.isupper() or not code.replace("_", "").isalnum():
                bad(f"error code {code!r} must be UPPER_SNAKE_CASE")
        for dotted in [*self.bus_handlers.values(), *self.handover_handlers.values(), *self.todo_sources,
                       *self.calendar_sources, *([self.demo] if self.demo else [])]:
            if "." not in dotted:
                bad(f"{dotted!r} must be a dotted path to a function")

    def version_tuple(self) -> tuple[int, ...]:
        return tuple(int(x) for x in self.version.split("."))

    def roots(self) -> dict[str, type]:
        """The module's GraphQL root classes by operation (Query, Mutation, Subscription)."""
        if not self.graphql:
            return {}
        module = import_module(self.graphql)
        return {name: getattr(module, name) for name in ("Query", "Mutation", "Subscription") if hasattr(module, name)}


def _load(app_config) -> Manifest | None:
    try:
        module = import_module(f"{app_config.name}.manifest")
    except ModuleNotFoundError as e:
        if e.name == f"{app_config.name}.manifest":
            return None
        raise
    manifest = getattr(module, "MANIFEST", None)
    if not isinstance(manifest, Manifest):
        raise ImproperlyConfigured(f"{app_config.name}.manifest must define MANIFEST = Manifest(...)")
    if manifest.key != app_config.label:
        raise ImproperlyConfigured(f"{app_config.name}: the manifest key {manifest.key!r} must equal the app label {app_config.label!r}")
    object.__setattr__(manifest, "app_name", app_config.name)
    manifest.check()
    return manifest


@lru_cache(maxsize=1)
def registry() -> dict[str, Manifest]:
    """Every module's manifest by key, in dependency order (an app after what it depends on)."""
    from django.apps import apps
    from django.conf import settings

    found = {}
    for app_name in settings.JIANLIAN_MODULES:
        manifest = _load(apps.get_app_config(app_name.rsplit(".", 1)[-1]))
        if manifest is None:
            raise ImproperlyConfigured(f"{app_name} is listed as a module but has no manifest")
        found[manifest.key] = manifest
    ordered: dict[str, Manifest] = {}

    def visit(key, path=()):
        if key in ordered:
            return
        if key in path:
            raise ImproperlyConfigured(f"module dependency cycle: {' -> '.join(path + (key,))}")
        m = found.get(key)
        if m is None:
            raise ImproperlyConfigured(f"module {path[-1]!r} depends on unknown module {key!r}")
        for dep in m.depends:
            visit(dep, path + (key,))
        ordered[key] = m

    for key in sorted(found):
        visit(key)
    return ordered


def module_labels() -> frozenset[str]:
    return frozenset(registry())


def public_models(label: str) -> frozenset[str]:
    m = registry().get(label)
    return frozenset(x.lower() for x in m.public_models) if m else frozenset()


def labels_with_public_models() -> frozenset[str]:
    """Modules with public models, and what they depend on (whose migrations theirs follow, so the
    public schema's migration history stays consistent for Django)."""
    found: set[str] = set()

    def visit(key):
        if key not in found:
            found.add(key)
            for dep in registry()[key].depends:
                visit(dep)

    for k, m in registry().items():
        if m.public_models:
            visit(k)
    return frozenset(found)


def get(key: str) -> Manifest | None:
    return registry().get(key)
