#!/usr/bin/env bash
# Runs the zeep check (check_operations.py) against the real `fieldbridge serve`: a fresh
# data folder, a free port, then SIGTERM, which must stop serve cleanly with exit status 0.
# Usage: tests/soap_client/run-against-serve.sh PATH/TO/fieldbridge
set -euo pipefail
bin=${1:?usage: run-against-serve.sh PATH/TO/fieldbridge}
here=$(cd "$(dirname "$0")" && pwd)
python=${FIELDBRIDGE_VENV:-$HOME/.cache/fieldbridge/venv}/bin/python
dir=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

"$bin" --data-dir "$dir" --port "$port" serve 2>"$dir/serve.stderr" &
pid=$!
cleanup() { kill "$pid" 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT

for _ in $(seq 200); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  sleep 0.05
done

"$python" "$here/check_operations.py" "http://localhost:$port/qbwc" "$("$bin" --data-dir "$dir" password)"

kill -TERM "$pid"
status=0
wait "$pid" || status=$?
if [ "$status" -ne 0 ]; then
  echo "serve exited with status $status after SIGTERM (expected 0)"; cat "$dir/serve.stderr"; exit 1
fi
echo "serve stopped cleanly on SIGTERM"
