#!/usr/bin/env bash
# Builds the Linux package: installer/build-deb.sh
#
# 1. scripts/setup.sh --app-only: the system packages Tauri needs, and `npm ci` in ui/ when
#    ui/package-lock.json changed since the last install (the Tauri CLI, @tauri-apps/cli, is
#    one of ui's devDependencies).
# 2. The Tauri CLI's `tauri build --bundles deb`, run from ui/: it runs the UI build
#    (build.beforeBuildCommand), the release build of the desktop app with Cargo.lock as is
#    (`-- --locked`), and the Debian packager. TAURI_APP_PATH / TAURI_FRONTEND_PATH tell the
#    CLI where the Rust crate and the UI are, since src-tauri/ is not inside ui/.
#
# The .deb lands in $CARGO_TARGET_DIR/release/bundle/deb/ (default target dir as in
# scripts/test.sh). Its path is the only thing printed on standard output (the build's own
# output goes to standard error), so `deb=$(installer/build-deb.sh)` works. Only the deb: the
# AppImage bundler downloads tools at build time.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/fieldbridge/target}"

scripts/setup.sh --app-only >&2

(cd ui && TAURI_APP_PATH=../src-tauri TAURI_FRONTEND_PATH=. \
  node_modules/.bin/tauri build --ci --bundles deb -- --locked) >&2

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' src-tauri/Cargo.toml | head -n 1)
deb="$CARGO_TARGET_DIR/release/bundle/deb/FieldBridge_${version}_$(dpkg --print-architecture).deb"
if [ ! -f "$deb" ]; then
  echo "build-deb: the bundler finished but $deb is not there" >&2
  exit 1
fi
echo "$deb"
