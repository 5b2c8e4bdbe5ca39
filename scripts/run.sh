#!/usr/bin/env bash
# Runs the FieldBridge desktop app on this machine: installs what it lacks, builds the window's
# UI and the app, and starts it. Extra arguments go to fieldbridge (e.g. --port 8711).
#
#   scripts/run.sh --demo   the whole link on one Linux machine, with no QuickBooks and no cloud:
#                           the app on a fresh demo data folder with the sample data, the
#                           reference field-service platform (tests/platform) serving records
#                           and receiving every outcome, and the simulated Web Connector and
#                           QuickBooks (tests/qbsim) running against the app every minute.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --app-only
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/fieldbridge/target}"
npm --prefix ui run build --silent
cargo build --release -p fieldbridge --features tauri/custom-protocol
app="$CARGO_TARGET_DIR/release/fieldbridge"

if [ "${1:-}" != "--demo" ]; then
  exec "$app" "$@"
fi
shift

cargo build --release -q -p qbsim --bin qbsim-run
cargo build --release -q -p refplatform --bin platform-run
demo=$(mktemp -d "${TMPDIR:-/tmp}/fieldbridge-demo.XXXXXX")
port=${FIELDBRIDGE_DEMO_PORT:-8712}
fb() { "$app" --data-dir "$demo/data" --port "$port" "$@"; }
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "demo: stopped; its data folder stays in $demo/data"
}
trap cleanup EXIT INT TERM

# The reference platform: 20 made-up customers with invoices, a new invoice every minute.
head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$demo/platform-key"
"$CARGO_TARGET_DIR/release/platform-run" --key-file "$demo/platform-key" --generate 20 \
  --trickle-seconds 60 > "$demo/platform.json" 2> "$demo/platform.log" &
pids+=($!)
for _ in $(seq 100); do [ -s "$demo/platform.json" ] && break; sleep 0.1; done
platform_url=$(sed -n 's/.*"url":"\([^"]*\)".*/\1/p' "$demo/platform.json")

# The app's data folder: the sample business, the simulated company's items mapped, the link on.
fb import assets/sample-data/northwind-hvac.json > /dev/null
fb map service-item Labor
fb map service-tax-item "IL State"
fb map project-item Labor
fb map project-tax-item "IL State"
# The safe start as an office manager meets it (README "Connecting QuickBooks"): when the
# simulated company already holds customers, the first run reads it and sends nothing, and
# the Sync page shows the preview and "Start sending"; an empty company starts at once.
fb link set "$platform_url" --key-file "$demo/platform-key" --interval 15 > /dev/null
password=$(fb password)

echo "demo: data folder     $demo/data"
echo "demo: platform        $platform_url  (what it received: $platform_url/_control/summary)"
echo "demo: Web Connector   http://localhost:$port/qbwc, every minute (simulated QuickBooks)"
echo "demo: close the window or press Ctrl-C to stop"

fb "$@" &
app_pid=$!
pids+=($app_pid)
for _ in $(seq 200); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done

# The simulated Web Connector: one run now, then one a minute, same company file throughout.
( while kill -0 "$app_pid" 2>/dev/null; do echo run; sleep 60; done ) |
  "$CARGO_TARGET_DIR/release/qbsim-run" "http://localhost:$port/qbwc" fieldbridge "$password" 7 \
    --pause-ms 300 --runs-from-stdin > "$demo/webconnector.log" 2>&1 &
pids+=($!)
wait "$app_pid"
