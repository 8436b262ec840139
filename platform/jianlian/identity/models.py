from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianlian.core.validators import mask_id_number
from jianlian.identity.crypto import EncryptedTextField, blind_index


class UserStatus(models.TextChoices):
    PENDING = "pending", _("待激活")
    ACTIVE = "active", _("已激活")
    DISABLED = "disabled", _("已停用")


class _EndsCachedSignIns(models.QuerySet):
    """Bulk updates and deletes also tombstone the cached bearer tokens of the rows they touch
    (see jianlian.identity.token_cache), so that every process refuses them at once."""

    def _token_hashes(self):
        raise NotImplementedError

    def update(self, **kwargs):
        from jianlian.identity import token_cache

        hashes = list(self._token_hashes())
        n = super().update(**kwargs)
        token_cache.forget(hashes)
        return n

    def delete(self):
        from jianlian.identity import token_cache

        token_cache.forget(list(self._token_hashes()))
        return super().delete()


class UserQuerySet(_EndsCachedSignIns):
    def _token_hashes(self):
        return ApiToken.objects.filter(user__in=self.values("pk")).values_list("key_hash", flat=True)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def create_user(self, username, mobile, password=None, **extra):
        from jianlian.core.validators import validate_mobile

        user = self.model(username=username, mobile=validate_mobile(mobile), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, username, mobile, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True, status=UserStatus.ACTIVE, is_active=True)
        return self.create_user(username, mobile, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person's one account across the province (public schema).

    A doctor sent down to a township centre keeps this account and gains a second membership.
    The national ID number and the mobile are stored encrypted; `id_number_index` and
    `mobile_index` (blind indexes) find them.
    """

    username = models.CharField(_("用户名"), max_length=40, unique=True)
    mobile = EncryptedTextField(_("手机号"))
    mobile_index = models.CharField(max_length=64, unique=True, editable=False)
    real_name = models.CharField(_("姓名"), max_length=50, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    id_number = EncryptedTextField(_("身份证号"), blank=True, default="")
    id_number_index = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    status = models.CharField(_("状态"), max_length=16, choices=UserStatus.choices, default=UserStatus.PENDING)
    is_active = models.BooleanField(_("可登录"), default=True)
    is_staff = models.BooleanField(_("可进入运维后台"), default=False)
    date_joined = models.DateTimeField(_("登记时间"), default=timezone.now)
    activated_at = models.DateTimeField(_("激活时间"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS = ["mobile"]

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.real_name or self.username

    def save(self, *args, **kwargs):
        self.id_number_index = id_number_blind_index(self.id_number) if self.id_number else None
        self.mobile_index = mobile_blind_index(self.mobile)
        super().save(*args, **kwargs)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_mobile(self) -> str:
        return self.mobile[:3] + "****" + self.mobile[-4:] if self.mobile else ""

    @property
    def can_sign_in(self) -> bool:
        return self.is_active and self.status == UserStatus.ACTIVE


def id_number_blind_index(id_number: str) -> str:
    return blind_index(id_number.upper(), "id_number")


def mobile_blind_index(mobile: str) -> str:
    """The look-up key of a (normalised, 11-digit) mobile: sign-in, uniqueness, imports."""
    return blind_index(mobile or "", "mobile")


MOBILE_SUFFIX_LENGTHS = range(4, 12)


def mobile_suffix_index(digits: str) -> str:
    """The look-up key of a mobile's last `len(digits)` digits (4–11), for "search by the last
    digits of a phone" without the number in clear. Truncated to 64 bits: enough to tell
    suffixes apart, less to hold per person."""
    return blind_index(digits, f"mobile_suffix_{len(digits)}")[:16]


def mobile_suffix_indexes(mobile: str) -> list[str]:
    """Every suffix key of `mobile` (its last 4, 5 … 11 digits)."""
    return [mobile_suffix_index(mobile[-n:]) for n in MOBILE_SUFFIX_LENGTHS if len(mobile) >= n] if mobile else []


class ApiTokenQuerySet(_EndsCachedSignIns):
    def _token_hashes(self):
        return self.values_list("key_hash", flat=True)


class ApiToken(models.Model):
    """A bearer token for API clients. Only its SHA-256 is stored; the token is shown once."""

    PREFIX = "jl_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=60, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    key_prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("过期时间"))
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("访问令牌")
        verbose_name_plural = _("访问令牌")

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user, ttl, name: str = "") -> tuple["ApiToken", str]:
        key = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, key_hash=cls.hash_key(key), key_prefix=key[:10], expires_at=timezone.now() + ttl
        )
        return token, key

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class ActivationCode(models.Model):
    """A one-time code sent to a pre-registered person's mobile to activate the account."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="activation_codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("激活验证码")
        verbose_name_plural = _("激活验证码")
