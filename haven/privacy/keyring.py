"""The key ring: one master key held by the agency, and per-organisation data keys wrapped by it.

The master key never touches the database. It comes from HAVEN_MASTER_KEY (base64 of 32 bytes) or from
the file named by HAVEN_MASTER_KEY_FILE. Each organisation has versioned encryption keys (one active)
and one blind-index key; all are stored wrapped (AES-256-GCM) under the master key, with associated data
naming the organisation, purpose and version so a wrapped key cannot be moved to another organisation.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import secrets
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from threading import Lock
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from haven.privacy.models import DataKey

KEY_BYTES = 32
NONCE_BYTES = 12
# How long a process trusts its cached idea of an organisation's active key; bounds how long a
# process that missed a rotation keeps writing with the old key (rotate_keys sweeps those rows up).
ACTIVE_KEY_TTL_SECONDS = 30.0


class MasterKeyError(ImproperlyConfigured):
    """The master key is missing or malformed; Haven refuses to run rather than store plaintext."""


class KeyUnavailable(Exception):
    """A ciphertext names a key version this organisation does not have (or no longer has)."""


def decode_master_key(text: str, source: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise MasterKeyError(
            _(
                "The master key in %(source)s is not valid base64. "
                "Generate one with: haven generate_master_key"
            )
            % {"source": source}
        ) from None
    if len(key) != KEY_BYTES:
        raise MasterKeyError(
            _("The master key in %(source)s must decode to 32 bytes, not %(count)d.")
            % {"source": source, "count": len(key)}
        )
    return key


def read_master_key() -> bytes:
    """Read the master key from the environment, failing with a message that says how to provide one."""
    inline = os.environ.get(settings.HAVEN_MASTER_KEY_ENV, "")
    if inline.strip():
        return decode_master_key(inline, settings.HAVEN_MASTER_KEY_ENV)
    path = os.environ.get(settings.HAVEN_MASTER_KEY_FILE_ENV, "")
    if path.strip():
        try:
            text = Path(path).read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError):
            raise MasterKeyError(
                _("The master key file named by %(env)s cannot be read.") % {"env": "HAVEN_MASTER_KEY_FILE"}
            ) from None
        return decode_master_key(text, "HAVEN_MASTER_KEY_FILE")
    raise MasterKeyError(
        _(
            "No master key: Haven will not run without encryption. Set HAVEN_MASTER_KEY or "
            "HAVEN_MASTER_KEY_FILE (create a key with: haven generate_master_key)."
        )
    )


def new_master_key_text() -> str:
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii")


def master_key_id(master_key: bytes) -> str:
    """A short public fingerprint of a master key, so rows record which master key wrapped them."""
    return hashlib.sha256(b"haven-master-key-id" + master_key).hexdigest()[:16]


def _wrap_aad(org_id: uuid.UUID, purpose: str, version: int) -> bytes:
    return f"haven-data-key|{org_id}|{purpose}|{version}".encode()


def wrap_key(master_key: bytes, key: bytes, *, org_id: uuid.UUID, purpose: str, version: int) -> bytes:
    nonce = secrets.token_bytes(NONCE_BYTES)
    return nonce + AESGCM(master_key).encrypt(nonce, key, _wrap_aad(org_id, purpose, version))


def unwrap_key(master_key: bytes, wrapped: bytes, *, org_id: uuid.UUID, purpose: str, version: int) -> bytes:
    try:
        return AESGCM(master_key).decrypt(
            wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], _wrap_aad(org_id, purpose, version)
        )
    except InvalidTag:
        raise KeyUnavailable(
            "A data key did not unwrap: the master key is not the one that wrapped it."
        ) from None


@dataclass
class OrgKeys:
    """The unwrapped keys of one organisation, as this process last loaded them."""

    org_id: uuid.UUID
    active_version: int
    encryption_keys: dict[int, bytes]
    index_key: bytes
    loaded_at: float = field(default_factory=time.monotonic)


class KeyRing:
    """Process-wide cache of unwrapped organisation keys, loaded on first use."""

    def __init__(self) -> None:
        self._lock = Lock()
        self._orgs: dict[uuid.UUID, OrgKeys] = {}
        self._master: bytes | None = None

    def master_key(self) -> bytes:
        if self._master is None:
            self._master = read_master_key()
        return self._master

    def clear(self) -> None:
        with self._lock:
            self._orgs.clear()
            self._master = None

    def for_org(self, org_id: uuid.UUID, *, fresh: bool = False) -> OrgKeys:
        cached = self._orgs.get(org_id)
        stale = cached is None or time.monotonic() - cached.loaded_at > ACTIVE_KEY_TTL_SECONDS
        if fresh or stale:
            cached = self._load(org_id)
            with self._lock:
                self._orgs[org_id] = cached
        assert cached is not None
        return cached

    def encryption_key(self, org_id: uuid.UUID, version: int) -> bytes:
        keys = self.for_org(org_id)
        if version not in keys.encryption_keys:
            keys = self.for_org(org_id, fresh=True)
        try:
            return keys.encryption_keys[version]
        except KeyError:
            raise KeyUnavailable(f"Organisation has no encryption key version {version}.") from None

    def _load(self, org_id: uuid.UUID) -> OrgKeys:
        from haven.privacy.models import DataKey

        rows = list(DataKey.objects.filter(org_id=org_id))
        if not rows:
            rows = ensure_org_keys(org_id)
        master = self.master_key()
        encryption = {
            row.version: row.unwrap(master) for row in rows if row.purpose == DataKey.Purpose.ENCRYPTION
        }
        active = max(
            row.version for row in rows if row.purpose == DataKey.Purpose.ENCRYPTION and row.is_active
        )
        index = next(row.unwrap(master) for row in rows if row.purpose == DataKey.Purpose.BLIND_INDEX)
        return OrgKeys(org_id=org_id, active_version=active, encryption_keys=encryption, index_key=index)


def ensure_org_keys(org_id: uuid.UUID) -> list[DataKey]:
    """Create an organisation's first encryption key and its blind-index key if it has none."""
    from haven.privacy.models import DataKey

    master = keyring.master_key()
    with transaction.atomic():
        existing = list(DataKey.objects.select_for_update().filter(org_id=org_id))
        if existing:
            return existing
        return [
            DataKey.create_wrapped(master, org_id=org_id, purpose=DataKey.Purpose.ENCRYPTION, version=1),
            DataKey.create_wrapped(master, org_id=org_id, purpose=DataKey.Purpose.BLIND_INDEX, version=1),
        ]


keyring = KeyRing()
