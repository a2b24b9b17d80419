package io.kvs.bench;

/**
 * One row of the results: kvs, its baseline, and the target the row must meet, if it has one.
 *
 * @param figure the workload's name
 * @param kvs kvs's figures
 * @param baseline the baseline's figures; null when run without one
 * @param targetRatio the least kvs/baseline ratio of 2xx ops/s; null for no target
 * @param maxP99Ms the greatest kvs p99 latency allowed; null for no bound
 */
record ResultRow(String figure, BenchResult kvs, BenchResult baseline, Double targetRatio, Double maxP99Ms) {
  /** kvs's 2xx ops/s over the baseline's; null without a baseline or when it answered nothing. */
  Double ratio() {
    return baseline == null || baseline.okPerSec() <= 0 ? null : kvs.okPerSec() / baseline.okPerSec();
  }

  /** Whether the row meets its target; null when the row has no target or no baseline. */
  Boolean met() {
    Double r = ratio();
    if (targetRatio == null || r == null) {
      return null;
    }
    return r >= targetRatio && (maxP99Ms == null || kvs.p99Ms() <= maxP99Ms);
  }
}
