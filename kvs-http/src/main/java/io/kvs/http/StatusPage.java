package io.kvs.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * The status page a person opens in a browser ({@code GET /ui}): {@code GET /status} rendered
 * on the server as one self-contained HTML document (no script, no external style, since nodes
 * often run offline), which reloads itself every {@value #REFRESH_SECONDS} seconds.
 */
final class StatusPage {
  static final int REFRESH_SECONDS = 2;
  private static final String STYLE = "body{font-family:sans-serif;margin:1.5em;color:#222}"
      + "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.3em .6em;"
      + "text-align:left}th{background:#f3f3f3}.verdict{font-size:1.4em;padding:.4em .8em;display:inline-block}"
      + ".ok{background:#d8f5d8}.degraded{background:#fff1c2}.fail{background:#ffd0d0}"
      + ".down{color:#b00000;font-weight:bold}.alive{color:#087f23}";

  private StatusPage() {}

  /** The page for {@code status}, a {@link StatusVerdict} document. */
  static String render(JsonNode status) {
    StringBuilder html = new StringBuilder(4096);
    String verdict = status.get("verdict").asText();
    html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta http-equiv=\"refresh\" content=\"").append(REFRESH_SECONDS).append("\">")
        .append("<title>kvs ").append(esc(verdict)).append(" - ").append(esc(status.get("observer").asText()))
        .append("</title><style>").append(STYLE).append("</style></head><body>")
        .append("<h1>kvs cluster</h1><p>As seen from <b>").append(esc(status.get("observer").asText()))
        .append("</b>, epoch ").append(status.get("epoch").asLong()).append(", ")
        .append(status.get("shard-count").asInt()).append(" shards, ")
        .append(status.get("nodes").size()).append(" nodes.</p>")
        .append("<div id=\"verdict\" class=\"verdict ").append(esc(verdict)).append("\">")
        .append(esc(verdict)).append("</div><ul id=\"reasons\">");
    status.get("reasons").forEach(r -> html.append("<li>").append(esc(r.asText())).append("</li>"));
    html.append("</ul>");
    shards(html, status.get("shards"));
    nodes(html, status.get("nodes"));
    return html.append("</body></html>").toString();
  }

  private static void shards(StringBuilder html, JsonNode shards) {
    html.append("<h2>Shards</h2><table id=\"shards\"><tr><th>shard</th><th>members</th><th>live / target</th>"
        + "<th>keys</th><th>last anti-entropy</th><th>replicas that disagree</th></tr>");
    for (JsonNode s : shards) {
      html.append("<tr data-shard=\"").append(s.get("shard-id").asInt()).append("\"><td>")
          .append(s.get("shard-id").asInt()).append("</td><td>");
      for (JsonNode m : s.get("members")) {
        boolean up = "alive".equals(m.get("state").asText()) && m.get("reachable").asBoolean();
        html.append("<span class=\"").append(up ? "alive" : "down").append("\">")
            .append(esc(m.get("address").asText())).append("</span> ");
      }
      html.append("</td><td>").append(s.get("live-replicas").asInt()).append(" / ")
          .append(s.get("target-replicas").asInt()).append("</td><td>").append(s.get("keys").asLong())
          .append("</td><td>").append(ago(s.get("last-anti-entropy-ago-ms"))).append("</td><td>");
      s.get("replicas-disagree").forEach(a -> html.append(esc(a.asText())).append(' '));
      html.append("</td></tr>");
    }
    html.append("</table>");
  }

  private static void nodes(StringBuilder html, JsonNode nodes) {
    html.append("<h2>Nodes</h2><table id=\"nodes\"><tr><th></th><th>address</th><th>state</th><th>shard</th>"
        + "<th>uptime</th><th>version</th><th>keys</th><th>requests/s</th><th>p99</th><th>503s</th><th>heap</th>"
        + "<th>last heard</th></tr>");
    for (JsonNode n : nodes) {
      boolean reachable = n.get("reachable").asBoolean();
      String state = n.get("state").asText();
      boolean up = "alive".equals(state) && reachable;
      String shown = up ? "alive" : reachable ? state : "alive".equals(state) ? "unreachable" : state;
      html.append("<tr data-address=\"").append(esc(n.get("address").asText())).append("\" data-state=\"")
          .append(esc(shown)).append("\"><td class=\"").append(up ? "alive\">&#x25CF;" : "down\">&#x2716;")
          .append("</td><td>").append(esc(n.get("address").asText())).append("</td><td class=\"")
          .append(up ? "alive" : "down").append("\">").append(esc(shown)).append("</td><td>")
          .append(n.get("shard-id").isNull() ? "none" : n.get("shard-id").asText()).append("</td><td>")
          .append(reachable && n.has("uptime-ms") ? seconds(n.get("uptime-ms").asLong()) : "").append("</td><td>")
          .append(esc(n.path("version").asText(""))).append("</td><td>")
          .append(n.path("keys").asText("")).append("</td><td>")
          .append(n.path("requests-per-second").asText("")).append("</td><td>")
          .append(p99(n.get("p99-ms")))
          .append("</td><td>").append(n.path("unavailable-503s").asText("")).append("</td><td>")
          .append(n.has("heap-used-bytes") ? mib(n.get("heap-used-bytes").asLong()) + " / "
              + mib(n.path("heap-max-bytes").asLong(-1))
              : "").append("</td><td>").append(ago(n.get("silent-ms"))).append("</td></tr>");
    }
    html.append("</table>");
  }

  /** The p99 cell: none without requests in the window, "&gt; 10 s" beyond the last bucket. */
  private static String p99(JsonNode ms) {
    if (ms == null || (ms.isNumber() && ms.asDouble() == 0)) {
      return "";
    }
    return ms.isNull() ? "&gt; 10 s" : ms.asText() + " ms";
  }

  private static String ago(JsonNode ms) {
    return ms == null || ms.isNull() ? "never" : seconds(ms.asLong()) + " ago";
  }

  private static String seconds(long ms) {
    return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }

  private static String mib(long bytes) {
    return bytes < 0 ? "?" : (bytes >> 20) + " MiB";
  }

  /** Escapes text for HTML content and attribute values. */
  static String esc(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
