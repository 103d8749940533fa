#!/usr/bin/env bash
# bench/compare-memory.sh [options]: heap and restart time of Paddock against Apache ZooKeeper
# 3.9.5 for the same large tree (by default 1,000,000 znodes of 100 bytes).
#
# One server at a time, so that they never share the CPUs: start each fresh with the same JVM
# options, load the tree through ZooKeeper's client protocol (pipelined creates), force two full
# GCs and read the heap used, stop it with SIGTERM. Then restart them in turns (ZooKeeper,
# Paddock, ZooKeeper, Paddock, ...) on their data, each timed from process start to its first srvr
# answer and to its first successful read of the last znode created, and read the heap again. Both servers run as bench/compare-zookeeper.sh runs them (its zoo.cfg, forceSync=yes,
# ZooKeeper's jars fetched the same way), standalone. Prints a side-by-side table with ratios.
#
# Run from anywhere; `--help` lists the options. Needs a build of Paddock (bin/paddock's), a JDK
# (java, jcmd) and mvn on PATH.
set -euo pipefail

ZK_VERSION="${ZOOKEEPER_VERSION:-3.9.5}"

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
loader_src="$PADDOCK_HOME/src/test/java/io/paddock/benchtools/ZnodeLoader.java"

usage() {
  cat <<EOF
Usage: bench/compare-memory.sh [options]

Loads the same tree into a real Apache ZooKeeper $ZK_VERSION standalone server and a Paddock
standalone server, one at a time, and compares the heap used after full GCs and the time a
restart takes to serve that tree again.

Options (each also settable by the environment variable in brackets):
  --rounds N          rounds; each loads ZooKeeper, then Paddock, then restarts them (ROUNDS, 1)
  --restarts N        restarts per round, taking turns: ZooKeeper, Paddock, ZooKeeper, ... (RESTARTS, 3)
  --parents N         parents under /mem (PARENTS, 1000)
  --children N        children of each parent (CHILDREN, 1000)
  --value-size BYTES  data of each child (VALUE_SIZE, 100)
  --only SERVER       zookeeper or paddock alone (ONLY)
  --base DIR          work folder (BASE; default: a new folder under <build>/compare-memory/);
                      tmpfs is refused, as it makes fsync free
  --keep-data         keep the servers' data folders
  -h, --help          this text

JVM options: SERVER_JAVA_OPTS (default "-Xmx4g") go to both servers; the JVM's defaults (G1)
otherwise. ZooKeeper: tickTime=2000, forceSync=yes, snapCount at its default (100000),
4lw.commands.whitelist=*, admin server off. Paddock: conf/paddock.cfg (snapCount=100000) with its
own dataDir, free ports, forceSync=yes. Each restores from its newest snapshot plus the log
after it; what each restored is printed from its log.
Results: <base>/results.tsv, <base>/summary.md, server logs and class histograms under <base>.
EOF
}

rounds="${ROUNDS:-1}"
restarts="${RESTARTS:-3}"
parents="${PARENTS:-1000}"
children="${CHILDREN:-1000}"
value_size="${VALUE_SIZE:-100}"
only="${ONLY:-}"
base="${BASE:-}"
keep_data=0
server_java_opts="${SERVER_JAVA_OPTS:--Xmx4g}"

die_usage() {
  echo "compare-memory: $1" >&2
  echo "Run 'bench/compare-memory.sh --help' for the options." >&2
  exit 2
}

while [ $# -gt 0 ]; do
  arg="$1"
  case "$arg" in
    -h|--help) usage; exit 0 ;;
    --keep-data) keep_data=1; shift; continue ;;
    --*=*) name="${arg%%=*}"; value="${arg#*=}"; shift ;;
    --*)
      name="$arg"
      [ $# -ge 2 ] || die_usage "$name needs a value"
      value="$2"; shift 2 ;;
    *) die_usage "'$arg' is not an option" ;;
  esac
  case "$name" in
    --rounds) rounds="$value" ;;
    --restarts) restarts="$value" ;;
    --parents) parents="$value" ;;
    --children) children="$value" ;;
    --value-size) value_size="$value" ;;
    --only) only="$value" ;;
    --base) base="$value" ;;
    *) die_usage "unknown option $name" ;;
  esac
