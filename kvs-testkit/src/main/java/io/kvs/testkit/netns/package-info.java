/**
 * Real-fault harness: every kvs node runs as its own JVM in its own Linux network namespace,
 * faults are real (kill -9, partitions, packet loss), a workload from the root namespace records a
 * history, and the simulator's checkers run on it.
 *
 * <ul>
 *   <li>{@link io.kvs.testkit.netns.NetnsNetwork}: namespaces, veths, bridge on 10.77.0.0/24
 *       (blackholed in the root namespace while it exists), partitions, loss, link down/up,
 *       cleanup.</li>
 *   <li>{@link io.kvs.testkit.netns.NetnsNode} and {@link io.kvs.testkit.netns.NetnsCluster}: node
 *       JVMs started through {@code ip netns exec}, kill -9 and restart with the same address.</li>
 *   <li>{@link io.kvs.testkit.netns.ClientSession} and {@link io.kvs.testkit.netns.HttpWorkload}:
 *       client sessions over HTTP that pass back raw causal metadata and record every operation in
 *       an {@link io.kvs.testkit.history.History}.</li>
 *   <li>{@link io.kvs.testkit.netns.HttpConvergence}: convergence, placement and membership checked
 *       over HTTP.</li>
 * </ul>
 *
 * <p>Needs root, {@code ip} (iproute2) and {@code iptables}; the tests in
 * {@code io.kvs.testkit.faults} skip otherwise. Run them with
 * {@code mvn -B -o -pl kvs-testkit -am test -Dtest='io.kvs.testkit.faults.*Test'
 * -Dsurefire.failIfNoSpecifiedTests=false} after {@code mvn -B -DskipTests package} built the node
 * jar. Node logs go to {@code kvs-testkit/target/netns-logs/<test>/}.
 */
package io.kvs.testkit.netns;
