# Sourced by the e2e scripts: a scratch directory, the processes started into it (each stopped by its PID on exit),
# a free loopback port, and waiting for a service's health.
root=$(cd .. && pwd)
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'; }

# await_healthy <http port> <log file>: up to 90 s, then the log's tail and failure
await_healthy() {
  for _ in $(seq 1 180); do
    curl -sf "http://127.0.0.1:$1/actuator/health" > /dev/null && return 0
    sleep 0.5
  done
  tail -40 "$2"
  return 1
}