done
for v in "$rounds" "$restarts" "$parents" "$children"; do
  [[ "$v" =~ ^[1-9][0-9]*$ ]] || die_usage "'$v' is not a whole number above 0"
done
[[ "$value_size" =~ ^[0-9]+$ ]] || die_usage "--value-size: '$value_size' is not a whole number"
case "$only" in
  "") servers=(zookeeper paddock) ;;
  zookeeper|paddock) servers=("$only") ;;
  *) die_usage "--only: '$only' is not zookeeper or paddock" ;;
esac
if [ ! -f "$build_dir/classes/io/paddock/Main.class" ] || [ ! -d "$build_dir/lib" ]; then
  echo "compare-memory: no build of Paddock in $build_dir." >&2
  echo "Build it first, from $PADDOCK_HOME: mvn -B -q -Dmaven.test.skip=true package -Dpaddock.buildDir=$build_dir" >&2
  exit 1
fi

script_name=compare-memory
# shellcheck source=bench/lib.sh
source "$PADDOCK_HOME/bench/lib.sh"

# --- processes ---------------------------------------------------------------------------------

server_pid=""
tool_pid=""
stop_server() {
  [ -n "$server_pid" ] || return 0
  kill -TERM "$server_pid" 2> /dev/null || true
  for _ in $(seq 1 600); do
    kill -0 "$server_pid" 2> /dev/null || break
    sleep 0.1
  done
  if kill -0 "$server_pid" 2> /dev/null; then
    log "pid $server_pid outlived SIGTERM for 60 s; SIGKILL"
    kill -KILL "$server_pid" 2> /dev/null || true
  fi
  wait "$server_pid" 2> /dev/null || true
  server_pid=""
}
cleanup() {
  if [ -n "$tool_pid" ]; then
    kill -TERM "$tool_pid" 2> /dev/null || true
    wait "$tool_pid" 2> /dev/null || true
  fi
  stop_server
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Runs ZnodeLoader (ZooKeeper's client, from its jars; compiled once into <base>/tool-classes) in
# the background and waits, so that a signal to this script is handled at once.
tool() {
  java -Dlogback.configurationFile="$base/tool-logback.xml" -cp "$base/tool-classes:$zk_lib/*" \
    io.paddock.benchtools.ZnodeLoader "$@"
}
run_tool() {
  local out="$1"
  shift
  tool "$@" > "$out" 2>&1 &
  tool_pid=$!
  local rc=0
  wait "$tool_pid" || rc=$?
  tool_pid=""
  return "$rc"
}

# Starts server $1 on folder $2 logging to $3 once a ZnodeLoader await poller is up (so that
# neither JVM's start-up slows the other's); sets start_ms to when the server process started
# and srvr_ms / read_ms to how long after that it answered srvr and served a read of $4.
start_and_time() {
  local name="$1" dir="$2" logfile="$3" path="$4" out="$2/await-$(basename "$3" .log).out"
  tool await "127.0.0.1:$port" "$path" > "$out" 2>&1 &
  tool_pid=$!
  for _ in $(seq 1 300); do
    grep -q '^polling' "$out" && break
    kill -0 "$tool_pid" 2> /dev/null || break
    sleep 0.1
  done
  start_ms="$(date +%s%3N)"
  start_server "$name" "$dir" "$logfile"
  echo "process started at $(date -u -d "@${start_ms:0:-3}.${start_ms: -3}" '+%Y-%m-%d %H:%M:%S.%3N') UTC (pid $server_pid)" > "$dir/$(basename "$logfile" .log).started"
  local rc=0
  wait "$tool_pid" || rc=$?
  tool_pid=""
  if [ "$rc" != 0 ]; then
    log "$name did not serve; the end of $out and of its log:"
    tail -n 10 "$out" >&2
    tail -n 30 "$logfile" >&2
    exit 1
  fi
  srvr_ms=$(( $(grep -o 'srvr_at=[0-9]*' "$out" | cut -d= -f2) - start_ms ))
  read_ms=$(( $(grep -o 'read_at=[0-9]*' "$out" | cut -d= -f2) - start_ms ))
}

# Starts one server of kind $1 on data folder $2 (made by write_config), logging to $3.
start_server() {
  local name="$1" dir="$2" logfile="$3"
  read -r -a java_opts <<< "$server_java_opts"
  case "$name" in
    zookeeper)
      (cd "$dir" && exec java "${java_opts[@]}" -Dlogback.configurationFile="$dir/logback.xml" \
        -Dzookeeper.log.dir="$dir" -cp "$zk_lib/*" org.apache.zookeeper.server.ZooKeeperServerMain \
        "$dir/zoo.cfg" > "$logfile" 2>&1 < /dev/null) &
      ;;
    paddock)
      (cd "$dir" && JAVA_OPTS="$server_java_opts" exec "$paddock" server "$dir/paddock.cfg" > "$logfile" 2>&1 < /dev/null) &
      ;;
  esac
  server_pid=$!
}

