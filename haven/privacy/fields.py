"""Encrypted model fields.

A value is sealed with AES-256-GCM under its organisation's active data key. The associated data binds
the ciphertext to its table, column and row, so a ciphertext copied into another row or column fails to
decrypt instead of showing the wrong person's data. Stored form: ``h1$<key version>$<base64(nonce+ct)>``.

Rows are read lazily: the database value stays sealed until the attribute is read on the model
instance, which knows the organisation and primary key. ``values()`` and ``values_list()`` therefore
return `Sealed` objects, never plaintext. Filtering on an encrypted column is refused: use a blind index.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import uuid
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models.query_utils import DeferredAttribute

from haven.privacy.keyring import NONCE_BYTES, keyring

PREFIX = "h1"


class DecryptionError(Exception):
    """A stored value could not be decrypted. It is never returned as-is."""


class Ciphertext(str):
    """A sealed value ready to be written; plain strings are refused at the database boundary."""

    __slots__ = ()


class Sealed:
    """A ciphertext read from the database, not yet decrypted."""

    __slots__ = ("token",)

    def __init__(self, token: str) -> None:
        self.token = token

    def __repr__(self) -> str:
        return "<Sealed>"

    def __str__(self) -> str:
        return "[encrypted]"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sealed) and other.token == self.token

    def __hash__(self) -> int:
        return hash(self.token)

    @property
    def key_version(self) -> int:
        return parse_token(self.token)[0]


def associated_data(table: str, column: str, row_id: object) -> bytes:
    return f"{table}\x1f{column}\x1f{row_id}".encode()


def parse_token(token: str) -> tuple[int, bytes]:
    try:
        prefix, version, payload = token.split("$", 2)
        if prefix != PREFIX:
            raise ValueError(prefix)
        return int(version), base64.b64decode(payload, validate=True)
    except (ValueError, binascii.Error):
        raise DecryptionError("A stored value is not in Haven's ciphertext format.") from None


def seal(plaintext: str, *, org_id: uuid.UUID, aad: bytes) -> Ciphertext:
    keys = keyring.for_org(org_id)
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(keys.encryption_keys[keys.active_version]).encrypt(nonce, plaintext.encode(), aad)
    payload = base64.b64encode(nonce + sealed).decode("ascii")
    return Ciphertext(f"{PREFIX}${keys.active_version}${payload}")


def unseal(token: str, *, org_id: uuid.UUID, aad: bytes) -> str:
    version, blob = parse_token(token)
    key = keyring.encryption_key(org_id, version)
    try:
        return AESGCM(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad).decode()
    except InvalidTag:
        raise DecryptionError(
            "A stored value failed its integrity check (wrong row, column, organisation or key)."
        ) from None


class EncryptedAttribute(DeferredAttribute):
    """Decrypts on first read, using the instance's organisation and primary key, then caches plaintext."""

    field: EncryptedTextField

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, Sealed):
            value = self.field.decrypt_for(instance, value)
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance: Any, value: Any) -> None:
        # Being a data descriptor makes every read pass through __get__, so sealed values get decrypted.
        instance.__dict__[self.field.attname] = value


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """A text column holding an identifying or narrative value, encrypted per organisation.

    The model must have an ``org`` foreign key and a primary key that is set before the first save
    (a UUID default), because both are bound into the ciphertext.
    """

    descriptor_class = EncryptedAttribute

    def __init__(self, *args: Any, org_field: str = "org", **kwargs: Any) -> None:
        self.org_field = org_field
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.org_field != "org":
            kwargs["org_field"] = self.org_field
        return name, path, args, kwargs

    def _binding(self, instance: Any) -> tuple[uuid.UUID, bytes]:
        org_id = getattr(instance, f"{self.org_field}_id")
        if instance.pk is None or org_id is None:
            raise ImproperlyConfigured(
                f"{type(instance).__name__}.{self.name} is encrypted: set its organisation and primary key "
                "(use a UUID primary key with a default) before saving."
            )
        return org_id, associated_data(self.model._meta.db_table, self.column, instance.pk)

    def decrypt_for(self, instance: Any, sealed: Sealed) -> str:
        org_id, aad = self._binding(instance)
        return unseal(sealed.token, org_id=org_id, aad=aad)

    def pre_save(self, model_instance: Any, add: bool) -> Any:
        value = getattr(model_instance, self.attname)
        if value is None:
            return None
        org_id, aad = self._binding(model_instance)
        return seal(str(value), org_id=org_id, aad=aad)

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Sealed | None:
        return None if value is None else Sealed(value)

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None or isinstance(value, Ciphertext):
            return str(value) if value is not None else None
        if isinstance(value, Sealed):
            return value.token
        raise TypeError(
            f"{self.model.__name__}.{self.name} is encrypted: write it through save() (not update() or "
            "bulk_update()), and look rows up through a blind index, not the value."
        )

    def get_lookup(self, lookup_name: str) -> Any:
        # Only null checks and the ciphertext-prefix scan used by key rotation make sense here.
        if lookup_name in {"isnull", "startswith"}:
            return super().get_lookup(lookup_name)
        return None

    def value_to_string(self, obj: Any) -> str:
        return "[encrypted]"
