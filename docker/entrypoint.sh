#!/usr/bin/env bash
# The image's entrypoint (installed as /opt/paddock/bin/docker-entrypoint): runs bin/paddock with
# the container's arguments. For `server` without a config file of its own, it first writes the
# settings given by PADDOCK_* environment variables into $PADDOCK_CONF_DIR/paddock.cfg and, for an
# ensemble member, the server's id into dataDir/myid. With none of them set, the image's
# paddock.cfg is used as it is (a standalone server).
#
#   PADDOCK_SERVERS   the ensemble, entries separated by commas or spaces:
#                     "1=paddock1:2888:3888;paddock1:2181,4=paddock4:2888:3888:observer;paddock4:2181"
#                     (id=host:peerPort:electionPort[:observer|:participant][;[clientHost:]clientPort];
#                     "server.1=" also works). The client address after ';' is what /zookeeper/config
#                     shows clients (Curator connects to it); without it that server shows none
#   PADDOCK_MYID      this server's id, one of PADDOCK_SERVERS' (required with it)
#   PADDOCK_QUORUM_LISTEN_ON_ALL_IPS  true (the default) or false: with true, the peer port listens
#                     on 0.0.0.0 while the others reach it by the name in its server.N line, which
#                     inside a container may not resolve to an address the container can bind
#   PADDOCK_TICK_TIME, PADDOCK_INIT_LIMIT, PADDOCK_SYNC_LIMIT, PADDOCK_DATA_DIR,
#   PADDOCK_CLIENT_PORT, PADDOCK_HTTP_PORT   tickTime, initLimit, syncLimit, dataDir, clientPort, httpPort
#   PADDOCK_CFG_EXTRA any other key=value settings, separated by spaces or newlines
#                     (e.g. "forceSync=no snapCount=10000"); the named variables above win over it
#
# The file is rewritten at every start from what it holds: keys are replaced where they stand and
# everything from the "written by" line on is regenerated, so a restarted container gets the same
# file. Exit status 2 for a bad variable, as bin/paddock's for a bad config.
set -euo pipefail

home="${PADDOCK_HOME:-/opt/paddock}"
conf_dir="${PADDOCK_CONF_DIR:-$home/conf}"
cfg="$conf_dir/paddock.cfg"
paddock="$home/bin/paddock"
mark="# ---- written by docker-entrypoint from PADDOCK_* variables"

fail() {
  echo "docker-entrypoint: $*" >&2
  exit 2
}

if [ "$#" -eq 0 ]; then
  set -- server
fi
if [ "$1" != "server" ] || [ "$#" -gt 1 ]; then
  exec "$paddock" "$@"
fi

settings_given=no
for name in PADDOCK_SERVERS PADDOCK_MYID PADDOCK_TICK_TIME PADDOCK_INIT_LIMIT PADDOCK_SYNC_LIMIT \
            PADDOCK_DATA_DIR PADDOCK_CLIENT_PORT PADDOCK_HTTP_PORT PADDOCK_CFG_EXTRA; do
  if [ -n "${!name:-}" ]; then
    settings_given=yes
  fi
done
if [ "$settings_given" = no ]; then
  exec "$paddock" server
fi

# ---- the settings, in the order they are written; a later one for the same key wins ----------
keys=()
declare -A value_of=()
set_key() {
  local key="$1" value="$2"
  [[ "$key" =~ ^[A-Za-z][A-Za-z0-9._]*$ ]] || fail "not a config key: '$key'"
  if [[ "$key" == server.* ]]; then
    fail "give the ensemble in PADDOCK_SERVERS, not as '$key'"
  fi
  if [ -z "${value_of[$key]+set}" ]; then
    keys+=("$key")
  fi
  value_of[$key]="$value"
}

if [ -n "${PADDOCK_CFG_EXTRA:-}" ]; then
  read -r -d '' -a extra <<< "$PADDOCK_CFG_EXTRA" || true
  for setting in "${extra[@]}"; do
    [[ "$setting" == *=* ]] || fail "PADDOCK_CFG_EXTRA: not key=value: '$setting'"
    set_key "${setting%%=*}" "${setting#*=}"
  done
fi
if [ -n "${PADDOCK_TICK_TIME:-}" ]; then set_key tickTime "$PADDOCK_TICK_TIME"; fi
if [ -n "${PADDOCK_INIT_LIMIT:-}" ]; then set_key initLimit "$PADDOCK_INIT_LIMIT"; fi
if [ -n "${PADDOCK_SYNC_LIMIT:-}" ]; then set_key syncLimit "$PADDOCK_SYNC_LIMIT"; fi
if [ -n "${PADDOCK_DATA_DIR:-}" ]; then set_key dataDir "$PADDOCK_DATA_DIR"; fi
if [ -n "${PADDOCK_CLIENT_PORT:-}" ]; then set_key clientPort "$PADDOCK_CLIENT_PORT"; fi
if [ -n "${PADDOCK_HTTP_PORT:-}" ]; then set_key httpPort "$PADDOCK_HTTP_PORT"; fi

