# kvs node image.
#   docker build -t kvs-img .
#   docker run -e SOCKET_ADDRESS=10.10.0.2:8090 -e VIEW=... [-e SHARD_COUNT=2] kvs-img
#   with data that survives restarts: add -v kvs-data-alice:/data -e KVS_DATA_DIR=/data
# KVS_DATA_DIR is deliberately not set here: nodes sharing a host must not share a directory.

# ---- stage 1: build the fat jar ----
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# The poms first, so that the dependency download is cached while only sources change.
COPY pom.xml ./
COPY kvs-core/pom.xml kvs-core/
COPY kvs-api/pom.xml kvs-api/
COPY kvs-http/pom.xml kvs-http/
COPY kvs-testkit/pom.xml kvs-testkit/
COPY kvs-client/pom.xml kvs-client/
COPY kvs-bench/pom.xml kvs-bench/
COPY kvs-core/src kvs-core/src
COPY kvs-api/src kvs-api/src
COPY kvs-http/src kvs-http/src
# Only the node and what it needs: every module's pom must exist, but the testkit, the client
# and the bench are not built into the image.
RUN mvn -B -DskipTests -pl kvs-http -am package \
 && test -f kvs-http/target/kvs-node.jar

# ---- stage 2: runtime ----
# The jar targets Java 17 and runs on it; the image runs it on Java 25 for its ahead-of-time
# cache (JEP 483/515): the classes a node loads and the profiles of its hot methods, recorded
# below by a training run, so that a new node serves at full speed within seconds.
FROM eclipse-temurin:25-jre
RUN groupadd --system --gid 10001 kvs \
 && useradd --system --uid 10001 --gid kvs --home-dir /app --no-create-home --shell /usr/sbin/nologin kvs \
  && mkdir -p /app /data && chown kvs:kvs /app /data
WORKDIR /app
COPY --from=build /src/kvs-http/target/kvs-node.jar /app/kvs-node.jar
# Several nodes usually share a small host: a serial GC and C1 alone reach full speed within
# seconds instead of a minute of C2 compiling in every JVM (docs/performance.md has the figures).
# A node with cores to itself does better with -XX:+UseSerialGC alone: set KVS_JVM_FLAGS.
ENV KVS_JVM_FLAGS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1"
# The training run: 20 s of requests on a 6-node cluster inside this one JVM, on loopback. The
# cache fits these flags; with other KVS_JVM_FLAGS the JVM may ignore it and start as usual.
RUN java $KVS_JVM_FLAGS -XX:AOTCacheOutput=/app/kvs.aot -jar /app/kvs-node.jar --train 20 \
 && test -s /app/kvs.aot
ENV KVS_AOT_FLAGS="-XX:AOTCache=/app/kvs.aot"
# numeric, so that Kubernetes' runAsNonRoot can check it
USER 10001:10001
EXPOSE 8090
ENTRYPOINT ["sh", "-c", "exec java $KVS_JVM_FLAGS $KVS_AOT_FLAGS -jar /app/kvs-node.jar \"$@\"", "kvs"]
