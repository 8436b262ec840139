"""External apps: web apps built by a city or county and hosted elsewhere, on the shelf as
catalog entries (Saleor's Apps are the model).

- Registered from a manifest document validated with a JSON Schema (jsonschema), one error per
  bad field, in Chinese, with the field's path.
- Installing one grants a subset of the permissions it requested — never one the installer does
  not hold — and issues a tenant-scoped API token (stored hashed, shown once).
- Opening one hands it a short-lived launch token (a JWT signed RS256 with the platform's key),
  verifiable with the published keys at `/.well-known/jwks.json`.
- Events it subscribed to are delivered to its webhooks through the bus (retries with back-off,
  dead letters), signed with HMAC-SHA256 under the installation's secret, each attempt logged.
- Every call to a tenant-supplied URL goes through `check_url` (no loopback, private, link-local
  or otherwise non-public address unless WEBHOOK_ALLOWED_HOSTS names it).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import socket
import time
import uuid
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianlian.access.checks import has_perm
from jianlian.access.helpers import access_unit
from jianlian.audit import service as audit
from jianlian.core.errors import DomainError, PermissionDeniedError
from jianlian.marketplace.models import App, AppKind, AppToken, AppVersion, InstallStatus, Installation
from jianlian.marketplace.services import _actor, _announce, _require_manage, app_for_tenant, new_secret
from tenants import context

logger = logging.getLogger(__name__)

WEBHOOK_MESSAGE = "marketplace.webhook"
LAUNCH_TOKEN_TTL = timedelta(minutes=5)

# --- the manifest document -----------------------------------------------------------------------

MANIFEST_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["key", "name", "version", "category", "launchUrl"],
    "properties": {
        "key": {"type": "string", "pattern": "^[a-z][a-z0-9_]{1,39}$"},
        "name": {"type": "string", "minLength": 1, "maxLength": 60},
        "nameEn": {"type": "string", "maxLength": 80},
        "description": {"type": "string", "maxLength": 500},
        "version": {"type": "string", "pattern": r"^\d+\.\d+\.\d+$"},
        "category": {"enum": ["administrative", "clinical", "public_health", "management"]},
        "icon": {"type": "string", "maxLength": 500},
        "launchUrl": {"type": "string", "maxLength": 500},
        "permissions": {"type": "array", "maxItems": 50, "uniqueItems": True, "items": {"type": "string"}},
        "webhooks": {
            "type": "array", "maxItems": 20,
            "items": {
                "type": "object", "additionalProperties": False, "required": ["event", "url"],
                "properties": {"event": {"type": "string", "pattern": r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$"},
                               "url": {"type": "string", "maxLength": 500}},
            },
        },
        "changeNotes": {"type": "string", "maxLength": 1000},
    },
}


def _json_path(error) -> str:
    parts = [str(p) for p in error.absolute_path]
    if error.validator == "required":
        parts.append(error.message.split("'")[1])
    elif error.validator == "additionalProperties":
        extra = error.message.split("'")
        if len(extra) > 1:
            parts.append(extra[1])
    return ".".join(parts) or "manifest"


_MESSAGES = {
    "required": _("缺少必填字段。"),
    "additionalProperties": _("不认识的字段。"),
    "type": _("类型不正确。"),
    "pattern": _("格式不正确。"),
    "minLength": _("不能为空。"),
    "maxLength": _("太长了。"),
    "maxItems": _("数量太多。"),
    "uniqueItems": _("有重复的项。"),
}


def _message(error) -> str:
    """The person's sentence for one schema error; a choice lists what may be chosen."""
    if error.validator == "enum":
        return _("取值不在允许范围内，可选：%(values)s。") % {"values": "、".join(map(str, error.validator_value))}
    return _MESSAGES.get(error.validator, _("取值不正确。"))


