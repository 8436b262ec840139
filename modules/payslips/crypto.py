"""The one sealing helper of payslips: AES-GCM (`cryptography`) under a key per tenant, derived
with HKDF-SHA256 from the settings secret `PAYSLIP_SECRET` (default: derived from SECRET_KEY) and
the tenant's schema name. The associated data binds each blob to its batch and person, so a blob
copied onto another person's row does not open."""

from __future__ import annotations

import functools
import hashlib
import os

from django.conf import settings


@functools.lru_cache(maxsize=256)
def _key(schema: str) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    secret = getattr(settings, "PAYSLIP_SECRET", "") or hashlib.sha256(b"jianlian-payslips:" + settings.SECRET_KEY.encode()).hexdigest()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"jianlian-payslips", info=schema.encode()).derive(secret.encode())


def _aad(batch_id: int, user_id: int) -> bytes:
    return f"payslip:{batch_id}:{user_id}".encode()


def seal(schema: str, batch_id: int, user_id: int, plaintext: bytes) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(12)
    return nonce + AESGCM(_key(schema)).encrypt(nonce, plaintext, _aad(batch_id, user_id))


def unseal(schema: str, batch_id: int, user_id: int, blob: bytes) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    blob = bytes(blob)
    return AESGCM(_key(schema)).decrypt(blob[:12], blob[12:], _aad(batch_id, user_id))