# ---- the ensemble ------------------------------------------------------------------------------
server_lines=()
myid=""
role=""
if [ -n "${PADDOCK_SERVERS:-}" ]; then
  myid="${PADDOCK_MYID:-}"
  [ -n "$myid" ] || fail "PADDOCK_SERVERS is set, so PADDOCK_MYID must say which of its servers this is"
  [[ "$myid" =~ ^[0-9]{1,3}$ ]] && [ "$((10#$myid))" -ge 1 ] && [ "$((10#$myid))" -le 254 ] \
    || fail "PADDOCK_MYID must be a server id in 1..254, not '$myid'"
  myid="$((10#$myid))"
  declare -A seen=()
  read -r -d '' -a entries <<< "${PADDOCK_SERVERS//,/ }" || true
  for entry in "${entries[@]}"; do
    [[ "$entry" =~ ^(server\.)?([0-9]{1,3})=(.+)$ ]] \
      || fail "PADDOCK_SERVERS: not id=host:peerPort:electionPort[:observer][;[clientHost:]clientPort]: '$entry'"
    id="$((10#${BASH_REMATCH[2]}))"
    address="${BASH_REMATCH[3]}"
    [[ "$address" =~ ^([^:\[\;]+|\[[0-9A-Fa-f:.%]+\]):[0-9]+:[0-9]+(:(observer|participant))?(\;(([^:\[\;]+|\[[0-9A-Fa-f:.%]+\]):)?[0-9]+)?$ ]] \
      || fail "PADDOCK_SERVERS: server $id: not host:peerPort:electionPort[:observer|:participant]: '$address' (a client address may follow: ;[clientHost:]clientPort)"
    [ -z "${seen[$id]+set}" ] || fail "PADDOCK_SERVERS: server id $id given twice"
    seen[$id]=1
    server_lines+=("server.$id=$address")
    if [ "$id" = "$myid" ]; then
      role=participant
      [[ "${address%%;*}" == *:observer ]] && role=observer
    fi
  done
  [ "${#server_lines[@]}" -gt 0 ] || fail "PADDOCK_SERVERS lists no server"
  [ -n "$role" ] || fail "PADDOCK_MYID $myid is not one of the servers in PADDOCK_SERVERS"
  # The peer and election ports bind on 0.0.0.0 inside the container while the other servers reach
  # them by its service name: ZooKeeper's quorumListenOnAllIPs.
  listen_all="${PADDOCK_QUORUM_LISTEN_ON_ALL_IPS:-true}"
  [ "$listen_all" = true ] || [ "$listen_all" = false ] \
    || fail "PADDOCK_QUORUM_LISTEN_ON_ALL_IPS must be true or false, not '$listen_all'"
  set_key quorumListenOnAllIPs "$listen_all"
elif [ -n "${PADDOCK_MYID:-}" ]; then
  fail "PADDOCK_MYID is set but PADDOCK_SERVERS is not: give the ensemble too, or neither"
fi

# ---- the file: the template's lines with keys replaced in place, then the generated block -------
[ -r "$cfg" ] || fail "cannot read $cfg"
mapfile -t template < "$cfg"
output=()
declare -A written=()
for line in "${template[@]}"; do
  trimmed="${line#"${line%%[![:space:]]*}"}"
  trimmed="${trimmed%"${trimmed##*[![:space:]]}"}"
  [ "$trimmed" = "$mark" ] && break
  if [ -z "$trimmed" ] || [[ "$trimmed" == \#* ]] || [[ "$trimmed" != *=* ]]; then
    output+=("$line")
    continue
  fi
  key="${trimmed%%=*}"
  key="${key%"${key##*[![:space:]]}"}"
  if [[ "$key" == server.* ]]; then
    continue
  elif [ -n "${value_of[$key]+set}" ]; then
    if [ -z "${written[$key]+set}" ]; then
      output+=("$key=${value_of[$key]}")
      written[$key]=1
    fi
  else
    output+=("$line")
  fi
done
while [ "${#output[@]}" -gt 0 ] && [[ "${output[-1]}" =~ ^[[:space:]]*$ ]]; do
  unset 'output[-1]'
done
output+=("" "$mark")
if [ -n "$myid" ]; then
  output+=("# server $myid ($role) of ${#server_lines[@]}")
fi
for key in "${keys[@]}"; do
  [ -n "${written[$key]+set}" ] || output+=("$key=${value_of[$key]}")
done
output+=(${server_lines[@]+"${server_lines[@]}"})

# In place rather than by rename, so that a paddock.cfg mounted as a single file works too.
printf '%s\n' "${output[@]}" 2>/dev/null > "$cfg" \
  || fail "cannot write $cfg (mount it writable, or mount nothing over it and use PADDOCK_* variables)"

# ---- myid: the id in decimal, as ZooKeeper's; a volume of another server is refused -------------
if [ -n "$myid" ]; then
  data_dir=""
  for line in "${output[@]}"; do
    if [[ "$line" =~ ^[[:space:]]*dataDir[[:space:]]*=[[:space:]]*(.*[^[:space:]])[[:space:]]*$ ]]; then
      data_dir="${BASH_REMATCH[1]}"
    fi
  done
  [ -n "$data_dir" ] || fail "$cfg sets no dataDir"
  mkdir -p "$data_dir" || fail "cannot create dataDir $data_dir"
  if [ -f "$data_dir/myid" ]; then
    existing="$(tr -d '[:space:]' < "$data_dir/myid")"
    [ "$existing" = "$myid" ] \
      || fail "$data_dir/myid says '$existing' but PADDOCK_MYID is $myid: this volume belongs to another server"
  else
    printf '%s\n' "$myid" > "$data_dir/myid" || fail "cannot write $data_dir/myid"
  fi
  echo "docker-entrypoint: server $myid ($role) of ${#server_lines[@]}; wrote $cfg and $data_dir/myid"
else
  echo "docker-entrypoint: standalone; wrote $cfg"
fi

exec "$paddock" server
