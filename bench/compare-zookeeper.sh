#!/usr/bin/env bash
# bench/compare-zookeeper.sh [options]: Paddock against Apache ZooKeeper 3.9.5 on this machine,
# the same workloads through the same protocol (ZooKeeper's binary client protocol), fsync on.
#
# Starts a real ZooKeeper standalone server (its jars fetched from Maven Central through Maven
# into the build folder, or taken from ~/.m2 when they are there) and a Paddock standalone
# server (with --ensemble: three-server ensembles of each), each with its own data in one work
# folder (so on the same disk), waits until all serve, then runs `bin/paddock bench --protocol zk` with the same options against each, taking
# turns (ZooKeeper, Paddock, ZooKeeper, Paddock, ...) for --rounds rounds, and prints a table:
# median ops/s and p50/p99 latency of each server, Paddock's ratio to ZooKeeper, and the spread
# (lowest–highest) over the rounds. Both servers are stopped on exit, on failure and on Ctrl-C.
#
# Run from anywhere; `--help` lists the options. Needs a build of Paddock (bin/paddock's), java
# and mvn on PATH.
set -euo pipefail

ZK_VERSION="${ZOOKEEPER_VERSION:-3.9.5}"

# This script's own folder, following symlinks.
source="${BASH_SOURCE[0]}"
while [ -L "$source" ]; do
  dir="$(cd -P "$(dirname "$source")" && pwd)"
  source="$(readlink "$source")"
  [[ "$source" != /* ]] && source="$dir/$source"
done
PADDOCK_HOME="$(cd -P "$(dirname "$source")/.." && pwd)"
build_dir="${PADDOCK_BUILD_DIR:-$PADDOCK_HOME/target}"
export PADDOCK_BUILD_DIR="$build_dir"
paddock="$PADDOCK_HOME/bin/paddock"

usage() {
  cat <<EOF
Usage: bench/compare-zookeeper.sh [options]

Runs the same \`bin/paddock bench --protocol zk\` workloads against a real Apache ZooKeeper
$ZK_VERSION standalone server and a Paddock standalone server on this machine (or, with
--ensemble, a 3-server ensemble of each), taking turns, and prints median ops/s, p50 and p99
per server with Paddock/ZooKeeper ratios.

Options (each also settable by the environment variable in brackets):
  --rounds N          rounds; each runs every workload against ZooKeeper, then Paddock (ROUNDS, 3)
  --clients LIST      bench --clients (CLIENTS, 1,16)
  --duration D        bench --duration per run (DURATION, 10s)
  --warmup D          bench --warmup per run (WARMUP, 2s)
  --workloads LIST    of write, mixed, read, create, churn, watch, lock, in this order
                      (WORKLOADS, write,mixed,read); see \`bin/paddock bench --help\` for each
  --watchers LIST     watch only: bench --watchers, one run per value (WATCHERS, 10,100)
  --read-ratio R      mixed's share of reads (READ_RATIO, 0.9)
  --outstanding N     bench --outstanding (OUTSTANDING, 1)
  --value-size BYTES  bench --value-size (VALUE_SIZE, 100)
  --keys N            bench --keys (KEYS, 1000)
  --only SERVER       zookeeper or paddock: run against that one alone (ONLY)
  --ensemble          three servers of each instead of one (ENSEMBLE=1): ZooKeeper as three
                      QuorumPeerMain processes, Paddock as three \`bin/paddock server\` processes,
                      each with server.1..3 lines and its myid; client i of a run talks to
                      server i mod 3 (one client: server 1 only, which may or may not lead)
  --base DIR          the work folder: both servers' data, configs and logs, and the results
                      (BASE; default: a new folder under <build>/compare-zookeeper/). Both servers'
                      data live in it, on the same disk; tmpfs is refused, as it makes fsync free.
  --keep-data         keep the servers' data folders at the end (logs and results are always kept)
  -h, --help          this text

The same JVM options (JAVA_OPTS) go to every server and to the driver. ZooKeeper: tickTime=2000,
initLimit=10, syncLimit=5, forceSync=yes, maxClientCnxns=0 (no limit), 4lw.commands.whitelist=*,
admin server off, logging at INFO to its server.log. Paddock: conf/paddock.cfg with its own
dataDir, free ports, forceSync=yes.
Results: <base>/results.jsonl (every bench JSON line with "server" and "round" added),
<base>/summary.md (the table), and every run's output under <base>/runs/.
Exit status: 0 done, 1 a server would not start or a run failed, 2 bad options.
EOF
}

rounds="${ROUNDS:-3}"
clients="${CLIENTS:-1,16}"
duration="${DURATION:-10s}"
warmup="${WARMUP:-2s}"
workloads="${WORKLOADS:-write,mixed,read}"
watchers="${WATCHERS:-10,100}"
read_ratio="${READ_RATIO:-0.9}"
outstanding="${OUTSTANDING:-1}"
value_size="${VALUE_SIZE:-100}"
keys="${KEYS:-1000}"
only="${ONLY:-}"
base="${BASE:-}"
keep_data=0
ensemble="${ENSEMBLE:-0}"

die_usage() {
  echo "compare-zookeeper: $1" >&2
  echo "Run 'bench/compare-zookeeper.sh --help' for the options." >&2
  exit 2
}

while [ $# -gt 0 ]; do
  arg="$1"
  case "$arg" in
    -h|--help) usage; exit 0 ;;
    --keep-data) keep_data=1; shift; continue ;;
    --ensemble) ensemble=1; shift; continue ;;
    --*=*) name="${arg%%=*}"; value="${arg#*=}"; shift ;;
    --*)
      name="$arg"
      [ $# -ge 2 ] || die_usage "$name needs a value"
      value="$2"; shift 2 ;;
    *) die_usage "'$arg' is not an option" ;;
  esac
  case "$name" in
    --rounds) rounds="$value" ;;
    --clients) clients="$value" ;;
    --duration) duration="$value" ;;
    --warmup) warmup="$value" ;;
    --workloads) workloads="$value" ;;
    --watchers) watchers="$value" ;;
    --read-ratio) read_ratio="$value" ;;
    --outstanding) outstanding="$value" ;;
    --value-size) value_size="$value" ;;
    --keys) keys="$value" ;;
    --only) only="$value" ;;
    --base) base="$value" ;;
    *) die_usage "unknown option $name" ;;
  esac
done

[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || die_usage "--rounds: '$rounds' is not a whole number above 0"
IFS=',' read -r -a workload_list <<< "$workloads"
[ ${#workload_list[@]} -gt 0 ] || die_usage "--workloads: none given"
for w in "${workload_list[@]}"; do
  case "$w" in
    write|mixed|read|create|churn|watch|lock) ;;
    *) die_usage "--workloads: '$w' is not write, mixed, read, create, churn, watch or lock" ;;
  esac
done
case "$ensemble" in
  0|"") size=1 ;;
  1) size=3 ;;
  *) die_usage "ENSEMBLE: '$ensemble' is not 0 or 1" ;;
esac
case "$only" in
  "") servers=(zookeeper paddock) ;;
  zookeeper|paddock) servers=("$only") ;;
  *) die_usage "--only: '$only' is not zookeeper or paddock" ;;
esac
if [ ! -f "$build_dir/classes/io/paddock/Main.class" ] || [ ! -d "$build_dir/lib" ]; then
  echo "compare-zookeeper: no build of Paddock in $build_dir." >&2
  echo "Build it first, from $PADDOCK_HOME: mvn -B -q -Dmaven.test.skip=true package -Dpaddock.buildDir=$build_dir" >&2
  exit 1
fi
# The options each workload takes: the bench refuses one that a workload would ignore.
workload_options() {
  case "$1" in
    write|read) echo --clients "$clients" --outstanding "$outstanding" --value-size "$value_size" --keys "$keys" ;;
    mixed) echo --clients "$clients" --outstanding "$outstanding" --value-size "$value_size" --keys "$keys" \
      --read-ratio "$read_ratio" ;;
    create) echo --clients "$clients" --outstanding "$outstanding" --value-size "$value_size" ;;
    churn|lock) echo --clients "$clients" ;;
    watch) echo --watchers "$watchers" --value-size "$value_size" ;;
  esac
}
# The bench checks --clients, --duration and the rest itself: asked to reach a port where nothing
# listens, it exits 2 for a bad option and 1 for the port, before any server is started here.
for w in "${workload_list[@]}"; do
  read -r -a check_options <<< "$(workload_options "$w")"
  check_rc=0
  check_err="$("$paddock" bench --protocol zk --url 127.0.0.1:1 --workload "$w" "${check_options[@]}" \
    --duration "$duration" --warmup "$warmup" 2>&1 > /dev/null)" || check_rc=$?
  if [ "$check_rc" = 2 ]; then
    first_line="${check_err%%$'\n'*}"
    die_usage "${first_line#paddock bench: }"
  elif [ "$check_rc" != 1 ]; then
    echo "compare-zookeeper: $paddock bench --workload $w does not run as expected (exit $check_rc):" >&2
    echo "$check_err" >&2
    exit 1
  fi
done

script_name=compare-zookeeper
# shellcheck source=bench/lib.sh
source "$PADDOCK_HOME/bench/lib.sh"

# --- readiness ---------------------------------------------------------------------------------

# Sends a four-letter word and prints the answer (empty when nothing answers within 3 s).
four_letter() {
  timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1" && printf "%s" "$2" >&3 && cat <&3' "$1" "$2" "$3" 2> /dev/null || true
}

# Per process ("zookeeper-1", "paddock-2", ...): its pid, log and ports; per server kind: its
# processes in server-id order, and the --url that reaches them all.
declare -A pids=()
declare -A logs=()
declare -A client_ports=()
declare -A peer_ports=()
declare -A election_ports=()
declare -A http_ports=()
declare -A members=()
declare -A urls=()

# Waits until every process of a server kind answers srvr as serving ("Mode: ..."), which
# ZooKeeper and Paddock both do only once they serve clients, and, for an ensemble, one of them
# leads; gives up when a process dies or after 180 s (several JVMs start at once here).
await_serving() {
  local name="$1" deadline=$((SECONDS + 180)) member answer mode modes serving
  while [ $SECONDS -lt $deadline ]; do
    modes=""
    serving=0
    for member in ${members[$name]}; do
      if ! kill -0 "${pids[$member]}" 2> /dev/null; then
        log "$member exited before it served; the end of ${logs[$member]}:"
        tail -n 30 "${logs[$member]}" >&2
        exit 1
      fi
      answer="$(four_letter 127.0.0.1 "${client_ports[$member]}" srvr)"
      mode="$(grep -m1 -o 'Mode: [a-z]*' <<< "$answer" || true)"
      if [ -n "$mode" ]; then
        serving=$((serving + 1))
        modes+="${modes:+ }${mode#Mode: }"
      fi
    done
    if [ "$serving" = "$size" ] && { [ "$size" = 1 ] || [[ "$modes" == *leader* ]]; }; then
      log "$name serves at ${urls[$name]} ($modes)"
      return 0
    fi
    sleep 0.2
  done
  log "$name does not serve at ${urls[$name]} within 180 s (serving: ${modes:-none}); the end of each log:"
  for member in ${members[$name]}; do
    echo "--- ${logs[$member]}" >&2
    tail -n 15 "${logs[$member]}" >&2
  done
  exit 1
}

bench_pid=""
stop_all() {
  local name pid
  # The bench first, while the servers still run: SIGTERM lets it delete its /bench-* znode.
  if [ -n "$bench_pid" ]; then
    kill -TERM "$bench_pid" 2> /dev/null || true
    wait "$bench_pid" 2> /dev/null || true
    bench_pid=""
  fi
  for name in "${!pids[@]}"; do
    pid="${pids[$name]}"
    kill -TERM "$pid" 2> /dev/null || true
  done
  for name in "${!pids[@]}"; do
    pid="${pids[$name]}"
    for _ in $(seq 1 300); do
      kill -0 "$pid" 2> /dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2> /dev/null; then
      log "$name (pid $pid) outlived SIGTERM for 30 s; SIGKILL"
      kill -KILL "$pid" 2> /dev/null || true
    fi
    wait "$pid" 2> /dev/null || true
  done
  pids=()
  if [ "$keep_data" = 0 ] && [ -n "$base" ]; then
    rm -rf "$base"/zookeeper/server-*/data "$base"/zookeeper/server-*/datalog "$base"/paddock/server-*/data
  fi
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- the servers ---------------------------------------------------------------------------------

# Chooses every port of a server kind's processes (client, peer, election, HTTP for Paddock; on
# 127.0.0.1) and records them with the kind's members and --url.
plan() {
  local name="$1" i url=""
  members[$name]=""
  for i in $(seq 1 "$size"); do
    free_port; client_ports[$name-$i]="$port_found"
    free_port; peer_ports[$name-$i]="$port_found"
    free_port; election_ports[$name-$i]="$port_found"
    free_port; http_ports[$name-$i]="$port_found"
    members[$name]+="${members[$name]:+ }$name-$i"
    url+="${url:+,}127.0.0.1:${client_ports[$name-$i]}"
  done
  urls[$name]="$url"
}

# The server.N lines of an ensemble, in zoo.cfg syntax (both servers read it); none for one server.
server_lines() {
  local name="$1" i
  [ "$size" = 1 ] && return 0
  for i in $(seq 1 "$size"); do
    echo "server.$i=127.0.0.1:${peer_ports[$name-$i]}:${election_ports[$name-$i]}"
  done
}

start_zookeeper() {
  local i dir main
  plan zookeeper
  # The classes zkServer.sh runs: ZooKeeperServerMain alone, QuorumPeerMain for an ensemble.
  if [ "$size" = 1 ]; then
    main=org.apache.zookeeper.server.ZooKeeperServerMain
  else
    main=org.apache.zookeeper.server.quorum.QuorumPeerMain
  fi
  read -r -a java_opts <<< "${JAVA_OPTS:-}"
  for i in $(seq 1 "$size"); do
    dir="$base/zookeeper/server-$i"
    mkdir -p "$dir/data" "$dir/datalog"
    [ "$size" = 1 ] || echo "$i" > "$dir/data/myid"
    cat > "$dir/zoo.cfg" <<EOF
# Written by bench/compare-zookeeper.sh: Apache ZooKeeper $ZK_VERSION, server $i of $size.
tickTime=2000
initLimit=10
syncLimit=5
dataDir=$dir/data
dataLogDir=$dir/datalog
clientPort=${client_ports[zookeeper-$i]}
clientPortAddress=127.0.0.1
# No limit on connections from one address: ZooKeeper's default (60) would refuse larger runs.
maxClientCnxns=0
4lw.commands.whitelist=*
admin.enableServer=false
# ZooKeeper's default, written out: the transaction log is forced to disk before a write is acknowledged.
forceSync=yes
$(server_lines zookeeper)
EOF
    cat > "$dir/logback.xml" <<'EOF'
<configuration>
  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%d{ISO8601} [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="STDOUT"/></root>
</configuration>
EOF
    logs[zookeeper-$i]="$dir/server.log"
    # Started as zkServer.sh starts it, less its default -Xmx1000m: every server gets the same JVM options.
    (cd "$dir" && exec java ${java_opts[@]+"${java_opts[@]}"} -Dlogback.configurationFile="$dir/logback.xml" \
      -Dzookeeper.log.dir="$dir" -cp "$zk_lib/*" "$main" "$dir/zoo.cfg" > "$dir/server.log" 2>&1 < /dev/null) &
    pids[zookeeper-$i]=$!
    log "started ZooKeeper $ZK_VERSION server $i of $size (pid ${pids[zookeeper-$i]}), config $dir/zoo.cfg"
  done
}

start_paddock() {
  local i dir
  plan paddock
  for i in $(seq 1 "$size"); do
    dir="$base/paddock/server-$i"
    mkdir -p "$dir/data"
    [ "$size" = 1 ] || echo "$i" > "$dir/data/myid"
    # conf/paddock.cfg with this server's folder, ports, fsync and ensemble; every other setting as shipped.
    grep -v -E '^[[:space:]]*(dataDir|clientPort|clientPortAddress|httpPort|forceSync|server\.[0-9]+)[[:space:]]*=' \
      "$PADDOCK_HOME/conf/paddock.cfg" > "$dir/paddock.cfg"
    cat >> "$dir/paddock.cfg" <<EOF

# Set by bench/compare-zookeeper.sh: server $i of $size.
dataDir=$dir/data
clientPort=${client_ports[paddock-$i]}
clientPortAddress=127.0.0.1
httpPort=${http_ports[paddock-$i]}
forceSync=yes
$(server_lines paddock)
EOF
    logs[paddock-$i]="$dir/server.log"
    (cd "$dir" && exec "$paddock" server "$dir/paddock.cfg" > "$dir/server.log" 2>&1 < /dev/null) &
    pids[paddock-$i]=$!
    log "started Paddock server $i of $size (pid ${pids[paddock-$i]}), config $dir/paddock.cfg"
  done
}

# --- the runs --------------------------------------------------------------------------------------

failed=0
# One bench invocation: every --clients value of one workload against one server; its JSON lines
# go to results.jsonl with the server and the round in front.
run_bench() {
  local round="$1" name="$2" workload="$3" out="$base/runs/r$1-$2-$3"
  local options
  read -r -a options <<< "$(workload_options "$workload")"
  log "round $round: $workload against $name"
  # In the background and waited for, so that a signal to this script is handled at once.
  "$paddock" bench --protocol zk --url "${urls[$name]}" --workload "$workload" "${options[@]}" \
    --duration "$duration" --warmup "$warmup" > "$out.out" 2> "$out.err" &
  bench_pid=$!
  local rc=0
  wait "$bench_pid" || rc=$?
  bench_pid=""
  if [ "$rc" = 0 ]; then
    grep '^{' "$out.out" | sed "s/^{/{\"server\":\"$name\",\"round\":$round,/" >> "$base/results.jsonl"
    grep -v '^{' "$out.out" | sed 's/^/    /' >&2
  else
    failed=1
    log "the bench failed against $name (exit $rc); the end of $out.err:"
    tail -n 20 "$out.err" >&2
  fi
}

# The table: per workload and clients, each server's median ops/s [lowest–highest], median p50 and
# p99 over the rounds, errors summed, and Paddock's medians over ZooKeeper's.
summarize() {
  awk -v workloads="$workloads" -v clients="$clients" -v watchers="$watchers" -v servers="${servers[*]}" '
    function field(line, name,   v) {
      if (!match(line, "\"" name "\":(\"[^\"]*\"|[-0-9.]+)")) return ""
      v = substr(line, RSTART + length(name) + 3, RLENGTH - length(name) - 3)
      gsub(/"/, "", v)
      return v
    }
    function median(list,   n, a, i, j, t) {
      n = split(list, a, " ")
      for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
      if (n == 0) return ""
      return n % 2 ? a[(n + 1) / 2] + 0 : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    function lowest(list,   n, a, i, m) { n = split(list, a, " "); m = a[1] + 0; for (i = 2; i <= n; i++) if (a[i] + 0 < m) m = a[i] + 0; return m }
    function highest(list,   n, a, i, m) { n = split(list, a, " "); m = a[1] + 0; for (i = 2; i <= n; i++) if (a[i] + 0 > m) m = a[i] + 0; return m }
    function ratio(a, b) { return (a == "" || b == "" || b + 0 == 0) ? "–" : sprintf("%.2f", a / b) }
    {
      key = field($0, "server") SUBSEP field($0, "workload") SUBSEP field($0, "clients")
      ops[key] = ops[key] " " field($0, "opsPerSec")
      p50[key] = p50[key] " " field($0, "p50Ms")
      p99[key] = p99[key] " " field($0, "p99Ms")
      errs[key] += field($0, "errors")
      runs[key]++
    }
    END {
      ns = split(servers, srv, " ")
      nw = split(workloads, wl, ",")
      ncl = split(clients, clientList, ",")
      nwa = split(watchers, watcherList, ",")
      header = "| workload | clients |"
      rule = "|---|---:|"
      for (s = 1; s <= ns; s++) {
        label = srv[s] == "zookeeper" ? "ZooKeeper" : "Paddock"
        header = header " " label " ops/s [min–max] | p50 ms | p99 ms | errors |"
        rule = rule "---:|---:|---:|---:|"
      }
      if (ns == 2) { header = header " Paddock/ZooKeeper ops/s | p50 | p99 |"; rule = rule "---:|---:|---:|" }
      print header
      print rule
      for (w = 1; w <= nw; w++) {
        # A watch run is named by its watchers, every other by its clients.
        nc = wl[w] == "watch" ? nwa : ncl
        for (c = 1; c <= nc; c++) cl[c] = wl[w] == "watch" ? watcherList[c] : clientList[c]
        for (c = 1; c <= nc; c++) {
        row = "| " wl[w] " | " cl[c] " |"
        for (s = 1; s <= ns; s++) {
          key = srv[s] SUBSEP wl[w] SUBSEP (cl[c] + 0)
          if (!(key in runs)) { row = row " – | – | – | – |"; mo[s] = ""; m50[s] = ""; m99[s] = ""; continue }
          mo[s] = median(ops[key]); m50[s] = median(p50[key]); m99[s] = median(p99[key])
          row = row sprintf(" %.0f [%.0f–%.0f] | %.3f | %.3f | %d |", mo[s], lowest(ops[key]), highest(ops[key]),
                            m50[s], m99[s], errs[key])
        }
        if (ns == 2) row = row " " ratio(mo[2], mo[1]) " | " ratio(m50[2], m50[1]) " | " ratio(m99[2], m99[1]) " |"
        print row
        }
      }
    }' "$base/results.jsonl"
}

# --- main ----------------------------------------------------------------------------------------

work_folder
mkdir -p "$base/runs"
: > "$base/results.jsonl"
log "work folder $base ($fs_type, $(df -h --output=source "$base" | tail -n 1 | tr -d ' '))"

for name in "${servers[@]}"; do
  case "$name" in
    zookeeper) fetch_zookeeper; start_zookeeper ;;
    paddock) start_paddock ;;
  esac
done
for name in "${servers[@]}"; do
  await_serving "$name"
done

{
  if [ "$size" = 1 ]; then
    echo "# Paddock against Apache ZooKeeper $ZK_VERSION, standalone: bench --protocol zk"
  else
    echo "# Paddock against Apache ZooKeeper $ZK_VERSION, ensembles of $size: bench --protocol zk"
  fi
  echo
  echo "date $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, $(java -version 2>&1 | head -n 1)"
  echo "rounds $rounds, clients $clients (watch: watchers $watchers), duration $duration, warm-up $warmup, outstanding $outstanding," \
    "values of $value_size bytes, $keys keys, mixed read ratio $read_ratio; servers: ${servers[*]}"
  echo
} > "$base/summary.md"

for round in $(seq 1 "$rounds"); do
  for name in "${servers[@]}"; do
    for workload in "${workload_list[@]}"; do
      run_bench "$round" "$name" "$workload"
    done
  done
done

summarize >> "$base/summary.md"
echo
cat "$base/summary.md"
echo
echo "Every run's JSON: $base/results.jsonl; outputs: $base/runs/; server logs: $base/*/server-*/server.log"
exit "$failed"
