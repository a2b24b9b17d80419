#!/usr/bin/env bash
# Builds the kvs image and starts six nodes (alice ... frank) in two shards on the docker
# network kvs-subnet (10.10.0.0/16). Node i listens on 10.10.0.(i+2):8090 inside the network
# and is published on the host at 127.0.0.1:(8082+i). Undo everything with ./cleanup.sh.
set -euo pipefail
cd "$(dirname "$0")"

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
  docker run -d \
    --name "$name" \
    --net "$NETWORK" \
    --ip "$ip" \
    -p "$host_port:$PORT" \
    -e "SOCKET_ADDRESS=$ip:$PORT" \
    -e "VIEW=$VIEW" \
    -e "SHARD_COUNT=$SHARD_COUNT" \
    "$IMAGE"
  echo "started $name at $ip:$PORT (host port $host_port)"
done

echo "VIEW=$VIEW"
echo "try: curl -s http://127.0.0.1:8082/shard/ids"
