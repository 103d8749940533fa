# bench/lib.sh: what bench/compare-zookeeper.sh and bench/compare-memory.sh share, sourced by
# both: their log line, their work folder, fetching Apache ZooKeeper's jars, and choosing free
# ports.
# The sourcing script sets script_name (its name in log lines), build_dir and ZK_VERSION.

log() {
  echo "$script_name: $*" >&2
}

# --- ZooKeeper's jars -----------------------------------------------------------------------

# Copies ZooKeeper and what its server needs at run time into <build>/zookeeper-<version>/lib,
# through Maven: offline first (~/.m2 may have them all), then from Maven Central. ZooKeeper's
# pom marks metrics-core and snappy-java "provided" (its distribution ships them in lib/), and
# its logging binding optional, so they are named here; logback is the one Paddock uses.
fetch_zookeeper() {
  local dir="$build_dir/zookeeper-$ZK_VERSION"
  zk_lib="$dir/lib"
  if [ -f "$zk_lib/zookeeper-$ZK_VERSION.jar" ] && [ -f "$dir/complete" ]; then
    return 0
  fi
  mkdir -p "$dir"
  rm -rf "$zk_lib" "$dir/complete"
  cat > "$dir/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by bench/$script_name.sh to fetch Apache ZooKeeper's server jars; not part of the build. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>io.paddock.bench</groupId>
  <artifactId>zookeeper-jars</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.zookeeper</groupId><artifactId>zookeeper</artifactId><version>$ZK_VERSION</version></dependency>
    <dependency><groupId>io.dropwizard.metrics</groupId><artifactId>metrics-core</artifactId><version>4.1.12.1</version></dependency>
    <dependency><groupId>org.xerial.snappy</groupId><artifactId>snappy-java</artifactId><version>1.1.10.5</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId><version>2.0.17</version></dependency>
    <dependency><groupId>ch.qos.logback</groupId><artifactId>logback-classic</artifactId><version>1.5.38</version></dependency>
  </dependencies>
</project>
EOF
  local goal=org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies
  local args=(-B -q -f "$dir/pom.xml" "$goal" -DoutputDirectory="$zk_lib" -DincludeScope=runtime)
  log "fetching Apache ZooKeeper $ZK_VERSION's jars into $zk_lib"
  if ! mvn -o "${args[@]}" > "$dir/mvn-offline.log" 2>&1; then
    log "not all in ~/.m2; asking Maven Central"
    if ! mvn "${args[@]}" > "$dir/mvn.log" 2>&1; then
      log "Maven could not fetch them; its output:"
      tail -n 30 "$dir/mvn.log" >&2
      exit 1
    fi
  fi
  touch "$dir/complete"
}

# --- ports -------------------------------------------------------------------------------------

taken_ports=" "
# Sets port_found to a port of 127.0.0.1 that nothing listens on and that this script has not
# chosen before (not in a subshell: the list of ports chosen must last). Ports are chosen outside
# the kernel's range of ephemeral ports: between the choice and a server's start, an outgoing
# connection (a starting ensemble's, say) may take any port of that range.
free_port() {
  local port low=32768 high=60999 from=20000 count=40000
  read -r low high < /proc/sys/net/ipv4/ip_local_port_range 2> /dev/null || true
  if (( low - 10000 >= 2000 )); then
    from=10000 count=$((low - 10000))
  elif (( 65535 - high >= 2000 )); then
    from=$((high + 1)) count=$((65535 - high))
  fi
  for _ in $(seq 1 200); do
    port=$((from + RANDOM % count))
    [[ "$taken_ports" == *" $port "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2> /dev/null; then
      taken_ports+="$port "
      port_found="$port"
      return 0
    fi
  done
  log "found no free port"
  exit 1
}

# --- the work folder ---------------------------------------------------------------------------

# Makes base (--base, or a new folder under <build>/<script_name>/) an absolute path that exists,
# and sets fs_type; a folder on tmpfs is refused, as fsync costs nothing there.
work_folder() {
  if [ -z "$base" ]; then
    mkdir -p "$build_dir/$script_name"
    base="$(mktemp -d "$build_dir/$script_name/run-$(date -u +%Y%m%dT%H%M%SZ)-XXXX")"
  else
    mkdir -p "$base"
  fi
  base="$(cd "$base" && pwd)"
  fs_type="$(stat -f -c %T "$base")"
  if [ "$fs_type" = tmpfs ] || [ "$fs_type" = ramfs ]; then
    log "$base is on $fs_type, where fsync costs nothing: choose another --base"
    exit 2
  fi
}
