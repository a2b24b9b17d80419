#!/usr/bin/env bash
# Builds and runs every example against the io.kvs artifacts that `mvn install` at the root has
# just put in the local repository, as a user's project would find them; then checks that a user
# gets no logging binding from kvs. Arguments go to every mvn call, and Maven reads MAVEN_OPTS
# itself, so either can name another local repository:
#   examples/build.sh -Dmaven.repo.local=/tmp/m2
#   MAVEN_OPTS=-Dmaven.repo.local=/tmp/m2 examples/build.sh
set -euo pipefail
cd "$(dirname "$0")"
mvn_in() {
  local dir=$1
  shift
  printf "\n== examples/%s: mvn %s\n" "$dir" "$*"
  (cd "$dir" && mvn -B -Dstyle.color=never "$@" "${ARGS[@]}")
}
ARGS=("$@")

# The thin kvs-http jar an app embeds carries no logging configuration (kvs-node.jar does).
thin=$(ls ../kvs-http/target/kvs-http-*.jar | grep -v -e '-sources' -e '-javadoc' | head -n 1)
if jar tf "$thin" | grep -qx -e 'logback.xml' -e 'simplelogger.properties'; then
  echo "FAIL: $thin contains a logging configuration" >&2
  exit 1
fi

mvn_in embedded-cluster verify
mvn_in simcluster-test verify

# The remote client needs a cluster that runs on its own: the README's local cluster (six nodes,
# two shards, kvs-node.jar) on ports of its own, stopped by its PID when this script ends.
CLUSTER_PORT=18482
java -jar ../kvs-http/target/kvs-node.jar --local 6 --shards 2 --base-port "$CLUSTER_PORT" \
  > remote-client/cluster.log 2>&1 &
cluster_pid=$!
trap 'kill "$cluster_pid" 2>/dev/null; wait "$cluster_pid" 2>/dev/null' EXIT
ready() { # GET /ready on every node of the cluster answers 200
  local port
  for port in $(seq "$CLUSTER_PORT" $((CLUSTER_PORT + 5))); do
    exec 3<>"/dev/tcp/127.0.0.1/$port" 2>/dev/null || return 1
    printf 'GET /ready HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
    local status
    read -r _ status _ <&3 || status=
    exec 3<&-
    [ "$status" = 200 ] || return 1
  done
}
for _ in $(seq 1 120); do ready && break; sleep 0.5; done
ready || { echo "FAIL: the local cluster for remote-client is not ready; see examples/remote-client/cluster.log" >&2; exit 1; }
mvn_in remote-client verify "-Dkvs.seeds=127.0.0.1:$CLUSTER_PORT,127.0.0.1:$((CLUSTER_PORT + 3))"
kill "$cluster_pid"
wait "$cluster_pid" 2>/dev/null || true
trap - EXIT
# Boot's BOM versions (Jetty 12.0, Kotlin 1.9, Jackson 2.19), then those Javalin is built with.
mvn_in spring-boot verify
mvn_in spring-boot verify -Pkvs-versions

# A Boot app that declares kvs-http first must see Logback as its only binding.
tree=$(cd spring-boot && mvn -B -Dstyle.color=never "${ARGS[@]}" dependency:tree)
if grep -E 'slf4j-(simple|nop|jdk14|reload4j)|log4j-slf4j2?-impl' <<<"$tree"; then
  echo "FAIL: a logging binding other than Boot's Logback reaches the spring-boot example" >&2
  exit 1
fi
printf "\n== examples: all built and run\n"
