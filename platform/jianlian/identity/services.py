"""Identity actions: pre-register, activate, sign in, tokens, password change.

Every function validates its input, raises `DomainError` with a stable code and a Chinese message,
and writes an audit record in the same transaction as its change.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import schema_context

from jianlian.audit import service as audit
from jianlian.core import context
from jianlian.core.errors import DomainError
from jianlian.core.validators import validate_id_number, validate_mobile
from jianlian.identity import lockout, token_cache
from jianlian.identity.backends import find_user
from jianlian.identity.models import (
    ActivationCode,
    ApiToken,
    User,
    UserStatus,
    id_number_blind_index,
    mobile_blind_index,
)
from jianlian.identity.sms import send_sms


def _validate(fn, value, field):
    try:
        return fn(value)
    except ValidationError as e:
        raise DomainError(e.code, e.messages[0], field) from None


def _check_password(password: str, user: User | None, field: str = "password") -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as e:
        raise DomainError("WEAK_PASSWORD", _("密码强度不足：") + " ".join(e.messages), field) from None


# --- sign-in --------------------------------------------------------------------------------------

def sign_in(identifier: str, password: str, *, tenant=None) -> User:
    """Check a password sign-in by mobile number or username.

    Refuses locked-out accounts and addresses (with the time to retry), accounts not yet
    activated or disabled, and — when `tenant` is given — a tenant that is not active or of
    which the person is not a member. Every attempt, successful or not, is audited in the public
    schema's chain. Returns the user; the caller opens a session or issues a token.
    """
    from django.contrib.auth import authenticate

    from tenants.models import TenantStatus

    ip = context.current().ip
    identifier = (identifier or "").strip()
    if not identifier or not password:
        raise DomainError("REQUIRED", _("请输入账号和密码。"), "identifier" if not identifier else "password")
    candidate = find_user(identifier)
    acct_key = lockout.account_key(candidate.pk if candidate else None, identifier)
    ip_key = lockout.ip_key(ip)
    tenant_label = tenant.schema_name if tenant else ""

    try:
        lockout.check(acct_key, ip_key)
    except DomainError:
        _audit_sign_in(candidate, identifier, "locked", tenant_label)
        raise

    user = authenticate(username=identifier, password=password)
    if user is not None and tenant is not None and user.can_sign_in and not _may_enter(user, tenant):
        # A right password at a tenant the person does not belong to must not confirm the
        # password: it is answered and counted exactly like a wrong one (see _wrong_password).
        _audit_sign_in(user, identifier, "refused", tenant_label)
        _wrong_password(acct_key, ip_key)
    if user is None:
        _audit_sign_in(candidate, identifier, "failure", tenant_label)
        _wrong_password(acct_key, ip_key)

    if user.status == UserStatus.PENDING:
        _audit_sign_in(user, identifier, "refused", tenant_label)
        raise DomainError("ACCOUNT_NOT_ACTIVATED", _("账号尚未激活，请先使用身份证号和手机号完成激活。"))
    if user.status == UserStatus.DISABLED or not user.is_active:
        _audit_sign_in(user, identifier, "refused", tenant_label)
        raise DomainError("ACCOUNT_DISABLED", _("账号已停用，请联系所在单位管理员。"))

    if tenant is not None:
        problem = tenant_refusal(user, tenant)
        if problem:
            _audit_sign_in(user, identifier, "refused", tenant_label)
            raise problem
    elif not user.is_superuser:
        from jianlian.access.models import Membership

        statuses = set(
            Membership.objects.filter(user=user, is_active=True).values_list("tenant__status", flat=True)
        )
        if statuses and statuses <= {TenantStatus.SUSPENDED, TenantStatus.ARCHIVED}:
            from jianlian.access.checks import holds_any_grant_outside_tenants

            if not holds_any_grant_outside_tenants(user):
                _audit_sign_in(user, identifier, "refused", tenant_label)
                raise DomainError("TENANT_SUSPENDED", _("您所在的单位已被暂停使用，暂时无法登录。数据已保留，请联系上级卫生健康部门。"))

    lockout.clear(acct_key)
    user.last_login = timezone.now()
    User.objects.filter(pk=user.pk).update(last_login=user.last_login)
    _audit_sign_in(user, identifier, "success", tenant_label)
    return user


def _wrong_password(acct_key: str, ip_key: str | None):
    """Count a failed sign-in against the account and the address (one counter each, whichever
    endpoint was used) and raise INVALID_CREDENTIALS, or ACCOUNT_LOCKED once a threshold is hit."""
    new_lock = lockout.fail(acct_key, ip_key)
    if new_lock:
        raise DomainError("ACCOUNT_LOCKED", new_lock.message())
    raise DomainError("INVALID_CREDENTIALS", _("账号或密码不正确。"))


def _may_enter(user: User, tenant) -> bool:
    from jianlian.access.checks import can_enter_tenant

    return can_enter_tenant(user, tenant)


def tenant_refusal(user: User, tenant) -> DomainError | None:
    """Why `user` may not work in `tenant` now, or None."""
    from jianlian.access.checks import can_enter_tenant
    from tenants.models import TenantStatus

    if tenant.status == TenantStatus.SUSPENDED:
        return DomainError("TENANT_SUSPENDED", _("该单位已被暂停使用，暂时无法登录。数据已保留，请联系上级卫生健康部门。"))
    if tenant.status == TenantStatus.ARCHIVED:
        return DomainError("TENANT_ARCHIVED", _("该单位已归档，不能再登录使用。"))
    if tenant.status != TenantStatus.ACTIVE:
        return DomainError("TENANT_NOT_READY", _("该单位正在开通中，请稍后再试。"))
    if not can_enter_tenant(user, tenant):
        return DomainError("TENANT_ACCESS_DENIED", _("您不是该单位的成员，无法进入。"))
    return None


def _audit_sign_in(user, identifier: str, outcome: str, tenant_label: str) -> None:
    with schema_context("public"):
        audit.record(
            "auth.sign_in",
            actor=user if outcome == "success" else None,
            actor_label=(user.real_name or user.username) if user else identifier[:40],
            object_type="identity.user",
            object_id=str(user.pk) if user else "",
            after={"tenant": tenant_label} if tenant_label else None,
            outcome=outcome,
        )


# --- tokens -------------------------------------------------------------------------------------

def issue_token(user: User, name: str = "") -> tuple[ApiToken, str]:
    """Issue a bearer token (shown once) that expires after TOKEN_TTL_HOURS."""
    return ApiToken.issue(user, timedelta(hours=settings.TOKEN_TTL_HOURS), name=name[:60])


def user_for_token(key: str) -> User | None:
    """The user a bearer token signs in, or None. Answered from Redis while the token is known
    valid (jianlian.identity.token_cache: revocation stays immediate), else by one indexed look-up."""
    if not key or not key.startswith(ApiToken.PREFIX):
        return None
    key_hash = ApiToken.hash_key(key)
    now = timezone.now()
    cached = token_cache.cached_user(key_hash)
    if cached is not None:
        user, last_used_at = cached
        if last_used_at is not None and now - last_used_at <= timedelta(minutes=5):
            return user if user.can_sign_in else None
    token = ApiToken.objects.select_related("user").filter(key_hash=key_hash).first()
    if token is None or not token.is_valid or not token.user.can_sign_in:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        # the plain queryset update: ApiTokenQuerySet's would tombstone the token it refreshes
        models.QuerySet.update(ApiToken.objects.filter(pk=token.pk), last_used_at=now)
        token.last_used_at = now
    token_cache.remember(key_hash, token.user, token.expires_at, token.last_used_at)
    return token.user


def revoke_token(user: User, key: str) -> bool:
    """Revoke one of `user`'s bearer tokens; its open WebSockets are closed (4401) after commit."""
    from jianlian.realtime.events import close_sockets

    with transaction.atomic():
        n = ApiToken.objects.filter(user=user, key_hash=ApiToken.hash_key(key), revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if n:
            audit.record("auth.token_revoked", actor=user, object_type="identity.apitoken")
            close_sockets(code=4401, reason="Signed out", token_key=key)
    return bool(n)


def end_session(request) -> None:
    """Sign the browser session out; its open WebSockets are closed (4401)."""
    from django.contrib.auth import logout

    from jianlian.realtime.events import close_sockets

    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if session_key and request.user.is_authenticated:
        close_sockets(code=4401, reason="Signed out", session_key=session_key)
    logout(request)


# --- pre-registration and activation ----------------------------------------------------------------

def preregister(actor, *, real_name: str, mobile: str, id_number: str, username: str = "") -> User:
    """Register a staff member before they activate (seed 000/003): the person then activates the
    account with the same ID number and mobile. Memberships are granted by the caller."""
    problems = []
    real_name = (real_name or "").strip()
    if not real_name or len(real_name) > 50:
        problems.append(DomainError("INVALID_NAME", _("请填写姓名（不超过50个字）。"), "realName"))
    try:
        mobile = validate_mobile(mobile)
    except ValidationError as e:
        problems.append(DomainError(e.code, e.messages[0], "mobile"))
    try:
        id_number = validate_id_number(id_number)
    except ValidationError as e:
        problems.append(DomainError(e.code, e.messages[0], "idNumber"))
    username = (username or "").strip() or (mobile if isinstance(mobile, str) else "")
    if problems:
        raise DomainError.many(problems)
    if User.objects.filter(mobile_index=mobile_blind_index(mobile)).exists():
        raise DomainError("MOBILE_TAKEN", _("该手机号已登记。"), "mobile")
    if User.objects.filter(id_number_index=id_number_blind_index(id_number)).exists():
        raise DomainError("ID_NUMBER_TAKEN", _("该身份证号已登记。"), "idNumber")
    if User.objects.filter(username=username).exists():
        raise DomainError("USERNAME_TAKEN", _("该用户名已被使用。"), "username")
    with transaction.atomic():
        user = User(username=username, mobile=mobile, real_name=real_name, id_number=id_number, status=UserStatus.PENDING)
        user.set_unusable_password()
        user.save()
        audit.record("identity.preregister", actor=actor, target=user, after={"real_name": real_name, "username": username})
    return user


def _pending_user(id_number: str, mobile: str) -> User | None:
    """The pending account with this ID number and mobile, or None — for an unknown pair, a
    mismatched mobile and an activated account alike, so that the answers built on it cannot
    tell a caller who is registered."""
    id_number = _validate(validate_id_number, id_number, "idNumber")
    mobile = _validate(validate_mobile, mobile, "mobile")
    user = User.objects.filter(id_number_index=id_number_blind_index(id_number)).first()
    if user is None or not hmac.compare_digest(user.mobile, mobile):
        return None
    return user


def _throttle_activation(mobile: str) -> None:
    from jianlian.core import ratelimit

    too_often = DomainError("CODE_TOO_FREQUENT", _("验证码请求过于频繁，请稍后再试。"))
    if ratelimit.hit("activation:ip", context.current().ip, settings.ACTIVATION_IP_LIMIT,
                     settings.ACTIVATION_IP_WINDOW_SECONDS):
        raise too_often
    if ratelimit.hit("activation:mobile", mobile, 1, settings.ACTIVATION_MOBILE_INTERVAL_SECONDS) or ratelimit.hit(
            "activation:mobile-day", mobile, settings.ACTIVATION_MOBILE_DAILY_LIMIT, 24 * 3600):
        raise too_often


def request_activation_code(id_number: str, mobile: str) -> None:
    """Send a one-time activation code to the mobile of a pre-registered person.

    Anyone may call it, so it says nothing about who is registered: a pending pair gets a code, an
    activated one a reminder to sign in (on the person's own phone), any other pair nothing, and
    the caller the same answer in every case. Throttled per address and per mobile (whether the
    pair is real or not): CODE_TOO_FREQUENT. Malformed numbers get their format errors."""
    mobile = _validate(validate_mobile, mobile, "mobile")
    _validate(validate_id_number, id_number, "idNumber")
    _throttle_activation(mobile)
    user = _pending_user(id_number, mobile)
    if user is None:
        return
    if user.status != UserStatus.PENDING:
        send_sms(user.mobile, "【健联】您的账号已激活，请直接使用手机号或用户名登录。如非本人操作，请忽略本短信。")
        return
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        ActivationCode.objects.filter(user=user, used_at__isnull=True).update(used_at=timezone.now())
        ActivationCode.objects.create(
            user=user,
            code_hash=ApiToken.hash_key(f"{user.pk}:{code}"),
            expires_at=timezone.now() + timedelta(seconds=settings.ACTIVATION_CODE_TTL_SECONDS),
        )
        audit.record("identity.activation_code_sent", target=user, actor_label=user.real_name)
    send_sms(user.mobile, f"【健联】您的激活验证码为 {code}，{settings.ACTIVATION_CODE_TTL_SECONDS // 60} 分钟内有效。请勿告诉他人。")


def activate(id_number: str, mobile: str, code: str, password: str) -> User:
    """Activate a pre-registered account with ID number + mobile + one-time code, and set its
    password. The code is single-use and allows ACTIVATION_CODE_MAX_TRIES wrong guesses. An
    unknown or already activated pair is refused with CODE_EXPIRED, as a pending one without a
    valid code is."""
    user = _pending_user(id_number, mobile)
    if user is None or user.status != UserStatus.PENDING:  # answered like a pending person without a code
        _check_password(password, None)
        raise DomainError("CODE_EXPIRED", _("验证码已失效，请重新获取。"), "code")
    _check_password(password, user)
    with transaction.atomic():
        entry = (
            ActivationCode.objects.select_for_update()
            .filter(user=user, used_at__isnull=True, expires_at__gt=timezone.now())
            .order_by("-created_at")
            .first()
        )
        if entry is None or entry.tries >= settings.ACTIVATION_CODE_MAX_TRIES:
            raise DomainError("CODE_EXPIRED", _("验证码已失效，请重新获取。"), "code")
        if not hmac.compare_digest(entry.code_hash, ApiToken.hash_key(f"{user.pk}:{(code or '').strip()}")):
            entry.tries += 1
            entry.save(update_fields=["tries"])
            # Raised after the block so that the counted wrong guess commits.
            wrong = DomainError("CODE_INVALID", _("验证码不正确。"), "code")
        else:
            wrong = None
            entry.used_at = timezone.now()
            entry.save(update_fields=["used_at"])
            user.set_password(password)
            user.status = UserStatus.ACTIVE
            user.activated_at = timezone.now()
            user.save(update_fields=["password", "status", "activated_at"])
            audit.record("identity.activate", actor=user, target=user)
    if wrong:
        raise wrong
    return user


def change_password(user: User, old_password: str, new_password: str) -> None:
    """Change the caller's own password. A wrong old password counts toward the sign-in lockout
    (a stolen session must not become an unlimited password oracle); while the account or the
    address is locked the change is refused. The new one must pass the password validators
    (which also refuse the username and the current password)."""
    acct_key, ip_key = lockout.account_key(user.pk, ""), lockout.ip_key(context.current().ip)
    try:
        lockout.check(acct_key, ip_key)
    except DomainError as e:
        raise DomainError(e.code, e.message, "oldPassword") from None
    if not user.check_password(old_password or ""):
        new_lock = lockout.fail(acct_key, ip_key)
        if new_lock:
            raise DomainError("ACCOUNT_LOCKED", new_lock.message(), "oldPassword")
        raise DomainError("INVALID_CREDENTIALS", _("原密码不正确。"), "oldPassword")
    _check_password(new_password, user, "newPassword")
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        audit.record("identity.change_password", actor=user, target=user)