write_config() {
  local name="$1" dir="$2" port="$3"
  mkdir -p "$dir/data" "$dir/datalog"
  case "$name" in
    zookeeper)
      cat > "$dir/zoo.cfg" <<EOF
# Written by bench/compare-memory.sh: Apache ZooKeeper $ZK_VERSION, standalone, as compare-zookeeper.sh runs it.
tickTime=2000
initLimit=10
syncLimit=5
dataDir=$dir/data
dataLogDir=$dir/datalog
clientPort=$port
clientPortAddress=127.0.0.1
maxClientCnxns=0
4lw.commands.whitelist=*
admin.enableServer=false
forceSync=yes
EOF
      cat > "$dir/logback.xml" <<'EOF'
<configuration>
  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%d{ISO8601} [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="STDOUT"/></root>
</configuration>
EOF
      ;;
    paddock)
      free_port
      grep -v -E '^[[:space:]]*(dataDir|clientPort|clientPortAddress|httpPort|forceSync|server\.[0-9]+)[[:space:]]*=' \
        "$PADDOCK_HOME/conf/paddock.cfg" > "$dir/paddock.cfg"
      cat >> "$dir/paddock.cfg" <<EOF

# Set by bench/compare-memory.sh.
dataDir=$dir/data
clientPort=$port
clientPortAddress=127.0.0.1
httpPort=$port_found
forceSync=yes
EOF
      ;;
  esac
}

# Two full GCs, then the heap used in KB (G1's "used" after them).
heap_used_kb() {
  local pid="$1"
  jcmd "$pid" GC.run > /dev/null
  jcmd "$pid" GC.run > /dev/null
  jcmd "$pid" GC.heap_info | grep -m1 -o 'used [0-9]*K' | grep -o '[0-9]*'
}

# What the server's log says it restored: Paddock's "Recovered ..." line; ZooKeeper's snapshot
# and log replay lines.
restore_lines() {
  local name="$1" logfile="$2"
  case "$name" in
    zookeeper) grep -E 'Reading snapshot|Snapshot loaded in|txns loaded in|Snapshot taken in' "$logfile" || true ;;
    paddock) grep -E 'Recovered zxid' "$logfile" || true ;;
  esac
}

# The load time the server itself logs, in ms: Paddock's recovery (snapshot and log); ZooKeeper's
# ZKDatabase "Snapshot loaded in" (its whole restore: snapshot and log; the snapshot ZooKeeper
# takes at start-up after that is printed, not added).
logged_load_ms() {
  local name="$1" logfile="$2"
  case "$name" in
    zookeeper)
      awk '/Snapshot loaded in/ { if (match($0, /loaded in [0-9]+ ms/)) { s = substr($0, RSTART + 10, RLENGTH - 13) + 0 } }
           END { print s }' "$logfile" ;;
    paddock)
      grep -m1 -o 'in [0-9]* ms$' <(grep 'Recovered zxid' "$logfile") | grep -o '[0-9]*' || echo "" ;;
  esac
}

