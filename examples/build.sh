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
if jar tf "$thin" | grep -qx 'simplelogger.properties'; then
  echo "FAIL: $thin contains simplelogger.properties" >&2
  exit 1
fi

mvn_in embedded-cluster verify
mvn_in simcluster-test verify
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
