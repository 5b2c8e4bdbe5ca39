#!/usr/bin/env bash
# Runs one Windows program under Wine for the Windows lane (scripts/test-windows.sh): cargo
# calls it as CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER, the lane calls it for fieldbridge.exe.
# Usage: scripts/windows/wine-run.sh PROGRAM.exe [ARGS...]
#
# Wine 8 lacks ProcessPrng (bcryptprimitives.dll), which Rust's standard library calls for
# random numbers; the test-only shim built by test-windows.sh from processprng.c is copied
# beside the program. It is never shipped: the installers are built on a Windows runner from
# a clean checkout, and real Windows has the genuine DLL.
set -euo pipefail
program=$1
shim="${FIELDBRIDGE_WINE_SHIM:?set by scripts/test-windows.sh: the built bcryptprimitives.dll}"
dir="$(dirname "$program")"
[ -f "$dir/bcryptprimitives.dll" ] && cmp -s "$shim" "$dir/bcryptprimitives.dll" || cp "$shim" "$dir/bcryptprimitives.dll"
export WINEPREFIX="${WINEPREFIX:?set by scripts/test-windows.sh: a scratch Wine prefix}"
export WINEDEBUG="${WINEDEBUG:--all}"
# Wine passes the Unix environment on; these would change what the tests see.
unset FIELDBRIDGE_DATA_DIR FIELDBRIDGE_PORT
# Tests that Wine cannot judge (it keeps access lists as Unix permission bits) check less.
export FIELDBRIDGE_UNDER_WINE=1
exec "${FIELDBRIDGE_WINE:-/usr/lib/wine/wine64}" "$@"
