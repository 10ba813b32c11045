#!/usr/bin/env bash
# One command for the benchmark (docs/benchmarks.md): builds the service (its launcher and AOT cache, as shipped),
# installs the Node side (socket.io peer, load generator, mongodb driver), then measures the calling service and the
# Node socket.io peer one after the other with the same load generator, on two cores and then on one, and prints the
# tables (also written to bench/results/latest.md).
#   bash bench/run.sh            # full run (about an hour)
#   bash bench/run.sh --quick    # smoke run of about a quarter of an hour: shorter phases, fewer connections and events
# Other options are passed to bench/run.mjs: --cores=2,1, --only=service|peer, --figures=1,...,9, --jfr=/tmp/x.jfr,
# --setup-concurrency=N, --setup-warmup-seconds=S, --replay-events=N, --replay-seconds=S, --starts=N.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"

cd "$root"
if ! mvn -o -q -B -DskipTests package >/tmp/bench-build.log 2>&1; then
  mvn -q -B -DskipTests package >/tmp/bench-build.log 2>&1 || { tail -50 /tmp/bench-build.log; exit 1; }
fi
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

ulimit -n 20000 2>/dev/null || true
exec node "$here/run.mjs" "$@"
