#!/usr/bin/env bash
# The long crash sweep: kill -9 the real `fieldbridge serve` at POINTS seeded random points of
# a sync and at POINTS of an edit session after a first sync (default 200 each), restart,
# finish; prints duplicates, missing records, lost edits and integrity
# checks (all must be 0 / ok). The quick sweep (10 points) runs in every `cargo test`.
#
#   scripts/crash-sweep.sh [POINTS] [SEED]
#
# In a git worktree without ../shared next to the repo, set QBSIM_SCHEMA to
# shared/reference/qbxml/qbxmlops130.xsd (the driver validates every request).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
export FIELDBRIDGE_SWEEP_POINTS="${1:-200}"
export FIELDBRIDGE_SWEEP_SEED="${2:-20261122}"
cargo test -p fieldbridge --no-default-features --test crash_sweep \
  killing_serve -- --nocapture --test-threads=1
