"""Raw bytes of the test database, for tests that look for plaintext where only ciphertext belongs."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.db import connection


def sqlite_file() -> bytes:
    """The whole SQLite database as one file (`VACUUM INTO`; not inside the test's transaction)."""
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "copy.sqlite3"
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(path)])
        return path.read_bytes()
