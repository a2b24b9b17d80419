package io.kvs.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Prometheus text exposition read into its samples and {@code # TYPE} lines, enough for
 * tests to look values up. Not a validator: {@code promtool} is (see {@link MetricsFormatTest}).
 */
final class Scrape {
  /** One sample line: series name, labels, value. */
  record Sample(String name, Map<String, String> labels, double value) {}

  private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+).*");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

  final List<Sample> samples = new ArrayList<>();
  /** Family name to its type (counter, gauge, histogram, ...). */
  final Map<String, String> types = new HashMap<>();

  Scrape(String text) {
    for (String line : text.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.split(" ");
        types.put(parts[2], parts[3]);
      } else if (!line.isBlank() && !line.startsWith("#")) {
        Matcher m = SAMPLE.matcher(line);
        if (!m.matches()) {
          throw new IllegalArgumentException("not a sample line: " + line);
        }
        samples.add(new Sample(m.group(1), labels(m.group(3)), Double.parseDouble(m.group(4))));
      }
    }
  }

  private static Map<String, String> labels(String text) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (text != null) {
      Matcher m = LABEL.matcher(text);
      while (m.find()) {
        labels.put(m.group(1), m.group(2));
      }
    }
    return labels;
  }

  /** The value of the one series {@code name} whose labels include {@code labels}; 0 when there is none. */
  double value(String name, Map<String, String> labels) {
    double found = 0;
    int matches = 0;
    for (Sample s : samples) {
      if (s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet())) {
        found = s.value();
        matches++;
      }
    }
    if (matches > 1) {
      throw new AssertionError(matches + " series " + name + " match " + labels);
    }
    return found;
  }

  double value(String name) {
    return value(name, Map.of());
  }

  boolean has(String name) {
    return samples.stream().anyMatch(s -> s.name().equals(name));
  }
}
