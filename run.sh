#!/usr/bin/env bash
# Set up what is missing, then start Phonebank with a demo on http://127.0.0.1:8550
set -euo pipefail
cd "$(dirname "$0")"
source scripts/ensure-venv.sh
ensure_venv
exec phonebank serve --demo "$@"
