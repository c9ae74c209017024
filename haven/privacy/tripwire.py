"""A test-only tripwire: an API answer that carries identifying values read from the database must be an
audited read.

DESIGN.md: every view of a person, case, stay or legal file is a read entry. A GET of one file calls its
app's `record_*_view`; the steps that change a file (a POST, PATCH or DELETE) often answer with the file,
and each endpoint had to remember to audit that answer too. Rather than trust each endpoint, the test
settings put this middleware in front of the API: during an API request it notes every encrypted value
that was decrypted (read from the database, not the values the request itself sent) and whether an
audited read was recorded; an answer whose JSON carries one of those values without one fails the test
that made the request. Every API test of the suite is so also a test of this rule.

Never in production settings: it holds plaintexts for the length of a request, which is what the rule
forbids anyone to leave lying about.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse

from haven.privacy import audit
from haven.privacy.fields import EncryptedTextField

_API_PREFIX = "/api/"
_SHORTEST_IDENTIFYING = 3  # shorter plaintexts ("no", "5") also occur in answers for other reasons
_LONG_ENOUGH_TO_FIND_INSIDE = 12  # a short value ("verify") is found inside unrelated text ("verify_token")


@dataclass
class _Request:
    decrypted: set[str] = field(default_factory=set)
    audited_read: bool = False


_current: ContextVar[_Request | None] = ContextVar("haven_tripwire_request", default=None)


class UnauditedAnswer(AssertionError):
    """An API answer carried identifying values read from the database, and no audited read was made."""


def _noting_decryption(decrypt: Callable[..., str]) -> Callable[..., str]:
    @functools.wraps(decrypt)
    def noted(self: EncryptedTextField, instance: Any, sealed: Any) -> str:
        plaintext = decrypt(self, instance, sealed)
        request = _current.get()
        if request is not None and len(plaintext.strip()) >= _SHORTEST_IDENTIFYING:
            request.decrypted.add(plaintext)
        return plaintext

    return noted


def _noting_reads(record: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(record)
    def noted(**kwargs: Any) -> Any:
        entry = record(**kwargs)
        request = _current.get()
        if request is not None and audit.is_read(kwargs["action"]):
            request.audited_read = True
        return entry

    return noted


@functools.cache
def _install() -> None:
    """Wrap decryption and audit recording once per process (the middleware is built once per handler)."""
    EncryptedTextField.decrypt_for = _noting_decryption(EncryptedTextField.decrypt_for)  # type: ignore[method-assign]
    audit.record = _noting_reads(audit.record)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _carried(response: HttpResponse, decrypted: set[str]) -> int:
    """How many of the decrypted values the answer's JSON strings carry."""
    if not decrypted or not response.get("Content-Type", "").startswith("application/json"):
        return 0
    try:
        strings = list(_strings(json.loads(response.content)))
    except ValueError:
        return 0
    return sum(any(_carries(string, value) for string in strings) for value in decrypted)


def _carries(string: str, value: str) -> bool:
    """The whole string, or, for a value long enough not to occur by chance, a part of it."""
    return string == value or (len(value) >= _LONG_ENOUGH_TO_FIND_INSIDE and value in string)


class AuditedAnswerTripwire:
    """Middleware of the test settings: fails an API request that answered unaudited with what it read."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        _install()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(_API_PREFIX):
            return self.get_response(request)
        noted = _Request()
        token = _current.set(noted)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        carried = _carried(response, noted.decrypted)
        if carried and not noted.audited_read:
            raise UnauditedAnswer(
                f"{request.method} {request.path} answered with {carried} identifying value(s) read from "
                "the database, without an audited read: record the file's view (its app's record_*_view) "
                "in the endpoint that answers with it."
            )
        return response
