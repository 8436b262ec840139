"""Field encryption at rest and blind indexes for look-up.

Uses `cryptography`'s Fernet (AES-128-CBC + HMAC-SHA256). FIELD_ENCRYPTION_KEY may hold several
comma-separated keys: the first encrypts, all decrypt (MultiFernet), so keys can be rotated. The
blind index is an HMAC-SHA256 of the normalised value under a key derived from the *last* key (the
oldest: a rotation puts the new key first and keeps the old ones after it), so equal values can be
found without decrypting every row and a rotation does not lose sign-in by mobile or ID number.
Retiring that last key needs the indexes recomputed.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@lru_cache(maxsize=4)
def _fernet(keys: str) -> MultiFernet:
    return MultiFernet([Fernet(k.strip().encode()) for k in keys.split(",") if k.strip()])


def encrypt(value: str) -> str:
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(token.encode()).decode()


@lru_cache(maxsize=4)
def _index_key(keys: str) -> bytes:
    oldest = _field_keys(keys)[-1].encode()
    return hashlib.sha256(b"jianlian-blind-index:" + oldest).digest()


def blind_index(value: str, purpose: str) -> str:
    return hmac.new(
        _index_key(settings.FIELD_ENCRYPTION_KEY), f"{purpose}:{value}".encode(), hashlib.sha256
    ).hexdigest()


class EncryptedTextField(models.TextField):
    """A text column stored as a Fernet token; Python code sees the plain value.

    It cannot be filtered on: look values up through their blind index column instead."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        try:
            return decrypt(value)
        except InvalidToken:
            raise ValueError(f"cannot decrypt {self.model.__name__}.{self.name}: wrong FIELD_ENCRYPTION_KEY?") from None

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)


# --- sealed blobs (AES-256-GCM under keys derived per purpose and tenant) ---------------------------

def _field_keys(keys: str) -> list[str]:
    return [k.strip() for k in str(keys).split(",") if k.strip()]


@lru_cache(maxsize=256)
def _derived(secret: str, salt: bytes, info: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(secret.encode())


def seal(salt: bytes, info: bytes, aad: bytes, plaintext: bytes) -> bytes:
    """nonce ‖ AES-256-GCM(plaintext) under a key derived (HKDF-SHA256) from the first
    FIELD_ENCRYPTION_KEY for this purpose (`salt`) and scope (`info`, e.g. the tenant's schema, so
    a row copied into another tenant does not open); `aad` binds the blob to its row."""
    import os

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(12)
    key = _derived(_field_keys(settings.FIELD_ENCRYPTION_KEY)[0], salt, info)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def unseal(salt: bytes, info: bytes, aad: bytes, blob: bytes, *, legacy_secrets: tuple[str, ...] = ()) -> bytes:
    """Open what `seal` made under any of the FIELD_ENCRYPTION_KEY keys (so a key can be rotated
    in: new first, old after), then under `legacy_secrets` (what a module derived from before).
    Raises cryptography's InvalidTag when none opens it."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    blob = bytes(blob)
    for secret in [*_field_keys(settings.FIELD_ENCRYPTION_KEY), *legacy_secrets]:
        try:
            return AESGCM(_derived(secret, salt, info)).decrypt(blob[:12], blob[12:], aad)
        except InvalidTag:
            continue
    raise InvalidTag()
