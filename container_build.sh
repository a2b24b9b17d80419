#!/usr/bin/env bash
# Builds the kvs image and starts six nodes (alice ... frank) in two shards on the docker
# network kvs-subnet (10.10.0.0/16). Node i listens on 10.10.0.(i+2):8090 inside the network
# and is published on the host at 127.0.0.1:(8082+i). Undo everything with ./cleanup.sh.
#
#   ./container_build.sh            nodes keep their data in memory (as the course contract expects)
#   ./container_build.sh --volumes  each node keeps its data in a named volume kvs-data-<name>
#                                   mounted at /data (KVS_DATA_DIR=/data), so `docker restart`
#                                   of any or every node loses nothing acknowledged
set -euo pipefail
cd "$(dirname "$0")"

VOLUMES=false
for arg in "$@"; do
  case "$arg" in
    --volumes) VOLUMES=true ;;
    *) echo "usage: $0 [--volumes]" >&2; exit 2 ;;
  esac
done

IMAGE=kvs-img
NETWORK=kvs-subnet
SUBNET=10.10.0.0/16
PORT=8090
SHARD_COUNT=2
NAMES=(alice bob carol dave erin frank)

ip_of() { echo "10.10.0.$(( $1 + 2 ))"; }

VIEW=""
for i in "${!NAMES[@]}"; do
  VIEW+="${VIEW:+,}$(ip_of "$i"):$PORT"
done

docker build -t "$IMAGE" .

if docker network inspect "$NETWORK" >/dev/null 2>&1; then
  echo "network $NETWORK already exists; reusing it"
else
  docker network create --subnet="$SUBNET" "$NETWORK"
fi

for i in "${!NAMES[@]}"; do
  name=${NAMES[$i]}
  ip=$(ip_of "$i")
  host_port=$(( 8082 + i ))
  data=()
  if [ "$VOLUMES" = true ]; then
    data=(-v "kvs-data-$name:/data" -e "KVS_DATA_DIR=/data")
  fi
  docker run -d \
    --name "$name" \
    --net "$NETWORK" \
    --ip "$ip" \
    -p "$host_port:$PORT" \
    -e "SOCKET_ADDRESS=$ip:$PORT" \
    -e "VIEW=$VIEW" \
    -e "SHARD_COUNT=$SHARD_COUNT" \
    ${data[@]+"${data[@]}"} \
    "$IMAGE"
  echo "started $name at $ip:$PORT (host port $host_port)"
done

echo "VIEW=$VIEW"
echo "try: curl -s http://127.0.0.1:8082/shard/ids"
