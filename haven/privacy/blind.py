"""Blind indexes: keyed hashes that allow exact lookup of an encrypted value without decrypting.

The hash is HMAC-SHA256 under the organisation's blind-index key, over a kind label and the normalised
value, so the same phone number gives different indexes in two organisations and as two kinds.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
import uuid

import phonenumbers

from haven.privacy.keyring import keyring


class NormalisationError(ValueError):
    """A value is not a valid instance of its kind (e.g. not a phone number)."""


def blind_index(org_id: uuid.UUID, kind: str, normalised: str) -> str:
    key = keyring.for_org(org_id).index_key
    message = f"{kind}\x1f{normalised}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def normalise_phone(raw: str, default_region: str) -> str:
    """E.164 form of a phone number, so '01711-000000' and '+8801711000000' index the same."""
    try:
        number = phonenumbers.parse(to_ascii_digits(raw), default_region.upper() or None)
    except phonenumbers.NumberParseException:
        raise NormalisationError("not a phone number") from None
    if not phonenumbers.is_possible_number(number):
        raise NormalisationError("not a possible phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_identifier(raw: str) -> str:
    """An ID-card or registration number with separators and case folded away, digits made ASCII."""
    text = to_ascii_digits(unicodedata.normalize("NFKC", raw))
    cleaned = "".join(ch for ch in text if ch.isalnum()).upper()
    if not cleaned:
        raise NormalisationError("empty identifier")
    return cleaned


def to_ascii_digits(text: str) -> str:
    """Replace any Unicode decimal digit (Persian, Bengali, Devanagari…) by its ASCII digit."""
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)


def phone_index(org_id: uuid.UUID, raw: str, default_region: str) -> str:
    return blind_index(org_id, "phone", normalise_phone(raw, default_region))


def identifier_index(org_id: uuid.UUID, kind: str, raw: str) -> str:
    return blind_index(org_id, f"id:{kind}", normalise_identifier(raw))