# Loads one server: fresh start, heap when empty, the load, heap with the tree, stop (data kept
# for the restarts). One row of results.tsv: round, server, "load", then its columns.
load_server() {
  local round="$1" name="$2" dir="$base/r$1-$2" load_out rc
  free_port
  port="$port_found"
  ports[$name]="$port"
  rm -rf "$dir"
  write_config "$name" "$dir" "$port"
  log "round $round: $name, fresh, port $port"
  start_and_time "$name" "$dir" "$dir/server-0.log" /
  local first_pid="$server_pid" fresh_srvr_ms="$srvr_ms"
  local empty_kb
  empty_kb="$(heap_used_kb "$first_pid")"
  log "$name: heap used when empty ${empty_kb} KB; loading $parents x $children znodes of $value_size bytes"
  rc=0
  run_tool "$dir/load.out" load "127.0.0.1:$port" "$parents" "$children" "$value_size" || rc=$?
  if [ "$rc" != 0 ]; then
    log "the load failed against $name:"; tail -n 20 "$dir/load.out" >&2; exit 1
  fi
  load_out="$(grep '^loaded' "$dir/load.out")"
  local load_ms
  load_ms="$(grep -o 'in [0-9]* ms' <<< "$load_out" | grep -o '[0-9]*')"
  local loaded_kb
  loaded_kb="$(heap_used_kb "$first_pid")"
  jcmd "$first_pid" GC.class_histogram > "$dir/histogram-loaded.txt" 2>&1 || true
  log "$name: $load_out; heap used ${loaded_kb} KB"
  stop_server
  log "$name: stopped (data: $(du -sh "$dir/data" | cut -f1) data, $(du -sh "$dir/datalog" | cut -f1) datalog)"
  printf '%s\t%s\tload\t%s\t%s\t%s\t%s\t\t\t\t\t\n' "$round" "$name" "$fresh_srvr_ms" "$empty_kb" "$loaded_kb" \
    "$load_ms" >> "$base/results.tsv"
}

# Restarts a loaded server on its data and times it until it answers srvr and serves a read of
# the last child created; then the heap, and stop. One row of results.tsv.
restart_server() {
  local round="$1" restart="$2" name="$3" dir="$base/r$1-$3"
  port="${ports[$name]}"
  local known
  known="$(printf '/mem/p%04d/c%04d' $((parents - 1)) $((children - 1)))"
  local loadavg
  loadavg="$(cut -d' ' -f1 /proc/loadavg)"
  log "round $round, restart $restart: $name (load average $loadavg)"
  start_and_time "$name" "$dir" "$dir/server-$restart.log" "$known"
  local logged_ms restarted_kb
  logged_ms="$(logged_load_ms "$name" "$dir/server-$restart.log")"
  restarted_kb="$(heap_used_kb "$server_pid")"
  log "$name: restarted: srvr after $srvr_ms ms, read after $read_ms ms, logged load $logged_ms ms; heap ${restarted_kb} KB"
  restore_lines "$name" "$dir/server-$restart.log" | sed 's/^/    /' >&2
  {
    echo "round $round, restart $restart, $name (load average $loadavg when started):"
    echo '```'
    restore_lines "$name" "$dir/server-$restart.log" | sed -E 's/^.*(INFO|WARN) +//'
    echo '```'
  } >> "$base/restores.md"
  stop_server
  printf '%s\t%s\trestart\t\t\t\t\t%s\t%s\t%s\t%s\t%s\n' "$round" "$name" "$srvr_ms" "$read_ms" "$logged_ms" \
    "$restarted_kb" "$loadavg" >> "$base/results.tsv"
}

