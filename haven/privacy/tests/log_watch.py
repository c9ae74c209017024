"""Nothing personal in the logs, checked over the whole test suite.

Every value the suite encrypts (names, phones, addresses, narratives: whatever goes through `seal`) is
remembered, and everything the suite logs is kept, through the same logging configuration production
uses. When the session ends, a value found in a log line fails the run. The hooks are imported by
haven/conftest.py.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest

from haven.privacy import fields

MIN_LENGTH = 8
"""Shorter values ("Dhaka", "yes") also occur in ordinary text; a person's name or phone is longer."""

_sealed: set[str] = set()
_logged: list[str] = []


class _Recorder(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        _logged.append(text)


def _remembering(seal: Callable[..., Any]) -> Callable[..., Any]:
    def remembering_seal(plaintext: str, **kwargs: Any) -> Any:
        if len(plaintext) >= MIN_LENGTH:
            _sealed.add(plaintext)
        return seal(plaintext, **kwargs)

    return remembering_seal


def leaked_values(sealed: Iterable[str], logged: Iterable[str]) -> list[str]:
    """The sealed values that occur in any logged text."""
    text = "\n".join(logged)
    return sorted(value for value in sealed if value in text)


@pytest.fixture(autouse=True, scope="session")
def watch_logs_for_sealed_values() -> Iterator[None]:
    original = fields.seal
    # Every Haven module holding `seal` (encrypted fields, and modules that seal values themselves).
    holders = [
        module
        for name, module in list(sys.modules.items())
        if name.startswith("haven") and getattr(module, "seal", None) is original
    ]
    for module in holders:
        module.seal = _remembering(original)  # type: ignore[attr-defined]
    recorder = _Recorder(level=logging.DEBUG)
    root = logging.getLogger()
    root.addHandler(recorder)
    yield
    root.removeHandler(recorder)
    for module in holders:
        module.seal = original  # type: ignore[attr-defined]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    leaked = leaked_values(_sealed, _logged)
    if leaked:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        shown = ", ".join(repr(value) for value in leaked[:5])
        print(f"\n{len(leaked)} encrypted value(s) appeared in the logs, e.g. {shown}")
