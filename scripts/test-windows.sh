#!/usr/bin/env bash
# The Windows lane of the test command (called by scripts/test.sh; runnable alone).
#
# 1. Cross-builds fieldbridge.exe (the core, no window) for x86_64-pc-windows-gnu with mingw.
# 2. Runs the core's Rust tests built for Windows under Wine (cargo's runner for the target is
#    scripts/windows/wine-run.sh): the Windows code paths (%LOCALAPPDATA%, drive letters and
#    backslashes, file locking, owner-only ACLs, the network-drive refusal) run, not skipped.
#    Tests that need Unix-only tools (xmllint) skip with a message naming what they lack.
# 3. Runs `fieldbridge.exe serve` under Wine and drives whole Web Connector sessions through
#    tests/qbsim's driver over loopback (first sync, a lost answer, a restart), the CLI
#    contract, Ctrl-C, and the default data folder (src-tauri/tests/windows_session.rs).
# 4. Cross-builds and links the desktop binary (Tauri, WebView2) to prove the window compiles
#    for Windows (needs ui/dist, which scripts/test.sh builds first). Incremental in this
#    target folder; cold it took about 14 minutes on a loaded 2-core machine.
#    FIELDBRIDGE_WINDOWS_DESKTOP=0 skips it.
#
# Wine 8 lacks ProcessPrng (bcryptprimitives.dll), which Rust's standard library calls: a
# test-only shim (scripts/windows/processprng.c) is built here and copied beside each
# program Wine runs. It is never shipped.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/fieldbridge/target}"
export CARGO_TERM_COLOR=never
target=x86_64-pc-windows-gnu
out="$CARGO_TARGET_DIR/$target/debug"

start=$(date +%s)
step() { printf '\n--> windows: %s (%ss)\n' "$1" "$(( $(date +%s) - start ))"; }

for tool in x86_64-w64-mingw32-gcc /usr/lib/wine/wine64; do
  command -v "$tool" >/dev/null || { echo "test-windows: $tool is missing; run scripts/setup.sh" >&2; exit 1; }
done

# A scratch Wine prefix of our own (created once, about 10 s), and the ProcessPrng shim.
export WINEPREFIX="${FIELDBRIDGE_WINEPREFIX:-$HOME/.cache/fieldbridge/wine}"
export WINEDEBUG=-all
shim_dir="$CARGO_TARGET_DIR/wine-shim"
export FIELDBRIDGE_WINE_SHIM="$shim_dir/bcryptprimitives.dll"
if [ ! -f "$FIELDBRIDGE_WINE_SHIM" ] || [ scripts/windows/processprng.c -nt "$FIELDBRIDGE_WINE_SHIM" ]; then
  step "building the test-only ProcessPrng shim"
  mkdir -p "$shim_dir"
  x86_64-w64-mingw32-gcc -O2 -shared -o "$FIELDBRIDGE_WINE_SHIM" \
    scripts/windows/processprng.c scripts/windows/bcryptprimitives.def -ladvapi32
fi
if [ ! -d "$WINEPREFIX/drive_c" ]; then
  step "creating the Wine prefix $WINEPREFIX"
  mkdir -p "$WINEPREFIX"
  /usr/lib/wine/wine64 wineboot --init >/dev/null 2>&1 || true
  /usr/lib/wine/wineserver -w || true
fi

export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER="$PWD/scripts/windows/wine-run.sh"
# Windows builds without debug info: with it, every test .exe is about 100 MB (DWARF inside
# the exe with mingw), over a gigabyte for the lane. Panics still say where (file:line).
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUSTFLAGS="${CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUSTFLAGS:--C debuginfo=0 -C strip=debuginfo}"
# Under Wine there is no xmllint: the schema checks skip, saying so (the Linux suites, run
# with FIELDBRIDGE_REQUIRE_REFERENCE=1 by scripts/test.sh, make them mandatory).
unset FIELDBRIDGE_REQUIRE_REFERENCE

step "cross-building fieldbridge.exe (core) and its tests"
cargo build --locked --target "$target" -p fieldbridge --no-default-features --bin fieldbridge
mkdir -p "$out"
cp "$FIELDBRIDGE_WINE_SHIM" "$out/"  # beside fieldbridge.exe, which the suites start

step "the core's tests, built for Windows, under Wine"
# Unit tests; the CLI contract; properties; security; and the sync suites, whose
# Windows-built qbsim Web Connector drives the real fieldbridge.exe serve over loopback:
# first syncs, lost answers at every round trip, serve killed and restarted at every round
# trip, refused requests and locked records. (crash_sweep is the same mechanism at random
# points; it stays in the Linux suites.)
cargo test --locked --target "$target" -p fieldbridge --no-default-features \
  --lib --test cli_contract --test properties --test security --test sync_e2e --test sync_faults

step "fieldbridge.exe serve under Wine, driven by the simulated Web Connector"
# Built for Linux: qbsim's driver checks every request fieldbridge.exe sends with xmllint.
FIELDBRIDGE_TEST_EXE="$out/fieldbridge.exe" \
FIELDBRIDGE_TEST_LAUNCHER="$PWD/scripts/windows/wine-run.sh" \
FIELDBRIDGE_REQUIRE_REFERENCE=1 \
  cargo test --locked -p fieldbridge --test windows_session -- --include-ignored

if [ "${FIELDBRIDGE_WINDOWS_DESKTOP:-1}" = 1 ]; then
  step "cross-building the desktop binary (Tauri) to prove it compiles"
  # The window's UI is served from ui/dist (built by scripts/test.sh before this lane).
  cargo build --locked --target "$target" -p fieldbridge --bin fieldbridge --features custom-protocol
fi

step "Windows lane passed"
