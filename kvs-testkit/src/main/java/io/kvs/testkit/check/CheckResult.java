package io.kvs.testkit.check;

import java.util.List;

/**
 * What {@code SimCluster.check()} found: every violated guarantee, readable one by one, with
 * the seed that replays the run and the latest events (faults) that led to it.
 *
 * @param seed the run's seed
 * @param violations every violation found, empty when the run kept every guarantee
 * @param operations how many recorded operations the history checkers saw
 * @param lastEvents the latest faults and checker steps, oldest first
 */
public record CheckResult(long seed, List<Violation> violations, int operations, List<String> lastEvents) {
  public CheckResult {
    violations = List.copyOf(violations);
    lastEvents = List.copyOf(lastEvents);
  }

  /** True when no guarantee was violated. */
  public boolean ok() {
    return violations.isEmpty();
  }

  /** One line when all is well; else every violation's report, each naming its operations. */
  public String report() {
    if (ok()) {
      return "seed=" + seed + ": " + operations + " operations, every guarantee held";
    }
    StringBuilder b = new StringBuilder();
    b.append(violations.size()).append(violations.size() == 1 ? " violation" : " violations")
        .append(" in ").append(operations).append(" operations:\n");
    violations.forEach(v -> b.append(v.report(seed, lastEvents)).append('\n'));
    return b.toString();
  }

  @Override
  public String toString() {
    return report();
  }
}
