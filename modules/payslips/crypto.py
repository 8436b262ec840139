"""The one sealing helper of payslips: AES-256-GCM through the platform's `jianlian.identity.crypto`
seal/unseal, under a key per tenant derived from the deployment's FIELD_ENCRYPTION_KEY (required in
production, rotatable: new key first, old after) and the tenant's schema name. The associated data
binds each blob to its batch and person, so a blob copied onto another person's row does not open.

Payslips sealed before this used a key derived from `PAYSLIP_SECRET` or SECRET_KEY; they still open
(read-only fallback), so rotating SECRET_KEY no longer loses pay data sealed from now on."""

from __future__ import annotations

import hashlib

from django.conf import settings

from jianlian.identity import crypto

SALT = b"jianlian-payslips"


def _legacy_secrets() -> tuple[str, ...]:
    secret = getattr(settings, "PAYSLIP_SECRET", "") or hashlib.sha256(
        b"jianlian-payslips:" + settings.SECRET_KEY.encode()).hexdigest()
    return (secret,)


def _aad(batch_id: int, user_id: int) -> bytes:
    return f"payslip:{batch_id}:{user_id}".encode()


def seal(schema: str, batch_id: int, user_id: int, plaintext: bytes) -> bytes:
    return crypto.seal(SALT, schema.encode(), _aad(batch_id, user_id), plaintext)


def unseal(schema: str, batch_id: int, user_id: int, blob: bytes) -> bytes:
    return crypto.unseal(SALT, schema.encode(), _aad(batch_id, user_id), blob, legacy_secrets=_legacy_secrets())