def validate_manifest_document(document) -> dict:
    """The manifest as a dict, or DomainError INVALID_MANIFEST with one problem per bad field."""
    from jsonschema import Draft202012Validator

    if isinstance(document, str):
        try:
            document = json.loads(document)
        except ValueError:
            raise DomainError("INVALID_MANIFEST", _("应用描述不是合法的 JSON。"), "manifest") from None
    problems = []
    for error in sorted(Draft202012Validator(MANIFEST_SCHEMA).iter_errors(document), key=lambda e: list(e.absolute_path)):
        problems.append(DomainError("INVALID_MANIFEST", _message(error), _json_path(error)))
    if problems:
        raise DomainError.many(problems)
    from jianlian.access.permissions import REGISTRY

    for i, code in enumerate(document.get("permissions", [])):
        if code not in REGISTRY:
            problems.append(DomainError("INVALID_MANIFEST", _("平台没有这个权限代码：%(code)s") % {"code": code}, f"permissions.{i}"))
    for field, url in [("launchUrl", document["launchUrl"])] + [
            (f"webhooks.{i}.url", w["url"]) for i, w in enumerate(document.get("webhooks", []))]:
        try:
            check_url(url, resolve="if_found")
        except DomainError as e:
            problems.append(DomainError(e.code, e.message, field))
    if problems:
        raise DomainError.many(problems)
    return document


def register_external_app(actor, publisher, document) -> App:
    """Put an external app on the shelf for `publisher`'s subtree, or publish a new version of it.

    Who: `marketplace.publish` at `publisher`, a province, city or county. Raises INVALID_MANIFEST
    (per field), APP_KEY_TAKEN, VERSION_NOT_NEWER.
    """
    from jianlian.hierarchy.models import AUTHORITY_LEVELS

    if actor is not None:
        access_unit(actor, publisher, "marketplace.publish")
    if str(publisher.level) not in AUTHORITY_LEVELS:
        raise DomainError("INVALID_PUBLISHER", _("只有省、市、县级卫生健康部门可以发布应用。"), "publisher")
    doc = validate_manifest_document(document)
    fields = {
        "kind": AppKind.EXTERNAL, "name": doc["name"], "name_en": doc.get("nameEn", ""),
        "description": doc.get("description", ""), "category": doc["category"], "icon": doc.get("icon", ""),
        "version": doc["version"], "permissions": doc.get("permissions", []), "launch_url": doc["launchUrl"],
        "webhooks": doc.get("webhooks", []), "publisher": publisher,
    }
    with transaction.atomic():
        app = App.objects.select_for_update().filter(key=doc["key"]).first()
        if app is not None and (app.kind != AppKind.EXTERNAL or app.publisher_id != publisher.pk):
            raise DomainError("APP_KEY_TAKEN", _("该应用标识已被其他发布单位使用。"), "key")
        if app is not None and _vt(doc["version"]) <= _vt(app.version):
            raise DomainError("VERSION_NOT_NEWER", _("新版本号必须高于当前版本 %(v)s。") % {"v": app.version}, "version")
        before = None if app is None else {"version": app.version}
        if app is None:
            app = App.objects.create(key=doc["key"], **fields)
        else:
            for k, v in fields.items():
                setattr(app, k, v)
            app.save()
        AppVersion.objects.create(app=app, version=doc["version"], notes=doc.get("changeNotes", ""))
        audit.record("marketplace.publish", actor=_actor(actor), object_type="marketplace.app", object_id=app.key,
                     before=before, after={"version": app.version, "publisher": publisher.pk})
    return app


def _vt(version: str) -> tuple[int, ...]:
    return tuple(int(x) for x in version.split("."))


# --- install, tokens and the app principal -------------------------------------------------------

def requested_permissions(viewer, tenant, app) -> list[dict]:
    """What an external app asks for, in words, and whether `viewer` may grant each at `tenant`
    (an installer grants only what they hold): what the install-and-consent step shows."""
    from jianlian.access.permissions import REGISTRY

    out = []
    for code in app.permissions or []:
        perm = REGISTRY.get(code)
        held = bool(tenant and viewer is not None and getattr(viewer, "is_authenticated", False)
                    and not getattr(viewer, "is_app", False) and has_perm(viewer, code, tenant.org_unit))
        out.append({"code": code, "label": str(perm.label) if perm else code,
                    "patient_data": bool(perm and perm.patient_data), "grantable": held})
    return out


