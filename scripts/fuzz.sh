#!/usr/bin/env bash
# Fuzzes FieldBridge's input parsers with cargo-fuzz (libFuzzer).
#
#   scripts/fuzz.sh [TARGET|all] [SECONDS]      # default: all targets, 180 s each
#
# Targets: soap_envelope, qbxml_response, qbxml_hcp, import_bytes (fuzz/fuzz_targets/).
# Needs cargo-fuzz (`cargo install cargo-fuzz --locked`) and a nightly toolchain, or the
# stable one with RUSTC_BOOTSTRAP=1 (used when no nightly is installed).
# The seed corpus is made here at run time: Intuit's and the captured samples are copied from
# shared/reference/samples (never committed; fuzz/corpus is gitignored) and small import files
# are written. Findings land in fuzz/artifacts/TARGET/.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
target="${1:-all}"
seconds="${2:-180}"

# shared/reference next to the repo, else in an ancestor folder (git worktrees).
samples=""
dir="$repo"
while [ "$dir" != "/" ]; do
  if [ -d "$dir/shared/reference/samples" ]; then samples="$dir/shared/reference/samples"; break; fi
  dir="$(dirname "$dir")"
done
if [ -z "$samples" ] && [ -d "$repo/../shared/reference/samples" ]; then
  samples="$repo/../shared/reference/samples"
fi

corpus="$repo/fuzz/corpus"
mkdir -p "$corpus"/{soap_envelope,qbxml_response,qbxml_hcp,import_bytes}
if [ -n "$samples" ]; then
  cp "$samples"/soap/*.xml "$corpus/soap_envelope/"
  cp "$samples"/responses/*.xml "$corpus/qbxml_response/"
  cp "$samples"/responses/strHCPResponse*.xml "$corpus/qbxml_hcp/"
else
  echo "fuzz.sh: shared/reference/samples not found; starting from the written seeds only" >&2
fi
# SOAP envelopes of every Web Connector call (our own text).
for op in serverVersion clientVersion authenticate sendRequestXML receiveResponseXML getLastError connectionError closeConnection; do
  printf '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><%s xmlns="http://developer.intuit.com/"><ticket>t</ticket><strUserName>u</strUserName><strPassword>p</strPassword><response>&lt;QBXML/&gt;</response><hresult/><message/></%s></soap:Body></soap:Envelope>' "$op" "$op" > "$corpus/soap_envelope/$op.xml"
done
# Import files: the first byte picks the format (even: JSON, odd: CSV).
printf '0{"customers":[{"id":"C-1","name":"Acme & Sons","email":"a@b.example","billing_address":{"line1":"1 Main","city":"Springfield","state":"IL","postal_code":"62701"},"taxable":true}],"projects":[{"id":"P-1","customer_id":"C-1","name":"Remodel"}],"invoices":[{"id":"I-1","customer_id":"C-1","project_id":"P-1","number":"1001","date":"2026-10-02","lines":[{"description":"Labor","quantity":"2","rate":"95.00","taxable":false}]}],"payments":[{"id":"PAY-1","invoice_id":"I-1","date":"2026-10-05","amount":"50.00","method":"Check"}]}' > "$corpus/import_bytes/all.json"
printf '1id,name,email,phone,taxable\nC-1,"Acme, Inc.",a@b.example,(555) 123-4567,true\nC-2,Zoë Ltd,,,false\n' > "$corpus/import_bytes/customers.csv"
printf '1id,customer_id,number,date,due_date,description,quantity,rate,taxable\nI-1,C-1,1001,2026-10-02,2026-11-01,Labor,2,95.00,false\nI-1,C-1,1001,2026-10-02,2026-11-01,Filter,1,12.50,true\n' > "$corpus/import_bytes/invoices.csv"

fuzz=(cargo fuzz)
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  fuzz=(cargo +nightly fuzz)
else
  export RUSTC_BOOTSTRAP=1
fi
# A CARGO_TARGET_DIR is passed on as cargo-fuzz's --target-dir (it looks for its binaries there).
target_dir=()
if [ -n "${CARGO_TARGET_DIR:-}" ]; then
  target_dir=(--target-dir "$CARGO_TARGET_DIR/fuzz")
  unset CARGO_TARGET_DIR
fi
targets=(soap_envelope qbxml_response qbxml_hcp import_bytes)
[ "$target" = all ] || targets=("$target")
cd "$repo/fuzz"
for t in "${targets[@]}"; do
  echo "== $t: $seconds s"
  "${fuzz[@]}" run "${target_dir[@]}" "$t" "corpus/$t" -- -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10
done
