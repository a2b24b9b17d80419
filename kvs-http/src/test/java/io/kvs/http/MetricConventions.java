package io.kvs.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The naming rules of the node's metrics, as a checker of a scrape: Prometheus's conventions
 * (base units, {@code _total} counters) plus this project's (a {@code kvs_} prefix, and only
 * labels with few values: route templates, never keys). Returns the problems found, one
 * sentence each.
 */
final class MetricConventions {
  /** Label names a kvs series may carry; each has a handful of values, whatever clients do. */
  static final Set<String> KVS_LABELS = Set.of("method", "route", "status", "cause", "exchange", "peer", "le");
  private static final Set<String> METHODS = Set.of("GET", "PUT", "DELETE", "POST", "HEAD", "OTHER");
  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");
  private static final Pattern NOT_BASE_UNIT = Pattern.compile(
      ".*_(ms|millis|milliseconds|micros|microseconds|nanos|nanoseconds|minutes|hours|kb|kib|mb|mib|kilobytes|megabytes|percent)(_total|_count|_sum|_bucket|_max)?$");
  private static final Pattern PEER = Pattern.compile("[0-9.]+:[0-9]+");

  private MetricConventions() {}

  static List<String> problems(Scrape scrape) {
    List<String> problems = new ArrayList<>();
    scrape.types.forEach((family, type) -> {
      if (type.equals("counter") && !family.endsWith("_total")) {
        problems.add("counter " + family + " does not end in _total");
      }
      if (type.equals("histogram") && family.startsWith("kvs_") && !family.endsWith("_seconds")
          && !family.endsWith("_bytes")) {
        problems.add("histogram " + family + " names no base unit (_seconds or _bytes)");
      }
    });
    for (Scrape.Sample s : scrape.samples) {
      String name = s.name();
      if (!NAME.matcher(name).matches()) {
        problems.add(name + " is not a lower-case snake_case name");
      }
      if (!name.startsWith("kvs_") && !name.startsWith("jvm_")) {
        problems.add(name + " has neither the kvs_ prefix nor Micrometer's jvm_");
      }
      if (NOT_BASE_UNIT.matcher(name).matches()) {
        problems.add(name + " is not in base units (seconds, bytes)");
      }
      if (name.startsWith("kvs_")) {
        labelProblems(name, s.labels(), problems);
      }
    }
    return problems.stream().distinct().toList();
  }

  private static void labelProblems(String name, Map<String, String> labels, List<String> problems) {
    labels.forEach((label, value) -> {
      if (!KVS_LABELS.contains(label)) {
        problems.add(name + " carries label " + label + ", which may have many values");
      } else if (label.equals("route") && !Routes.TEMPLATES.contains(value)) {
        problems.add(name + " has route " + value + ", not a route template");
      } else if (label.equals("status") && !value.matches("[1-5][0-9][0-9]")) {
        problems.add(name + " has status " + value + ", not an HTTP status");
      } else if (label.equals("method") && !METHODS.contains(value)) {
        problems.add(name + " has method " + value + ", not a known method");
      } else if (label.equals("peer") && !PEER.matcher(value).matches()) {
        problems.add(name + " has peer " + value + ", not an IP:PORT address");
      }
    });
  }
}
