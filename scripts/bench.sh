#!/usr/bin/env bash
# FieldBridge's benchmarks (figures, not tests): builds the release binary and the bench
# examples, then runs them and prints the figures (docs/evidence.md has the last ones).
#
#   scripts/bench.sh [endpoint|first-sync|first-sync-large|pairing|startup|all]
#
# first-sync-large (on request only, not in `all`): the same first sync into companies that
# already hold 150,000 and 500,000 QuickBooks customers (issue 18: memory flat in their
# number). Set FIELDBRIDGE_BENCH_QB="150000 500000" to choose the sizes, and
# FIELDBRIDGE_BENCH_QB_FLOOR_MS=60 (any first-sync) to have every answer of the simulated
# QuickBooks take at least that long, as a QuickBooks slower than the simulator would.
#
# CARGO_TARGET_DIR is honoured. The examples need no network; bench_first_sync drives the
# real `fieldbridge serve` with qbsim's Web Connector (request validation off, see its docs).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
which="${1:-all}"
target_dir="${CARGO_TARGET_DIR:-$repo/target}"
cd "$repo"
cargo build --release -p fieldbridge --no-default-features --bin fieldbridge \
  --example bench_endpoint --example bench_first_sync --example bench_pairing --example bench_startup
ex="$target_dir/release/examples"
export FIELDBRIDGE_BIN="$target_dir/release/fieldbridge"
echo "== machine: $(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-)"
free -g
run() { echo; echo "== $1"; shift; "$@"; }
case "$which" in
  endpoint)   run "1. endpoint overhead per round trip" "$ex/bench_endpoint" ;;
  first-sync) run "2. first sync 10k/10k with 50k in QuickBooks" "$ex/bench_first_sync" ;;
  first-sync-large)
    for n in ${FIELDBRIDGE_BENCH_QB:-150000 500000}; do
      run "2b. first sync 10k/10k with $n in QuickBooks" "$ex/bench_first_sync" 10000 10000 "$n"
    done
    ;;
  pairing)    run "3. pairing and search keystroke" "$ex/bench_pairing" ;;
  startup)    run "4. serve start to accepting connections" "$ex/bench_startup" ;;
  all)
    run "1. endpoint overhead per round trip" "$ex/bench_endpoint"
    run "2. first sync 10k/10k with 50k in QuickBooks" "$ex/bench_first_sync"
    run "3. pairing and search keystroke" "$ex/bench_pairing"
    run "4. serve start to accepting connections" "$ex/bench_startup"
    ;;
  *) echo "usage: $0 [endpoint|first-sync|first-sync-large|pairing|startup|all]" >&2; exit 2 ;;
esac
