#!/usr/bin/env bash
# The real FieldBridge window driven through WebDriver under Xvfb (tests/e2e-desktop/).
# Starts a private X server and tauri-driver on free ports, runs the suite, stops everything,
# and prints `e2e-desktop: N passed, M failed`. Builds nothing: pass the app binary (built with
# the default `desktop` feature, so it embeds ui/dist). qbsim-run is taken from $QBSIM_RUN, else
# next to the app binary (cargo build -p qbsim --bin qbsim-run).
# Usage: scripts/e2e-desktop.sh PATH/TO/fieldbridge
set -euo pipefail
self=$(realpath "$0")
app=""
# Paths given by the caller are resolved from where the caller stands, before moving.
[ "${1:-}" = "--inside-xvfb" ] || [ -z "${1:-}" ] || app=$(realpath "$1")
cd "$(dirname "$self")/.."

# Inside Xvfb (this script calls itself there): tauri-driver, then the suite.
if [ "${1:-}" = "--inside-xvfb" ]; then
  tauri-driver --port "$E2E_DRIVER_PORT" --native-port "$E2E_NATIVE_PORT" >"$E2E_WORK/tauri-driver.log" 2>&1 &
  driver=$!
  status=0
  # The whole suite gets five minutes; one flow hanging must not hang CI.
  timeout 300 node --test --test-concurrency=1 --test-reporter=spec tests/e2e-desktop/ </dev/null \
    | tee "$E2E_WORK/report.txt" || status=$?
  kill "$driver" 2>/dev/null || true
  wait "$driver" 2>/dev/null || true
  exit "$status"
fi

app=${app:?usage: scripts/e2e-desktop.sh PATH/TO/fieldbridge}
qbsim_run=${QBSIM_RUN:-$(dirname "$app")/qbsim-run}
for need in "$app" "$qbsim_run"; do
  [ -x "$need" ] || { echo "e2e-desktop: $need is missing or not executable" >&2; exit 2; }
done
for tool in xvfb-run tauri-driver WebKitWebDriver xdotool import xmllint node; do
  command -v "$tool" >/dev/null || { echo "e2e-desktop: $tool is not installed (scripts/setup.sh installs it)" >&2; exit 2; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/fieldbridge-e2e-desktop.XXXXXX")
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
driver_port=$(free_port)
native_port=$(free_port)

# The app writes its autostart entry (to ~/.config/autostart whatever XDG_CONFIG_HOME says) and
# WebKit its caches: a scratch home keeps the person's own untouched.
mkdir -p "$work/home"
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share" \
  XDG_CACHE_HOME="$work/home/.cache"
export FIELDBRIDGE_BIN="$app" QBSIM_RUN="$qbsim_run" E2E_WORK="$work"
export WEBDRIVER_URL="http://127.0.0.1:$driver_port"
export FIELDBRIDGE_LOG="${FIELDBRIDGE_LOG:-warn}"

export E2E_DRIVER_PORT="$driver_port" E2E_NATIVE_PORT="$native_port"
touch "$work/report.txt"

# GTK's save dialog may start xdg-document-portal, which mounts a FUSE folder in the scratch
# home (~/.cache/doc when XDG_RUNTIME_DIR is unset) and goes away with the X session a moment
# after it ends: unmount whatever is still mounted under the scratch folder, then remove it,
# retrying briefly. A folder left in /tmp is reported, not counted as a failed test.
remove_work() {
  local mounted m
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    mounted=$(awk -v w="$work/" 'index($2, w) == 1 { print $2 }' /proc/mounts)
    for m in $mounted; do
      fusermount -u -z "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    done
    rm -rf "$work" 2>/dev/null && return 0
    sleep 0.5
  done
  echo "e2e-desktop: could not remove the scratch folder $work (left in place)" >&2
}

status=0
runner=(xvfb-run -a -s "-screen 0 1280x800x24")
"${runner[@]}" "$self" --inside-xvfb || status=$?

# node --test closes with "ℹ pass N" and "ℹ fail N".
passed=$(sed -n 's/^ℹ pass \([0-9]*\)$/\1/p' "$work/report.txt")
failed=$(sed -n 's/^ℹ fail \([0-9]*\)$/\1/p' "$work/report.txt")
passed=${passed:-0}
failed=${failed:-0}
if [ "$status" -ne 0 ]; then
  echo "e2e-desktop: tauri-driver's log ($work/tauri-driver.log), last lines:" >&2
  tail -n 20 "$work/tauri-driver.log" >&2 || true
  [ "$failed" -gt 0 ] || failed=1
else
  remove_work
fi
echo "e2e-desktop: $passed passed, $failed failed"
exit "$status"
