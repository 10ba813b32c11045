#!/usr/bin/env bash
# Two service nodes behind nginx with deploy/nginx.conf, as docker-compose.yml runs them, on loopback: Debian's
# redis-server and nginx (.ci/run installs them), the embedded store as its own process, and the packaged jar
# (mvn package). behind-nginx.mjs then makes a call between users that nginx put on different nodes.
set -euo pipefail
cd "$(dirname "$0")"
source ./processes.sh
jar="$root/calling-service/target/calling-service.jar"

redis_port=$(free_port)
store_port=$(free_port)
public_port=$(free_port)

redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no > "$work/redis.log" 2>&1 &
pids+=($!)
java -cp "$jar" -Dloader.main=com.dehive.calling.eventstore.embedded.StandaloneStore \
  org.springframework.boot.loader.launch.PropertiesLauncher "$store_port" > "$work/store.log" 2>&1 &
pids+=($!)

declare -A http_port socket_port
for node in 1 2; do
  http_port[$node]=$(free_port)
  socket_port[$node]=$(free_port)
done
sleep 2
for node in 1 2; do
  CALLING_AUTH_MODE=dev CALLING_JWT_SECRET=two-nodes-e2e-secret-two-nodes-e2e-secret-0123 \
    MONGODB_URI="mongodb://127.0.0.1:$store_port" REDIS_URL="redis://127.0.0.1:$redis_port" \
    CALLING_NODE_ID="calling-$node" CALLING_PROCESSOR_SEGMENTS=2 \
    DIRECT_CALLING_PORT="${http_port[$node]}" SOCKET_IO_PORT="${socket_port[$node]}" CLOUD_HOST=127.0.0.1 \
    AXONIQ_UPDATE_CHECKER_DISABLED=true \
    java -Xmx512m -jar "$jar" > "$work/node-$node.log" 2>&1 &
  pids+=($!)
done
for node in 1 2; do
  await_healthy "${http_port[$node]}" "$work/node-$node.log"
done

# deploy/nginx.conf, with the nodes' loopback ports for the compose service names and paths nginx may write to
mkdir -p "$work/nginx"
sed -e "s/calling-1:4005/127.0.0.1:${http_port[1]}/; s/calling-2:4005/127.0.0.1:${http_port[2]}/" \
    -e "s/calling-1:4006/127.0.0.1:${socket_port[1]}/; s/calling-2:4006/127.0.0.1:${socket_port[2]}/" \
    -e "s/listen 8080;/listen 127.0.0.1:$public_port;/" \
    -e "s|^http {|http {\n    access_log off;\n    client_body_temp_path $work/nginx/body;\n    proxy_temp_path $work/nginx/proxy;|" \
    "$root/deploy/nginx.conf" > "$work/nginx.conf"
nginx -t -q -p "$work/nginx" -c "$work/nginx.conf" -g "pid $work/nginx.pid; error_log $work/nginx/error.log;"
nginx -p "$work/nginx" -c "$work/nginx.conf" -g "daemon off; pid $work/nginx.pid; error_log $work/nginx/error.log;" &
pids+=($!)
for _ in $(seq 1 50); do
  curl -sf "http://127.0.0.1:$public_port/demo/config" > /dev/null && break  # nginx keeps /actuator/ inside
  sleep 0.2
done

npm ci --no-audit --no-fund --silent
status=0
node behind-nginx.mjs "http://127.0.0.1:$public_port" || status=$?
if [ "$status" -ne 0 ]; then
  for node in 1 2; do echo "--- node $node log (tail)"; tail -30 "$work/node-$node.log"; done
  echo "--- nginx error log"; tail -30 "$work/nginx/error.log" 2>/dev/null || true
fi
exit "$status"
