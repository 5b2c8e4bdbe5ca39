#!/usr/bin/env bash
# The dependency policy (deny.toml) with cargo-deny: licences (permissive only), bans
# (wildcards refused; duplicate versions listed for review), sources (crates.io only), and
# RustSec advisories when its database (on github.com) can be fetched. Where it cannot (this
# CI has crates.io but not GitHub) the advisories are NOT checked and this says so.
set -euo pipefail
cd "$(dirname "$0")/.."
if cargo deny fetch db >/dev/null 2>&1; then
  cargo deny check advisories licenses bans sources
else
  # --offline needs every crate of every platform in the lock file on disk (the macOS and
  # Windows ones too), and crates.io is reachable: fetch them first.
  cargo fetch --locked --quiet
  echo "deny: RustSec's advisory database (github.com) cannot be fetched here: advisories are NOT checked; licences, bans and sources are"
  cargo deny --offline check licenses bans sources
fi
