#!/usr/bin/env bash
# Sets Haven up and runs the demo on SQLite at http://127.0.0.1:8000/ (Ctrl+C stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

mkdir -p var
export HAVEN_VAR_DIR="$PWD/var" HAVEN_DEBUG=1
# The demo keeps its keys in git-ignored files; a real deployment keeps the master key elsewhere.
[ -f var/master.key ] || .venv/bin/haven generate_master_key --file var/master.key >/dev/null
[ -f var/secret.key ] || .venv/bin/python -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret.key
export HAVEN_MASTER_KEY_FILE="$PWD/var/master.key"
HAVEN_SECRET_KEY="$(cat var/secret.key)"
export HAVEN_SECRET_KEY

.venv/bin/haven migrate --no-input -v0
.venv/bin/haven load_demo
echo
echo "Haven is running at http://127.0.0.1:8000/  (API docs: http://127.0.0.1:8000/api/v1/docs)"
echo "Background worker (optional, in another terminal): HAVEN_VAR_DIR=$PWD/var HAVEN_DEBUG=1 \\"
echo "  HAVEN_MASTER_KEY_FILE=$PWD/var/master.key .venv/bin/haven db_worker"
exec .venv/bin/haven runserver 127.0.0.1:8000