def install_external(actor, tenant, key: str, permissions: list[str]) -> tuple[Installation, str]:
    """Install an external app in `tenant`, granting `permissions` (a subset of what it requested,
    each held by the installer at the tenant). Returns the installation and its API token, which
    is shown this once.

    Who: `marketplace.manage` at the tenant. Raises PERMISSION_NOT_REQUESTED, PERMISSION_NOT_HELD,
    APP_ALREADY_INSTALLED. Emits the `app.installed` webhook.
    """
    _require_manage(actor, tenant)
    app = app_for_tenant(tenant, key)
    if app.kind != AppKind.EXTERNAL:
        raise DomainError("INVALID", _("内置应用请通过「安装」进行。"), "app")
    wanted = sorted(set(permissions or []))
    problems = []
    for code in wanted:
        if code not in app.permissions:
            problems.append(DomainError("PERMISSION_NOT_REQUESTED", _("该应用没有申请权限 %(code)s。") % {"code": code}, "permissions"))
        elif actor is not None and not has_perm(actor, code, tenant.org_unit):
            problems.append(DomainError("PERMISSION_NOT_HELD", _("您本人没有权限 %(code)s，不能授予应用。") % {"code": code}, "permissions"))
    if problems:
        raise DomainError.many(problems)
    with transaction.atomic():
        inst = Installation.objects.select_for_update().filter(tenant=tenant, app=app).first()
        if inst is not None and inst.status == InstallStatus.INSTALLED:
            raise DomainError("APP_ALREADY_INSTALLED", _("本单位已安装该应用。"), "app")
        if inst is None:
            inst = Installation(tenant=tenant, app=app)
        inst.status, inst.version, inst.granted_permissions = InstallStatus.INSTALLED, app.version, wanted
        inst.webhook_secret = new_secret()
        inst.installed_by = _actor(actor)
        inst.save()
        inst.tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        _token, key_shown = AppToken.issue(inst)
        with context.tenant_context(tenant):
            audit.record("marketplace.install", actor=_actor(actor), object_type="marketplace.app", object_id=app.key,
                         after={"status": "installed", "kind": "external", "permissions": wanted})
            emit(tenant, "app.installed", {"app": app.key, "tenant": tenant.slug, "permissions": wanted})
        _announce(tenant, "installed", [app.key])
    return inst, key_shown


class AppPrincipal:
    """Who an external app's API token authenticates: the app, inside one tenant, holding only
    the permissions granted at install. `has_perm` and `can_enter_tenant` know it."""

    is_app = True
    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_superuser = False
    is_staff = False
    status = "active"
    pk = None
    id = None

    def __init__(self, installation: Installation):
        self.installation = installation
        self.tenant_id = installation.tenant_id
        self.permissions = frozenset(installation.granted_permissions)
        self.real_name = installation.app.name
        self.username = f"app:{installation.app.key}"

    def allows(self, code: str, node) -> bool:
        root = self.installation.tenant.org_unit
        return (code in self.permissions and node is not None and node.tree_id == root.tree_id
                and root.lft <= node.lft and node.rght <= root.rght)

    def __str__(self) -> str:
        return self.username


def principal_for_token(key: str) -> AppPrincipal | None:
    if not key or not key.startswith(AppToken.PREFIX):
        return None
    token = (AppToken.objects.select_related("installation__app", "installation__tenant__org_unit")
             .filter(key_hash=AppToken.hash_key(key), revoked_at__isnull=True).first())
    if token is None or token.installation.status != InstallStatus.INSTALLED:
        return None
    if token.last_used_at is None or timezone.now() - token.last_used_at > timedelta(minutes=5):
        AppToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return AppPrincipal(token.installation)


