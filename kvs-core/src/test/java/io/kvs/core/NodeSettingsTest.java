package io.kvs.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NodeSettingsTest {

  private static final String[] NAMES = {"KVS_DEPENDENCY_WAIT_MS", "KVS_REPLICATION_TIMEOUT_MS",
      "KVS_FORWARD_TIMEOUT_MS", "KVS_HEARTBEAT_INTERVAL_MS", "KVS_SUSPECT_AFTER_MS", "KVS_REMOVE_AFTER_MS",
      "KVS_ANTI_ENTROPY_INTERVAL_MS", "KVS_RESHARD_TIMEOUT_MS", "KVS_TOMBSTONE_GRACE_MS"};

  @Test
  void defaultsAreValidAndSensible() {
    NodeSettings d = NodeSettings.defaults();
    assertThat(d.removeAfterMs()).isGreaterThan(d.suspectAfterMs());
    assertThat(d.heartbeatIntervalMs()).isPositive();
    assertThat(d.antiEntropyIntervalMs()).isPositive();
    assertThat(d.suspectAfterMs()).isGreaterThan(d.heartbeatIntervalMs());
    // Re-validating the defaults through the canonical constructor succeeds.
    NodeSettings copy = new NodeSettings(d.dependencyWaitMs(), d.replicationTimeoutMs(), d.forwardTimeoutMs(),
        d.heartbeatIntervalMs(), d.suspectAfterMs(), d.removeAfterMs(), d.antiEntropyIntervalMs(),
        d.reshardTimeoutMs(), d.tombstoneGraceMs());
    assertThat(copy).isEqualTo(d);
  }

  @Test
  void withChangesOneSettingByItsVariableName() {
    NodeSettings s = NodeSettings.defaults().with("KVS_TOMBSTONE_GRACE_MS", 5);
    assertThat(s.tombstoneGraceMs()).isEqualTo(5);
    assertThat(s.with("KVS_TOMBSTONE_GRACE_MS", 60000)).isEqualTo(NodeSettings.defaults());
    assertThatThrownBy(() -> s.with("KVS_NOPE_MS", 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KVS_NOPE_MS");
  }

  @Test
  void emptyEnvironmentGivesTheDefaults() {
    assertThat(NodeSettings.fromEnvironment(Map.of())).isEqualTo(NodeSettings.defaults());
  }

  @Test
  void toMapNamesEverySettingInDeclarationOrder() {
    NodeSettings d = NodeSettings.defaults();
    assertThat(d.toMap().keySet()).containsExactly(NAMES);
    assertThat(d.toMap()).containsEntry("KVS_DEPENDENCY_WAIT_MS", d.dependencyWaitMs())
        .containsEntry("KVS_REMOVE_AFTER_MS", d.removeAfterMs())
        .containsEntry("KVS_RESHARD_TIMEOUT_MS", d.reshardTimeoutMs());
  }

  @Test
  void fromEnvironmentParsesEveryOverrideIntoTheRightField() {
    Map<String, String> env = new HashMap<>();
    env.put("KVS_DEPENDENCY_WAIT_MS", "11");
    env.put("KVS_REPLICATION_TIMEOUT_MS", "12");
    env.put("KVS_FORWARD_TIMEOUT_MS", "13");
    env.put("KVS_HEARTBEAT_INTERVAL_MS", "14");
    env.put("KVS_SUSPECT_AFTER_MS", "15");
    env.put("KVS_REMOVE_AFTER_MS", "16");
    env.put("KVS_ANTI_ENTROPY_INTERVAL_MS", "17");
    env.put("KVS_RESHARD_TIMEOUT_MS", "18");
    env.put("KVS_TOMBSTONE_GRACE_MS", "19");
    NodeSettings s = NodeSettings.fromEnvironment(env);
    assertThat(s).isEqualTo(new NodeSettings(11, 12, 13, 14, 15, 16, 17, 18, 19));
  }

  @Test
  void fromEnvironmentKeepsDefaultsForAbsentVariablesAndIgnoresOthers() {
    Map<String, String> env = Map.of("KVS_DEPENDENCY_WAIT_MS", " 250 ", "KVS_UNKNOWN_SETTING", "abc",
        "PATH", "/usr/bin", "SHARD_COUNT", "2");
    NodeSettings s = NodeSettings.fromEnvironment(env);
    NodeSettings d = NodeSettings.defaults();
    assertThat(s.dependencyWaitMs()).isEqualTo(250);
    assertThat(s.replicationTimeoutMs()).isEqualTo(d.replicationTimeoutMs());
    assertThat(s.removeAfterMs()).isEqualTo(d.removeAfterMs());
    assertThat(s.reshardTimeoutMs()).isEqualTo(d.reshardTimeoutMs());
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "", "1.5", "10ms", "9999999999999999999999"})
  void fromEnvironmentRejectsNonNumbersNamingTheVariable(String raw) {
    for (String name : NAMES) {
      assertThatThrownBy(() -> NodeSettings.fromEnvironment(Map.of(name, raw)))
          .as("%s=%s", name, raw)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(name);
    }
  }

  @Test
  void fromEnvironmentRejectsNegativeValuesNamingTheVariable() {
    assertThatThrownBy(() -> NodeSettings.fromEnvironment(Map.of("KVS_FORWARD_TIMEOUT_MS", "-1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KVS_FORWARD_TIMEOUT_MS");
  }

  @Test
  void removeAfterNotAboveSuspectAfterIsRejected() {
    assertThatThrownBy(() -> NodeSettings.fromEnvironment(
        Map.of("KVS_SUSPECT_AFTER_MS", "5000", "KVS_REMOVE_AFTER_MS", "5000")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KVS_REMOVE_AFTER_MS");
    assertThatThrownBy(() -> new NodeSettings(50, 1000, 3000, 1000, 3000, 2999, 2000, 10000, 60000))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new NodeSettings(50, 1000, 3000, 1000, 3000, 3001, 2000, 10000, 60000).removeAfterMs()).isEqualTo(3001);
  }

  @Test
  void zeroHeartbeatOrAntiEntropyIntervalIsRejected() {
    assertThatThrownBy(() -> NodeSettings.fromEnvironment(Map.of("KVS_HEARTBEAT_INTERVAL_MS", "0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KVS_HEARTBEAT_INTERVAL_MS");
    assertThatThrownBy(() -> NodeSettings.fromEnvironment(Map.of("KVS_ANTI_ENTROPY_INTERVAL_MS", "0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KVS_ANTI_ENTROPY_INTERVAL_MS");
  }

  @Test
  void zeroWaitsAreAllowed() {
    NodeSettings s = NodeSettings.fromEnvironment(Map.of("KVS_DEPENDENCY_WAIT_MS", "0", "KVS_SUSPECT_AFTER_MS", "0"));
    assertThat(s.dependencyWaitMs()).isZero();
    assertThat(s.suspectAfterMs()).isZero();
  }
}
