package io.kvs.testkit.check;

import io.kvs.testkit.history.Operation;
import java.util.List;

/**
 * A broken guarantee: which checker saw it, one sentence, and the operations involved.
 */
public record Violation(String checker, String message, List<Operation> operations) {
  /** A report short enough to read, naming the seed so the run can be replayed. */
  public String report(long seed, List<String> lastEvents) {
    StringBuilder b = new StringBuilder();
    b.append(checker).append(" violated (seed=").append(seed).append("): ").append(message).append('\n');
    operations.stream().limit(6).forEach(op -> b.append("  op ").append(op).append('\n'));
    if (!lastEvents.isEmpty()) {
      b.append("  last events:\n");
      lastEvents.stream().skip(Math.max(0, lastEvents.size() - 10))
          .forEach(e -> b.append("    ").append(e).append('\n'));
    }
    b.append("  reproduce with -Dkvs.sim.seed=").append(seed);
    return b.toString();
  }
}
