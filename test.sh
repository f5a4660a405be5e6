#!/usr/bin/env bash
# Set up what is missing, then run every check: lint, types, and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/ensure-venv.sh
ensure_venv test
# The browser tests drive Debian's Chromium (Playwright never downloads a browser here).
install_debian_packages chromium
# The reverse-proxy test runs the repo's Caddyfile in a real Caddy.
ensure_caddy

echo "== ruff"
ruff check .
ruff format --check .
echo "== mypy"
mypy
echo "== pytest"
pytest "$@"
