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

# The two databases run side by side (each with its own scratch directory) and their reports are printed
# one after the other when both are done: on a two-core machine this takes the suite from ~16 to ~10 minutes.
LOGS="$(mktemp -d)"
run_pytest() {  # name, then pytest arguments; environment comes from the caller
  local name="$1"; shift
  HAVEN_VAR_DIR="$(mktemp -d)" .venv/bin/pytest --durations=12 "$@" >"$LOGS/$name.log" 2>&1
}

pg_reachable() {
  .venv/bin/python -c "import sys, psycopg; psycopg.connect(sys.argv[1], connect_timeout=5).close()" "$PG_URL" 2>/dev/null
}

if pg_reachable; then
  DATABASE_URL="$PG_URL" run_pytest postgresql -m "not browser" &
  PG_PID=$!
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL is not reachable at $PG_URL, and CI=true requires it." >&2
  exit 1
else
  PG_PID=""
fi

SQLITE_STATUS=0
run_pytest sqlite || SQLITE_STATUS=$?
step "pytest on SQLite"
cat "$LOGS/sqlite.log"

PG_STATUS=0
step "pytest on PostgreSQL ($PG_URL)"
if [ -n "$PG_PID" ]; then
  wait "$PG_PID" || PG_STATUS=$?
  cat "$LOGS/postgresql.log"
else
  echo "PostgreSQL is not reachable at $PG_URL: skipped (set DATABASE_URL to run it)."
fi

# The fault drills (haven/faults: real servers and workers killed, the database cut off, backup and
# restore) take several minutes and need PostgreSQL to themselves: after the suite, in CI or when asked.
FAULTS_STATUS=0
if [ -n "$PG_PID" ] && { [ "${CI:-}" = "true" ] || [ "${HAVEN_FAULTS:-}" = "1" ]; }; then
  step "fault drills on PostgreSQL (pytest -m faults)"
  DATABASE_URL="$PG_URL" HAVEN_VAR_DIR="$(mktemp -d)" .venv/bin/pytest -m faults haven/faults haven/privacy \
    || FAULTS_STATUS=$?
fi

step "result"
echo "SQLite: exit $SQLITE_STATUS; PostgreSQL: exit $PG_STATUS; fault drills: exit $FAULTS_STATUS"
[ "$SQLITE_STATUS" -eq 0 ] && [ "$PG_STATUS" -eq 0 ] && [ "$FAULTS_STATUS" -eq 0 ]
