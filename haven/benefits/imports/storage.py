"""The uploaded file, sealed with the organisation's active data key while it waits for the worker.

The worker may run on another machine than the web process, so the file travels through the database,
encrypted like any identifying field (AES-256-GCM, associated data naming the table, column and job),
and is deleted when the job ends. Stored form: 4-byte key version, nonce, ciphertext.
"""

from __future__ import annotations

import secrets
import struct
import uuid

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from haven.privacy.fields import DecryptionError, associated_data
from haven.privacy.keyring import NONCE_BYTES, keyring

_TABLE = "imports_importjob"
_COLUMN = "upload"


def seal_upload(content: bytes, *, org_id: uuid.UUID, job_id: uuid.UUID) -> bytes:
    keys = keyring.for_org(org_id)
    nonce = secrets.token_bytes(NONCE_BYTES)
    aad = associated_data(_TABLE, _COLUMN, job_id)
    sealed = AESGCM(keys.encryption_keys[keys.active_version]).encrypt(nonce, content, aad)
    return struct.pack(">I", keys.active_version) + nonce + sealed


def open_upload(blob: bytes, *, org_id: uuid.UUID, job_id: uuid.UUID) -> bytes:
    if len(blob) < 4 + NONCE_BYTES:
        raise DecryptionError("The stored upload is not in Haven's format.")
    (version,) = struct.unpack(">I", blob[:4])
    key = keyring.encryption_key(org_id, version)
    nonce, sealed = blob[4 : 4 + NONCE_BYTES], blob[4 + NONCE_BYTES :]
    try:
        return AESGCM(key).decrypt(nonce, sealed, associated_data(_TABLE, _COLUMN, job_id))
    except InvalidTag:
        raise DecryptionError("The stored upload failed its integrity check.") from None
