"""The fault group runs only when asked for: `pytest -m faults`, or HAVEN_FAULTS=1 with any selection.

Each test starts real servers, workers or databases and takes seconds to minutes, so the default run
skips them. They need PostgreSQL (concurrent transactions, pg_dump); on SQLite they are skipped too.
"""

from __future__ import annotations

import os

import pytest
from django.db import connection


def faults_requested(config: pytest.Config) -> bool:
    return os.environ.get("HAVEN_FAULTS") == "1" or "faults" in (config.option.markexpr or "")


def pytest_runtest_setup(item: pytest.Item) -> None:
    if not faults_requested(item.config):
        pytest.skip("fault injection runs with `pytest -m faults` or HAVEN_FAULTS=1")
    if connection.vendor != "postgresql":
        pytest.skip("fault injection needs PostgreSQL: set DATABASE_URL=postgresql://…")
