#!/usr/bin/env bash
# Put throughput and latency, Kvorum against real etcd 3.4 on this machine, in one run.
#
#   arquillian-tests/bench/put-vs-etcd.sh [SECONDS_PER_STEP] [CLIENT_COUNTS...]
#
# Starts a 3-member Kvorum cluster (`kvorum cluster up`, port offset 900) and measures
# io.kvorum.bench.PutBenchmark (gRPC puts, 8-byte keys, 256-byte values) against its leader with
# 1, 64 and 256 clients (default), then stops it and does the same with three etcd 3.4 processes
# (Debian's etcd-server, default settings, client ports 11379/12379/13379). Never both at once.
# Prints one line per step and the members' RSS; writes nothing else. Build first:
#   mvn -B -q -DskipTests package && mvn -B -q -pl rest-war -am test-compile
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SECONDS_PER_STEP=${1:-15}
shift || true
CLIENTS=("${@:-1 64 256}")
read -r -a CLIENTS <<<"${CLIENTS[*]}"
CP="$REPO/rest-war/target/test-classes:$REPO/rest-war/target/classes:$REPO/rest-war/target/kvorum/WEB-INF/lib/*"
WORK=$(mktemp -d /tmp/kvorum-bench.XXXXXX)
export ETCDCTL_API=3

leader_of() { # the endpoint whose member id is the leader's
  local ep json
  for ep in ${1//,/ }; do
    json=$(etcdctl --endpoints="$ep" -w json endpoint status 2>/dev/null) || continue
    if [[ $(grep -o '"member_id":[0-9]*' <<<"$json" | cut -d: -f2) == $(grep -o '"leader":[0-9]*' <<<"$json" | cut -d: -f2) ]]; then
      echo "$ep"
      return
    fi
  done
  return 1
}

rss_mib() { # total and per-process RSS of the given PIDs
  local pid total=0 each=""
  for pid in "$@"; do
    local kb
    kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    total=$((total + kb))
    each+="${each:+/}$((kb / 1024))"
  done
  echo "$each MiB"
}

run_steps() { # name endpoints pids...
  local name=$1 endpoints=$2 leader c
  shift 2
  leader=$(leader_of "$endpoints")
  java -cp "$CP" io.kvorum.bench.PutBenchmark "$leader" 16 5 >/dev/null # warm-up
  for c in "${CLIENTS[@]}"; do
    echo "$name clients=$c: $(java -cp "$CP" io.kvorum.bench.PutBenchmark "$leader" "$c" "$SECONDS_PER_STEP" | tail -1)"
    echo "$name RSS after $c clients: $(rss_mib "$@")"
  done
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"

# Kvorum
export KVORUM_PORT_OFFSET=900 KVORUM_CLUSTER_DIR=$WORK/kvorum
up_start=$SECONDS
"$REPO/payara-config/bin/kvorum" cluster up >/dev/null
echo "kvorum cluster up to healthy: $((SECONDS - up_start)) s"
mapfile -t KPIDS < <(cat "$KVORUM_CLUSTER_DIR"/*.pid)
run_steps kvorum 127.0.0.1:3279,127.0.0.1:23279,127.0.0.1:33279 "${KPIDS[@]}" || true
"$REPO/payara-config/bin/kvorum" cluster down >/dev/null

# etcd 3.4
ETCD_PIDS=()
cluster=e1=http://127.0.0.1:11380,e2=http://127.0.0.1:12380,e3=http://127.0.0.1:13380
for i in 1 2 3; do
  cp=$((10379 + i * 1000)) pp=$((10380 + i * 1000))
  etcd --name "e$i" --data-dir "$WORK/etcd$i" \
    --listen-client-urls "http://127.0.0.1:$cp" --advertise-client-urls "http://127.0.0.1:$cp" \
    --listen-peer-urls "http://127.0.0.1:$pp" --initial-advertise-peer-urls "http://127.0.0.1:$pp" \
    --initial-cluster "$cluster" --initial-cluster-state new >"$WORK/etcd$i.log" 2>&1 &
  ETCD_PIDS+=($!)
done
trap 'kill "${ETCD_PIDS[@]}" 2>/dev/null; rm -rf "$WORK"' EXIT
until etcdctl --endpoints=127.0.0.1:11379,127.0.0.1:12379,127.0.0.1:13379 endpoint health >/dev/null 2>&1; do sleep 0.5; done
run_steps etcd 127.0.0.1:11379,127.0.0.1:12379,127.0.0.1:13379 "${ETCD_PIDS[@]}"
