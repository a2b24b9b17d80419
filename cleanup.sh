#!/usr/bin/env bash
# Removes what container_build.sh created: the six containers, their data volumes (if
# --volumes made any), the network and the image.
# Anything already gone is skipped quietly; other errors are shown but do not stop the cleanup.
set -uo pipefail

IMAGE=kvs-img
NETWORK=kvs-subnet
NAMES=(alice bob carol dave erin frank)

quietly() {
  local out
  if ! out=$("$@" 2>&1); then
    if ! grep -qiE 'no such|not found|does not exist' <<<"$out"; then
      printf '%s\n' "$out" >&2
    fi
    return 0
  fi
  [ -n "$out" ] && printf '%s\n' "$out"
  return 0
}

for name in "${NAMES[@]}"; do
  quietly docker rm -f "$name"
  quietly docker volume rm "kvs-data-$name"
done
quietly docker network rm "$NETWORK"
quietly docker image rm "$IMAGE"
echo "cleanup done"
