#!/usr/bin/env bash
# The browser end-to-end tests: coturn on 127.0.0.1 with a fresh secret, the service jar with the same secret, and
# two headless Chromium pages making a relayed call: pages of the demo the service serves (browser-call.mjs), then
# the demo served by a web server of its own, another origin, through CORS (third-party.mjs). Needs Debian's
# chromium and coturn (.ci/run installs them) and the packaged jar (mvn package). Screenshots go to target/e2e/.
set -euo pipefail
cd "$(dirname "$0")"
source ./processes.sh

turn_port=$(free_port)
http_port=$(free_port)
socket_port=$(free_port)
page_port=$(free_port)       # the third-party page's origin, the one CORS_ALLOWED_ORIGINS allows
other_page_port=$(free_port) # an origin it does not
secret=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')

turnserver -n --listening-ip=127.0.0.1 --relay-ip=127.0.0.1 --listening-port="$turn_port" \
  --min-port=49300 --max-port=49400 --use-auth-secret --static-auth-secret="$secret" --realm=e2e.local \
  --allow-loopback-peers --fingerprint --no-cli --no-tls --no-dtls --no-multicast-peers \
  --pidfile="$work/turnserver.pid" --log-file="$work/turnserver.log" --simple-log > /dev/null 2>&1 &
pids+=($!)

CALLING_AUTH_MODE=dev TURN_HOST=127.0.0.1 TURN_PORT="$turn_port" TURN_SECRET="$secret" \
  DIRECT_CALLING_PORT="$http_port" SOCKET_IO_PORT="$socket_port" CLOUD_HOST=127.0.0.1 \
  CORS_ALLOWED_ORIGINS="http://127.0.0.1:$page_port" \
  AXONIQ_UPDATE_CHECKER_DISABLED=true \
  java -jar "$root/calling-service/target/calling-service.jar" --calling.mongo.data-dir="$work/data" \
  > "$work/service.log" 2>&1 &
pids+=($!)

await_healthy "$http_port" "$work/service.log"
mongo_url=$(grep -o 'connection=mongodb://[0-9.:]*' "$work/service.log" | head -1 | cut -d= -f2)

npm ci --no-audit --no-fund --silent
status=0
node browser-call.mjs "http://127.0.0.1:$http_port" "$mongo_url" "$secret" "$root/target/e2e" || status=$?
node third-party.mjs "http://127.0.0.1:$http_port" "$page_port" "$other_page_port" "$root/target/e2e" || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- service log (tail)"; tail -30 "$work/service.log"
  echo "--- coturn log (tail)"; tail -30 "$work/turnserver.log" 2>/dev/null || true
fi
exit "$status"
