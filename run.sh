#!/usr/bin/env bash
# Set up what is missing, then start Phonebank with a demo on http://127.0.0.1:8550
set -euo pipefail
cd "$(dirname "$0")"
source scripts/ensure-venv.sh
ensure_venv
# The offline caller app (served at /) is rebuilt when its sources changed. Without it
# (say, PyPI out of reach on a first run) the server still starts: callers use /app/.
phonebank build-web --if-stale || echo "The offline caller app was not built; callers can use /app/ meanwhile." >&2
exec phonebank serve --demo "$@"