summarize() {
  awk -F'\t' -v servers="${servers[*]}" '
    function median(list,   n, a, i, j, t) {
      n = split(list, a, " ")
      for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
      if (n == 0) return ""
      return n % 2 ? a[(n + 1) / 2] + 0 : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    function span(list,   n, a, i, lo, hi) {
      n = split(list, a, " "); lo = a[1] + 0; hi = a[1] + 0
      for (i = 2; i <= n; i++) { if (a[i] + 0 < lo) lo = a[i] + 0; if (a[i] + 0 > hi) hi = a[i] + 0 }
      return lo "–" hi
    }
    {
      for (c = 4; c <= 12; c++) if ($c != "") v[$2, c] = v[$2, c] " " $c
    }
    END {
      label[4] = "fresh start, empty data: process start to srvr (ms)"; scale[4] = 1
      label[5] = "heap used, empty server, after full GC (MB)"; scale[5] = 1024
      label[6] = "heap used with the tree, after full GC (MB)"; scale[6] = 1024
      label[7] = "load time through the client (ms)"; scale[7] = 1
      label[8] = "restart: process start to srvr (ms)"; scale[8] = 1
      label[9] = "restart: process start to first read of the last child (ms)"; scale[9] = 1
      label[10] = "restart: load time the server logs (ms)"; scale[10] = 1
      label[11] = "heap used after restart, after full GC (MB)"; scale[11] = 1024
      label[12] = "1-minute load average when the restart began"; scale[12] = 1
      ns = split(servers, srv, " ")
      header = "| measure |"; rule = "|---|"
      for (s = 1; s <= ns; s++) { header = header " " (srv[s] == "zookeeper" ? "ZooKeeper" : "Paddock") " median [min–max] |"; rule = rule "---:|" }
      if (ns == 2) { header = header " Paddock/ZooKeeper |"; rule = rule "---:|" }
      print header; print rule
      for (c = 4; c <= 12; c++) {
        row = "| " label[c] " |"
        for (s = 1; s <= ns; s++) {
          m[s] = median(v[srv[s], c])
          n = split(v[srv[s], c], a, " "); lst = ""
          for (i = 1; i <= n; i++) lst = lst " " (c == 12 ? a[i] : sprintf("%.0f", a[i] / scale[c]))
          row = row sprintf(" %s [%s] |", c == 12 ? m[s] : sprintf("%.0f", m[s] / scale[c]), span(lst))
        }
        if (ns == 2) row = row (m[1] + 0 == 0 ? " – |" : sprintf(" %.2f |", m[2] / m[1]))
        print row
      }
    }' "$base/results.tsv"
}

# --- main ------------------------------------------------------------------------------------------

work_folder
: > "$base/results.tsv"
: > "$base/restores.md"
cat > "$base/tool-logback.xml" <<'EOF'
<configuration>
  <appender name="STDERR" class="ch.qos.logback.core.ConsoleAppender">
    <target>System.err</target>
    <encoder><pattern>%d{ISO8601} %-5p %m%n</pattern></encoder>
  </appender>
  <root level="WARN"><appender-ref ref="STDERR"/></root>
</configuration>
EOF
log "work folder $base ($fs_type)"
# ZooKeeper's jars hold the client the loader uses, so they are fetched even for --only paddock.
fetch_zookeeper
mkdir -p "$base/tool-classes"
javac -nowarn -d "$base/tool-classes" -cp "$zk_lib/*" "$loader_src"

declare -A ports=()
for round in $(seq 1 "$rounds"); do
  for name in "${servers[@]}"; do
    load_server "$round" "$name"
  done
  for restart in $(seq 1 "$restarts"); do
    for name in "${servers[@]}"; do
      restart_server "$round" "$restart" "$name"
    done
  done
  if [ "$keep_data" = 0 ]; then
    for name in "${servers[@]}"; do
      rm -rf "$base/r$round-$name/data" "$base/r$round-$name/datalog"
    done
  fi
done

{
  echo "# Paddock against Apache ZooKeeper $ZK_VERSION: heap and restart with a large tree"
  echo
  echo "date $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, $(java -version 2>&1 | head -n 1)"
  echo "tree: /mem, $parents parents x $children children of $value_size bytes" \
    "($((1 + parents + parents * children)) znodes created); server JVM options: $server_java_opts;" \
    "rounds $rounds of one load and $restarts restarts each; servers: ${servers[*]}"
  echo
  summarize
  echo
  cat "$base/restores.md"
} > "$base/summary.md"
echo
cat "$base/summary.md"
echo
echo "Results: $base/results.tsv; server logs and class histograms: $base/r*-*/"
