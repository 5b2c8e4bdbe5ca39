#!/usr/bin/env bash
# Instruction counts of a first sync (callgrind), the comparison this shared VM cannot spoil:
# its seconds move by 2x with the load, instructions do not. Runs `bench_first_sync 1000 1000 N`
# with `fieldbridge serve` under `valgrind --tool=callgrind` for N = 0 and N = 10,000
# QuickBooks customers, stops serve with SIGTERM after the session (so work done after it,
# such as search indexing, is counted) and prints the totals, the instructions inside
# receiveResponseXML, and both per QuickBooks customer. On request only (about 3 minutes);
# installs valgrind if it is missing. docs/evidence.md has the last figures (issue 18).
#
#   scripts/bench-instructions.sh [N ...]      (default: 0 10000; the first is the baseline)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
target_dir="${CARGO_TARGET_DIR:-$repo/target}"
command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind; }
cd "$repo"
cargo build --release -p fieldbridge --no-default-features --bin fieldbridge --example bench_first_sync
bin="$target_dir/release/fieldbridge"
out="$(mktemp -d)"
# serve runs under callgrind in the background, so the bench's kill -9 of its child does not
# take callgrind's output with it; every other command runs as it is.
cat > "$out/wrap.sh" <<WRAP
#!/usr/bin/env bash
if ! printf '%s\n' "\$@" | grep -qx serve; then exec "$bin" "\$@"; fi
valgrind --tool=callgrind --callgrind-out-file="\$CG_OUT" --log-file="$out/valgrind.log" "$bin" "\$@" &
wait
WRAP
chmod +x "$out/wrap.sh"
set -- ${@:-0 10000}
declare -A total inside
for n1 in "$@"; do
  {
    export CG_OUT="$out/callgrind-$n1.out"
    FIELDBRIDGE_BIN="$out/wrap.sh" "$target_dir/release/examples/bench_first_sync" 1000 1000 "$n1" \
      | grep -E "outcome|round trips"
    sleep 8 # the session's after-work (search indexing)
    pkill -TERM -f "valgrind.*$bin" || true
    while pgrep -f "valgrind.*$bin" >/dev/null; do sleep 1; done
    total[$n1]=$(sed -n 's/^summary: //p' "$CG_OUT")
    inside[$n1]=$(callgrind_annotate --inclusive=yes "$CG_OUT" \
      | awk '/Engine as .*receive_response_xml/ && !f { gsub(",", "", $1); print $1; f = 1 }')
    echo "N=$n1: ${total[$n1]} instructions in serve, ${inside[$n1]} inside receiveResponseXML"
  }
done
base=$1
for n in "$@"; do
  [ "$n" = "$base" ] && continue
  echo "per QuickBooks customer (N=$n against N=$base): serve $(( (total[$n] - total[$base]) / (n - base) )), receiveResponseXML $(( (inside[$n] - inside[$base]) / (n - base) )) instructions"
done
echo "callgrind files: $out"
