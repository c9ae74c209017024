"""Blind indexes for finding a supporter without decrypting every row: e-mail and phone exactly, the name
by its words.

The same keyed hash as everywhere in Haven (`haven.privacy.blind`), under kinds of their own, so a
supporter's phone index never equals a person's. Name words are folded (case, accents, script: anyascii
transliterates "Фонд" to "Fond" and "Fondation" stays itself) so a fundraiser finds "Élise Côté" by typing
"elise cote"; only whole words match, which is enough for a list of supporters.
"""

from __future__ import annotations

import re
import unicodedata
import uuid

from anyascii import anyascii

from haven.privacy.blind import NormalisationError, blind_index, normalise_phone

EMAIL_KIND = "supporter-email"
NAME_KIND = "supporter-name"
PHONE_KIND = "supporter-phone"
_WORD = re.compile(r"[a-z0-9]+")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_email(raw: str) -> str:
    """Lower case, no surrounding spaces; refused unless it looks like an address."""
    email = unicodedata.normalize("NFKC", raw).strip().casefold()
    if not _EMAIL.match(email):
        raise NormalisationError("not an e-mail address")
    return email


def email_index(org_id: uuid.UUID, raw: str) -> str:
    return blind_index(org_id, EMAIL_KIND, normalise_email(raw))


def phone_index_of(org_id: uuid.UUID, raw: str, region: str) -> str:
    """The phone's index; raises `NormalisationError` when it is not a phone number."""
    return blind_index(org_id, PHONE_KIND, normalise_phone(raw, region))


def name_words(name: str) -> list[str]:
    """The words of a name, folded to lower-case ASCII: "Élise CÔTÉ-Roy" → ["elise", "cote", "roy"]."""
    folded = anyascii(unicodedata.normalize("NFKC", name)).casefold()
    return list(dict.fromkeys(_WORD.findall(folded)))


def name_tokens(org_id: uuid.UUID, name: str) -> list[str]:
    return [blind_index(org_id, NAME_KIND, word) for word in name_words(name)]
