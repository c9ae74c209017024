#!/usr/bin/env bash
# Sets up everything Haven needs on a fresh machine: system packages (when root with apt), a virtual
# environment with pinned dependencies, and compiled translation catalogues. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# Pango renders PDFs (WeasyPrint); fonts-noto-core has the Bengali, Devanagari, Gurmukhi, Naskh Arabic,
# Nastaliq Urdu and Latin/Cyrillic families the PDFs name (haven/web/pdf.py).
SYSTEM_PACKAGES=(chromium gettext fonts-noto-core fonts-noto-ui-core libpango-1.0-0 libpangoft2-1.0-0)

install_system_packages() {
  local missing=()
  for pkg in "${SYSTEM_PACKAGES[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing system packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Note: missing system packages (${missing[*]}); the browser tests, catalogue checks and PDFs need them." >&2
    echo "      Install them with: sudo apt-get install ${missing[*]}" >&2
  fi
}

install_python_packages() {
  local python="${HAVEN_PYTHON:-python3.11}"
  command -v "$python" >/dev/null 2>&1 || python=python3
  if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
  fi
  # Reinstall only when the pinned set changed since the last successful install.
  local stamp=.venv/.haven-installed
  local want
  want=$(cat pyproject.toml requirements.lock | sha256sum | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -c requirements.lock -e ".[dev,redis]"
    echo "$want" > "$stamp"
  fi
}

install_node_packages() {
  # axe-core, for the accessibility checks in the browser tests (package.json); nothing here is served.
  local stamp=node_modules/.haven-installed
  local want
  want=$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)
  if [ -f node_modules/axe-core/axe.min.js ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "Note: npm is missing; the accessibility browser tests need axe-core from the npm registry." >&2
    echo "      Install Node.js and npm (sudo apt-get install npm), then run this script again." >&2
    return 0
  fi
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  echo "$want" > "$stamp"
}

install_system_packages
install_python_packages
install_node_packages
# Compiling needs no secrets; debug mode lets settings load without a secret key for this one command.
HAVEN_DEBUG=1 .venv/bin/haven compile_catalogues >/dev/null