# --- launch tokens -------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def signing_key():
    """The platform's RSA key for launch tokens: LAUNCH_SIGNING_KEY (PEM) when set (required in
    production), else a development key kept under the var directory."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    pem = settings.LAUNCH_SIGNING_KEY
    if pem:
        return serialization.load_pem_private_key(pem.encode(), password=None)
    from jianlian import devservices

    path = Path(devservices.var_dir()) / "launch-signing-key.pem"
    if path.exists():
        return serialization.load_pem_private_key(path.read_bytes(), password=None)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    path.chmod(0o600)
    return key


def _jwk() -> dict:
    from jwt.algorithms import RSAAlgorithm

    jwk = json.loads(RSAAlgorithm.to_jwk(signing_key().public_key()))
    jwk.update({"use": "sig", "alg": "RS256"})
    jwk["kid"] = hashlib.sha256((jwk["n"] + jwk["e"]).encode()).hexdigest()[:16]
    return jwk


def jwks() -> dict:
    return {"keys": [_jwk()]}


def launch(user, tenant, key: str) -> tuple[str, str, int]:
    """A launch URL and a short-lived signed token naming `user`, the tenant and the user's roles
    there, for opening an installed external app. Returns (url, token, expires_at epoch).

    Who: a person who may open the app from the workbench. Raises APP_NOT_INSTALLED.
    """
    from jianlian.access.models import RoleGrant
    from jianlian.marketplace.services import _user_units, installation, may_open

    inst = installation(tenant, key)
    if inst is None or inst.status != InstallStatus.INSTALLED or inst.app.kind != AppKind.EXTERNAL:
        raise DomainError("APP_NOT_INSTALLED", _("本单位尚未安装该应用。"), "app")
    if not may_open(user, inst, _user_units(user, tenant)):
        raise PermissionDeniedError()
    import jwt

    now = int(time.time())
    roles = sorted(set(RoleGrant.objects.filter(user=user, role__tenant=tenant).values_list("role__code", flat=True)))
    claims = {
        "iss": settings.LAUNCH_TOKEN_ISSUER, "aud": inst.app.key, "sub": str(user.pk), "name": user.real_name,
        "tenant": tenant.slug, "roles": roles, "permissions": sorted(inst.granted_permissions),
        "iat": now, "nbf": now, "exp": now + int(LAUNCH_TOKEN_TTL.total_seconds()), "jti": uuid.uuid4().hex,
    }
    token = jwt.encode(claims, signing_key(), algorithm="RS256", headers={"kid": _jwk()["kid"]})
    with context.tenant_context(tenant):
        audit.record("marketplace.launch", actor=user, object_type="marketplace.app", object_id=key)
    return inst.app.launch_url, token, claims["exp"]


# --- webhooks ------------------------------------------------------------------------------------

def check_url(url: str, *, resolve: bool | str = True) -> list[str]:
    """Refuse URLs that are not http(s) or that point at a loopback, private, link-local,
    multicast or reserved address (SSRF). Returns the addresses to connect to. Hosts (or
    host:port) in WEBHOOK_ALLOWED_HOSTS are let through (tests, an intranet gateway).

    `resolve`: True (deliveries) resolves the host name and refuses a name that does not
    resolve; "if_found" (registration) refuses a name resolving to a forbidden address but lets
    through one that does not resolve yet (every delivery checks again); False checks the
    literal URL only."""
    try:
        parts = urlsplit(str(url or ""))
        host, port = parts.hostname, parts.port
    except ValueError:
        raise DomainError("INVALID", _("网址格式不正确。"), "url") from None
    if parts.scheme not in ("https", "http") or not host:
        raise DomainError("INVALID", _("网址必须以 https:// 开头。"), "url")
    if parts.scheme == "http" and not settings.DEBUG and not _allowed_host(host, port):
        raise DomainError("INVALID", _("网址必须以 https:// 开头。"), "url")
    port = port or (443 if parts.scheme == "https" else 80)
    if _allowed_host(host, port):
        return [host]
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
        addresses = [str(literal)]
    except ValueError:
        if host.lower() in ("localhost",) or host.lower().endswith((".localhost", ".local", ".internal")):
            raise DomainError("URL_NOT_ALLOWED", _("不允许访问本机或内网地址。"), "url") from None
        if not resolve:
            return []
        try:
            addresses = sorted({info[4][0] for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)})
        except (OSError, UnicodeError):
            if resolve == "if_found":
                return []
            raise DomainError("URL_NOT_ALLOWED", _("无法解析该网址的主机名。"), "url") from None
    for a in addresses:
        ip = ipaddress.ip_address(a)
        if not ip.is_global or ip.is_multicast:
            raise DomainError("URL_NOT_ALLOWED", _("不允许访问本机或内网地址。"), "url")
    return addresses


def _allowed_host(host: str, port) -> bool:
    allowed = settings.WEBHOOK_ALLOWED_HOSTS
    return host in allowed or (port is not None and f"{host}:{port}" in allowed)


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def emit(tenant, event: str, payload: dict) -> int:
    """Queue `event` for every external app installed in `tenant` that subscribed to it, through
    the bus (in the caller's transaction: the event is sent only if the write commits). Returns
    how many deliveries were queued. Run inside the tenant."""
    from jianlian import bus

    queued = 0
    for inst in Installation.objects.filter(tenant=tenant, status=InstallStatus.INSTALLED,
                                            app__kind=AppKind.EXTERNAL).select_related("app"):
        for hook in inst.app.webhooks:
            if hook.get("event") == event:
                bus.send(tenant.schema_name, WEBHOOK_MESSAGE,
                         {"installation": inst.pk, "event": event, "url": hook["url"], "data": payload},
                         conversation=f"webhook:{inst.pk}")
                queued += 1
    return queued


def deliver(message) -> None:
    """The bus handler: POST the event, signed, to the app's webhook. A non-2xx answer or a
    network error raises, so the bus retries with back-off and dead-letters in the end. Every
    attempt is logged, on a connection of its own so that a failed attempt's log survives the
    rollback of the handler's savepoint."""
    import urllib3

    p = message.payload
    inst = Installation.objects.filter(pk=p["installation"]).first()
    if inst is None or inst.status != InstallStatus.INSTALLED:
        return  # uninstalled since: nothing to deliver
    body = json.dumps({"id": str(message.id), "event": p["event"], "tenant": inst.tenant.slug, "data": p["data"]},
                      ensure_ascii=False, sort_keys=True).encode()
    headers = {"Content-Type": "application/json", "X-Jianlian-Event": p["event"],
               "X-Jianlian-Delivery": str(message.id), "X-Jianlian-Signature": sign(inst.webhook_secret, body),
               "User-Agent": "Jianlian-Webhooks/1"}
    started = time.monotonic()
    status, error = None, ""
    try:
        addresses = check_url(p["url"])
        parts = urlsplit(p["url"])
        host = addresses[0]
        pool_cls = urllib3.HTTPSConnectionPool if parts.scheme == "https" else urllib3.HTTPConnectionPool
        kwargs = {"server_hostname": parts.hostname, "assert_hostname": parts.hostname} if parts.scheme == "https" else {}
        pool = pool_cls(host, parts.port or (443 if parts.scheme == "https" else 80), timeout=urllib3.Timeout(total=5),
                        retries=False, headers={"Host": parts.netloc}, **kwargs)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        response = pool.urlopen("POST", path, body=body, headers=headers, redirect=False)
        status = response.status
        if not 200 <= status < 300:
            error = f"HTTP {status}"
    except DomainError as e:
        error = f"{e.code}: {e.message}"
    except Exception as e:  # network errors
        error = f"{type(e).__name__}: {e}"[:300]
    _log_attempt(inst, p, message, status, error, started)
    if error:
        raise RuntimeError(f"webhook {p['url']} failed: {error}")


def _log_attempt(inst, p, message, status, error, started) -> None:
    side = connections.create_connection("default")
    try:
        with side.cursor() as cursor:
            cursor.execute(
                """INSERT INTO public.marketplace_webhookdelivery
                   (installation_id, event, url, message_id, attempt, status_code, ok, error, duration_ms, created_at)
                   VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, now())""",
                [inst.pk, p["event"], p["url"], str(message.id), int(getattr(message, "attempts", 0)) + 1, status,
                 not error, str(error)[:300], int((time.monotonic() - started) * 1000)],
            )
        side.commit() if not side.get_autocommit() else None
    except Exception:
        logger.exception("could not log webhook delivery")
    finally:
        side.close()
