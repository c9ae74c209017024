"""Each benchmark's own PostgreSQL database, on the server of DATABASE_URL, and Django set up on it."""

from __future__ import annotations

import os
import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg


def bench_url(server_url: str, database: str) -> str:
    """The server's URL with the benchmark's database in place of the one named."""
    parts = urlsplit(server_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, parts.fragment))


def ensure_database(server_url: str, database: str) -> None:
    """Create the benchmark's own database on the server if it is missing."""
    with psycopg.connect(server_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{database}"')


def open_bench_database(server_url: str, database: str) -> None:
    """Point Django at the benchmark's database (created if missing), set it up and migrate it."""
    if not server_url.startswith(("postgres://", "postgresql://")):
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL=postgresql://HOST:5432/NAME")
    ensure_database(server_url, database)
    os.environ["DATABASE_URL"] = bench_url(server_url, database)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
