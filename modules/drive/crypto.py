"""Encryption at rest: per-file keys, AES-GCM in chunks, wrapped by a rotating tenant key.

Three layers (envelope encryption, as cloud KMSs do it):

- the **master key** of the installation: `DRIVE_MASTER_KEY` (32 bytes, base64) when set,
  otherwise derived with HKDF-SHA256 from `SECRET_KEY`; it only wraps tenant keys;
- a **tenant key** (`TenantKey`, 32 random bytes) wrapped by the master key, bound to the
  tenant's schema name as associated data (a row copied into another schema does not unwrap);
- a **file key** (32 random bytes) per stored version (and per upload in progress), wrapped by
  the tenant key. Rotation (`rotate`) makes a new tenant key and re-wraps every file key under
  it — a few hundred bytes per file — and never touches the encrypted bytes.

The bytes are a sequence of records, each sealed on its own so a file of any size streams in
and out in bounded memory:

    record = length (4 bytes, big-endian, plaintext length ≤ CHUNK) · nonce (12 random bytes)
             · AES-GCM ciphertext and tag (length + 16 bytes)

with the record's index (8 bytes) as associated data, so records cannot be reordered or moved
between positions; the total plaintext length is kept in the database and checked at the end,
so a truncated file fails instead of coming back short. Records need not be full: a resumable
upload seals whatever each request brought, so a resumed upload appends without re-reading.
"""

from __future__ import annotations

import base64
import os
import struct
from typing import BinaryIO, Iterator

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

CHUNK = 1024 * 1024  # plaintext bytes per record at most
HEADER = 4 + 12
OVERHEAD = HEADER + 16
_KEK_CACHE: dict[tuple[str, int], bytes] = {}


class CorruptFile(Exception):
    """The stored bytes do not decrypt (tampered, truncated or under a lost key)."""


def master_key() -> bytes:
    configured = getattr(settings, "DRIVE_MASTER_KEY", "") or os.environ.get("DRIVE_MASTER_KEY", "")
    if configured:
        key = base64.b64decode(configured)
        if len(key) != 32:
            raise ValueError("DRIVE_MASTER_KEY must be 32 bytes, base64-encoded")
        return key
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"jianlian-drive-master-v1").derive(
        settings.SECRET_KEY.encode())


def _seal(key: bytes, data: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(12)
    return nonce + AESGCM(key).encrypt(nonce, data, aad)


def _open(key: bytes, sealed: bytes, aad: bytes) -> bytes:
    return AESGCM(key).decrypt(sealed[:12], sealed[12:], aad)


def _schema_aad() -> bytes:
    return b"drive-tenant-key:" + connection.schema_name.encode()


# --- tenant keys ----------------------------------------------------------------------------------

def active_key():
    """The tenant key new file keys are wrapped under (made on first use)."""
    from modules.drive.models import TenantKey

    key = TenantKey.objects.filter(retired_at__isnull=True).order_by("-pk").first()
    if key is None:
        key = TenantKey.objects.create(wrapped=_seal(master_key(), os.urandom(32), _schema_aad()))
    return key


def _kek(key) -> bytes:
    cache_key = (connection.schema_name, key.pk)
    if cache_key not in _KEK_CACHE:
        _KEK_CACHE[cache_key] = _open(master_key(), bytes(key.wrapped), _schema_aad())
    return _KEK_CACHE[cache_key]


def new_file_key() -> tuple[bytes, object, bytes]:
    """(file key, the tenant key row, the file key wrapped under it)."""
    file_key = os.urandom(32)
    tenant_key = active_key()
    return file_key, tenant_key, _seal(_kek(tenant_key), file_key, b"drive-file-key")


def unwrap(tenant_key, wrapped: bytes) -> bytes:
    try:
        return _open(_kek(tenant_key), bytes(wrapped), b"drive-file-key")
    except InvalidTag:
        raise CorruptFile("file key does not unwrap") from None


def rotate() -> int:
    """Make a new tenant key, re-wrap every file key (stored versions and uploads in progress)
    under it and retire the old ones. Returns the number of keys re-wrapped. One transaction:
    a failure leaves every file under its old key."""
    from modules.drive.models import FileVersion, TenantKey, Upload

    with transaction.atomic():
        old = list(TenantKey.objects.select_for_update().filter(retired_at__isnull=True))
        new = TenantKey.objects.create(wrapped=_seal(master_key(), os.urandom(32), _schema_aad()))
        new_kek = _kek(new)
        count = 0
        for model in (FileVersion, Upload):
            for row in model.objects.select_for_update(of=("self",)).select_related("key").exclude(key=new):
                row.wrapped_key = _seal(new_kek, unwrap(row.key, row.wrapped_key), b"drive-file-key")
                row.key = new
                row.save(update_fields=["wrapped_key", "key"])
                count += 1
        TenantKey.objects.filter(pk__in=[k.pk for k in old]).update(retired_at=timezone.now())
    return count


# --- the record stream ----------------------------------------------------------------------------

def seal_records(file_key: bytes, data: bytes, first_index: int) -> tuple[bytes, int]:
    """`data` sealed as records numbered from `first_index`; (bytes, number of records)."""
    out = bytearray()
    aes = AESGCM(file_key)
    n = 0
    for start in range(0, len(data), CHUNK):
        piece = data[start:start + CHUNK]
        nonce = os.urandom(12)
        out += struct.pack(">I", len(piece)) + nonce + aes.encrypt(nonce, piece, struct.pack(">Q", first_index + n))
        n += 1
    return bytes(out), n


def count_records(fh: BinaryIO) -> int:
    """How many records a stream holds (reads only their headers)."""
    n = 0
    while True:
        header = fh.read(4)
        if len(header) < 4:
            return n
        (length,) = struct.unpack(">I", header)
        fh.seek(12 + length + 16, 1)
        n += 1


def open_records(file_key: bytes, fh: BinaryIO, size: int) -> Iterator[bytes]:
    """The plaintext of a record stream, one record at a time; CorruptFile on tampering or when
    the stream does not hold exactly `size` bytes."""
    aes = AESGCM(file_key)
    index = total = 0
    while True:
        header = fh.read(HEADER)
        if not header:
            break
        if len(header) < HEADER:
            raise CorruptFile("torn record header")
        (length,) = struct.unpack(">I", header[:4])
        if length > CHUNK:
            raise CorruptFile("record too long")
        body = fh.read(length + 16)
        try:
            plain = aes.decrypt(header[4:], body, struct.pack(">Q", index))
        except InvalidTag:
            raise CorruptFile(f"record {index} does not decrypt") from None
        total += len(plain)
        index += 1
        yield plain
    if total != size:
        raise CorruptFile(f"expected {size} bytes, found {total}")
