from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from haven.channels import intake
from haven.channels.senders import RecordingSender


@pytest.fixture(autouse=True)
def _offline(settings: Any, tmp_path: Path) -> Iterator[None]:
    """Nothing leaves the machine, and the spool is a fresh folder per test."""
    settings.HAVEN_CHANNEL_SENDERS = "recording"
    settings.VAR_DIR = tmp_path
    RecordingSender.outbox.clear()
    intake._channels.clear()
    yield
    RecordingSender.outbox.clear()
    intake._channels.clear()
