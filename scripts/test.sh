#!/usr/bin/env bash
# Runs every FieldBridge test suite on a Debian/Ubuntu machine, installing what it lacks:
# Rust (unit, protocol, CLI contract, end-to-end with the simulated QuickBooks), the UI
# (Vitest components, Playwright flows in Chromium), the SOAP check with a mature client
# library (zeep), the Linux package, and the real window driven through WebDriver.
# CI runs exactly this (.ci/run). Exit status 0 only when every suite passed.
set -euo pipefail
cd "$(dirname "$0")/.."
export CI="${CI:-}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/fieldbridge/target}"
export CARGO_TERM_COLOR=never
export FIELDBRIDGE_LOG="${FIELDBRIDGE_LOG:-warn}"
# Tests that need ../shared/reference (Intuit's schemas, real captures) or xmllint fail here
# when those are missing, instead of skipping as they do on the Windows release runner.
export FIELDBRIDGE_REQUIRE_REFERENCE=1

start=$(date +%s)
step() { printf '\n==> %s (%ss)\n' "$1" "$(( $(date +%s) - start ))"; }

step "Installing what is missing"
scripts/setup.sh

step "Dependencies: licences, bans, sources (and advisories where reachable) with cargo-deny"
scripts/deny.sh

step "Building the window's UI"
npm --prefix ui run build --silent

step "Rust: every crate's unit and end-to-end tests"
cargo test --workspace --locked

step "Rust: the window's Tauri commands on Tauri's mock runtime"
cargo test -p fieldbridge --locked --features desktop-tests --lib desktop::

step "UI: types (svelte-check on the screens, tsc on the Playwright flows)"
npm --prefix ui run check --silent

step "UI: component tests (Vitest)"
npm --prefix ui test --silent

step "UI: main flows in Chromium (Playwright, mocked IPC)"
npm --prefix ui run test:e2e --silent

step "Protocol: every Web Connector operation through zeep"
tests/soap_client/run-against-serve.sh "$CARGO_TARGET_DIR/debug/fieldbridge"

step "Desktop: the real window through WebDriver under Xvfb"
cargo build -q --locked -p qbsim --bin qbsim-run
scripts/e2e-desktop.sh "$CARGO_TARGET_DIR/debug/fieldbridge"

step "Windows: fieldbridge.exe cross-built, its suites and Web Connector sessions under Wine"
scripts/test-windows.sh

step "Linux package: build the .deb (release), install it into a temporary root, run it"
deb=$(installer/build-deb.sh)
FIELDBRIDGE_DEB="$deb" cargo test -p fieldbridge --locked --test packaging -- --ignored

step "All suites passed"
