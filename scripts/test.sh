#!/usr/bin/env bash
# The whole test suite: lint, types, migrations, catalogues, then pytest on SQLite and on PostgreSQL.
# PostgreSQL runs when reachable at DATABASE_URL (default postgresql://127.0.0.1:5432/test); with CI=true
# it is required, so a missing server fails loudly instead of being skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

export HAVEN_SECRET_KEY=haven-test-secret HAVEN_MASTER_KEY_FILE="" HAVEN_VAR_DIR="$(mktemp -d)"
export HAVEN_MASTER_KEY="dGVzdC1tYXN0ZXIta2V5LW5vdC1mb3ItcmVhbC11c2U="
export DJANGO_SETTINGS_MODULE=haven.test_settings
PG_URL="${DATABASE_URL:-postgresql://127.0.0.1:5432/test}"
unset DATABASE_URL

step() { printf '\n== %s\n' "$1"; }

step "ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
step "mypy --strict"
.venv/bin/mypy haven bench
step "migrations are up to date"
.venv/bin/haven makemigrations --check --dry-run
step "translation catalogues"
.venv/bin/haven check_catalogues

step "pytest on SQLite"
.venv/bin/pytest

step "pytest on PostgreSQL ($PG_URL)"
if .venv/bin/python -c "import sys, psycopg; psycopg.connect(sys.argv[1], connect_timeout=5).close()" "$PG_URL" 2>/dev/null; then
  DATABASE_URL="$PG_URL" .venv/bin/pytest -m "not browser"
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL is not reachable at $PG_URL, and CI=true requires it." >&2
  exit 1
else
  echo "PostgreSQL is not reachable at $PG_URL: skipped (set DATABASE_URL to run it)."
fi
