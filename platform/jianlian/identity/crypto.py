"""Field encryption at rest and blind indexes for look-up.

Uses `cryptography`'s Fernet (AES-128-CBC + HMAC-SHA256). FIELD_ENCRYPTION_KEY may hold several
comma-separated keys: the first encrypts, all decrypt (MultiFernet), so keys can be rotated. The
blind index is an HMAC-SHA256 of the normalised value under a key derived from the first key, so
equal values can be found without decrypting every row.
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
    first = keys.split(",")[0].strip().encode()
    return hashlib.sha256(b"jianlian-blind-index:" + first).digest()


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
