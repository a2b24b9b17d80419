package io.kvs.http;

import java.util.List;

/**
 * The route templates of the node's endpoints, for metric labels: a request path becomes the
 * template it matches ({@code /kvs/{key}}, never the key itself), so a label has as many values
 * as the node has routes, whatever clients send.
 */
final class Routes {
  /** Every template; {@code other} stands for any path no route serves. */
  static final List<String> TEMPLATES = List.of("/kvs/{key}", "/view", "/shard/ids", "/shard/node-shard-id",
      "/shard/members/{id}", "/shard/key-count/{id}", "/shard/add-member/{id}", "/shard/reshard",
      HttpTransport.PATH, "/health", "/ready", "/metrics", "/status", "/status/node", "/ui", "other");
  private static final int OTHER = TEMPLATES.size() - 1;
  /** The contract's routes, which come first in {@link #TEMPLATES}: what clients ask, not probes or peers. */
  private static final java.util.Set<String> CLIENT = java.util.Set.copyOf(
      TEMPLATES.subList(0, TEMPLATES.indexOf(HttpTransport.PATH)));
  private static final String[] WITH_ID = {"/shard/members/", "/shard/key-count/", "/shard/add-member/"};

  private Routes() {}

  /** The index in {@link #TEMPLATES} of the template {@code path} matches. */
  static int index(String path) {
    if (path == null) {
      return OTHER;
    }
    if (path.startsWith("/kvs/")) {
      return 0; // the key may hold slashes or be empty: Javalin answers those, still key requests
    }
    if (path.startsWith("/shard/")) {
      for (String prefix : WITH_ID) {
        if (path.startsWith(prefix) && path.indexOf('/', prefix.length()) < 0) {
          return TEMPLATES.indexOf(prefix + "{id}");
        }
      }
    }
    int exact = TEMPLATES.indexOf(path);
    return exact < 0 ? OTHER : exact;
  }

  /** Whether {@code template} is one of the contract's routes (a client request). */
  static boolean isClient(String template) {
    return CLIENT.contains(template);
  }

  /** The template {@code path} matches. */
  static String template(String path) {
    return TEMPLATES.get(index(path));
  }
}
