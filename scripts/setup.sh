#!/usr/bin/env bash
# Installs what FieldBridge needs on a Debian/Ubuntu machine, skipping what is already there:
# the system packages Tauri and the tests need, the npm modules, the Python SOAP client used
# by the protocol check, and tauri-driver for the real-window tests.
# Usage: scripts/setup.sh [--app-only]   (--app-only: just what running the app needs)
set -euo pipefail
cd "$(dirname "$0")/.."

app_packages=(libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev pkg-config)
test_packages=(libxml2-utils xvfb xauth imagemagick x11-utils xdotool webkit2gtk-driver
  chromium python3-venv dbus-x11)
# installer/check-config.py validates the Tauri configuration with jsonschema.
test_packages+=(python3-jsonschema)
# The Windows lane (scripts/test-windows.sh): mingw links the x86_64-pc-windows-gnu build
# and Wine runs it.
test_packages+=(gcc-mingw-w64-x86-64 wine64)

want=("${app_packages[@]}")
[ "${1:-}" = "--app-only" ] || want+=("${test_packages[@]}")

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm modules: reinstall only when the lock file changed since the last install.
npm_install() { # dir
  local dir=$1 stamp="$1/node_modules/.fieldbridge-lock"
  if [ ! -f "$stamp" ] || ! cmp -s "$dir/package-lock.json" "$stamp"; then
    echo "setup: installing npm modules in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$dir/package-lock.json" "$stamp"
  fi
}

npm_install ui

[ "${1:-}" = "--app-only" ] && exit 0

# The protocol check calls every operation through zeep, a mature Python SOAP library.
venv="$HOME/.cache/fieldbridge/venv"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import zeep' 2>/dev/null; then
  echo "setup: installing the zeep SOAP client into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check 'zeep>=4.2,<5'
fi

# The local API's OpenAPI document is checked by a real validator (src-tauri/tests/api_openapi.rs).
if ! "$venv/bin/python" -c 'import openapi_spec_validator' 2>/dev/null; then
  echo "setup: installing openapi-spec-validator into $venv"
  "$venv/bin/pip" install -q --disable-pip-version-check 'openapi-spec-validator>=0.7,<1'
fi

# The Windows lane cross-builds for this Rust target.
if ! rustup target list --installed 2>/dev/null | grep -qx x86_64-pc-windows-gnu; then
  echo "setup: adding the Rust target x86_64-pc-windows-gnu"
  rustup target add x86_64-pc-windows-gnu
fi

# cargo-deny checks the dependency policy (deny.toml, scripts/deny.sh); built once from
# crates.io (several minutes).
if ! command -v cargo-deny >/dev/null 2>&1; then
  echo "setup: installing cargo-deny"
  cargo install cargo-deny --locked --quiet
fi

# tauri-driver drives the real window through Debian's WebKitWebDriver.
if ! command -v tauri-driver >/dev/null 2>&1; then
  echo "setup: installing tauri-driver"
  cargo install tauri-driver --locked --quiet
fi
