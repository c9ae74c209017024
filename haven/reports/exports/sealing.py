"""A record export's password and archive, sealed with the organisation's active data key while they
wait (AES-256-GCM, associated data naming the table, column and export, as for encrypted fields).

The worker may run on another machine than the web process, so both travel through the database; the
password is never written in clear and is wiped once the archive is built. Stored form: 4-byte key
version, nonce, ciphertext.
"""

from __future__ import annotations

import secrets
import struct
import uuid

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from haven.privacy.fields import DecryptionError, associated_data
from haven.privacy.keyring import NONCE_BYTES, keyring

_TABLE = "report_exports_recordexport"


def seal(content: bytes, *, column: str, org_id: uuid.UUID, export_id: uuid.UUID) -> bytes:
    keys = keyring.for_org(org_id)
    nonce = secrets.token_bytes(NONCE_BYTES)
    aad = associated_data(_TABLE, column, export_id)
    sealed = AESGCM(keys.encryption_keys[keys.active_version]).encrypt(nonce, content, aad)
    return struct.pack(">I", keys.active_version) + nonce + sealed


def unseal(blob: bytes, *, column: str, org_id: uuid.UUID, export_id: uuid.UUID) -> bytes:
    blob = bytes(blob)  # PostgreSQL hands a memoryview
    if len(blob) < 4 + NONCE_BYTES:
        raise DecryptionError("The stored value is not in Haven's format.")
    (version,) = struct.unpack(">I", blob[:4])
    key = keyring.encryption_key(org_id, version)
    nonce, sealed = blob[4 : 4 + NONCE_BYTES], blob[4 + NONCE_BYTES :]
    try:
        return AESGCM(key).decrypt(nonce, sealed, associated_data(_TABLE, column, export_id))
    except InvalidTag:
        raise DecryptionError("The stored value failed its integrity check.") from None
