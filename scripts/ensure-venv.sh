# Sourced by run.sh and test.sh: make ./.venv exist and hold what pyproject.toml asks for.
# Usage: ensure_venv [extras]   e.g. ensure_venv test
set -euo pipefail

ensure_venv() {
    local extras="${1:-}"
    local root
    root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
    local venv="$root/.venv"
    local python="${PYTHON:-python3}"

    if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        echo "Phonebank needs Python 3.11 or newer (found: $("$python" --version 2>&1))." >&2
        exit 1
    fi
    if [ ! -x "$venv/bin/python" ]; then
        if ! "$python" -m venv --help >/dev/null 2>&1 || ! "$python" -c 'import ensurepip' 2>/dev/null; then
            install_debian_packages python3-venv
        fi
        echo "Creating a virtual environment in .venv …"
        "$python" -m venv "$venv"
    fi

    # Reinstall only when pyproject.toml or the extras changed since the last install.
    local spec="$root${extras:+[$extras]}"
    local stamp="$venv/.phonebank-installed"
    local wanted
    wanted="$(sha256sum "$root/pyproject.toml" | cut -d' ' -f1) $extras"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
        echo "Installing Phonebank and its dependencies into .venv …"
        "$venv/bin/python" -m pip install --quiet --upgrade pip
        "$venv/bin/python" -m pip install --quiet -e "$spec"
        echo "$wanted" > "$stamp"
    fi
    export PATH="$venv/bin:$PATH"
}

install_debian_packages() {
    local missing=()
    for package in "$@"; do
        dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "Please install: ${missing[*]}" >&2; exit 1; }
        sudo="sudo"
    fi
    echo "Installing Debian packages: ${missing[*]} …"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Caddy's binary for the reverse-proxy test, taken out of Debian's package without
# installing the package (which would start a Caddy service on ports 80 and 443).
ensure_caddy() {
    local root
    root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
    command -v caddy >/dev/null && return 0
    [ -x "$root/.venv/bin/caddy" ] && return 0
    local scratch
    scratch="$(mktemp -d)"
    echo "Fetching Caddy (Debian's package, unpacked into .venv/bin) …"
    if [ "$(id -u)" -eq 0 ]; then apt-get update -qq; else sudo apt-get update -qq; fi
    (cd "$scratch" && chmod 777 . && apt-get download -qq caddy >/dev/null \
        && dpkg-deb -x caddy_*.deb unpacked) \
        && cp "$scratch/unpacked/usr/bin/caddy" "$root/.venv/bin/caddy"
    rm -rf "$scratch"
}
