#!/usr/bin/env bash
# Runs the FieldBridge desktop app on this machine: installs what it lacks, builds the window's
# UI and the app, and starts it. Extra arguments go to fieldbridge (e.g. --port 8711).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --app-only
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/fieldbridge/target}"
npm --prefix ui run build --silent
cargo build --release -p fieldbridge --features tauri/custom-protocol
exec "$CARGO_TARGET_DIR/release/fieldbridge" "$@"
