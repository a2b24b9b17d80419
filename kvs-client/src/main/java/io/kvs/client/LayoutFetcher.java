package io.kvs.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the layout from one node through the contract: {@code GET /shard/ids}, then
 * {@code GET /shard/members/<id>} for each, then {@code GET /view}. Blocking; runs on the
 * client's refresh thread only.
 */
final class LayoutFetcher {
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private final Duration timeout;
  private final String scheme;

  /** @param scheme {@code http://} or {@code https://} */
  LayoutFetcher(HttpClient http, Duration timeout, String scheme) {
    this.http = http;
    this.timeout = timeout;
    this.scheme = scheme;
  }

  /** The layout {@code node} reports; empty when it cannot be reached or answers oddly. */
  Optional<Layout> fetch(String node) {
    try {
      JsonNode ids = get(node, "/shard/ids").get("shard-ids");
      List<List<String>> members = new ArrayList<>();
      for (int i = 0; i < ids.size(); i++) {
        // shard ids are 0 .. n-1 by the contract; anything else is a layout we cannot route by
        if (ids.get(i).asInt(-1) != i) {
          members.clear();
          break;
        }
        members.add(strings(get(node, "/shard/members/" + i).get("shard-members")));
      }
      List<String> view = strings(get(node, "/view").get("view"));
      return Optional.of(new Layout(view, members));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private JsonNode get(String node, String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(scheme + node + path)).timeout(timeout).GET().build();
    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IOException(node + path + " answered " + response.statusCode());
    }
    return json.readTree(response.body());
  }

  private static List<String> strings(JsonNode array) throws IOException {
    if (array == null || !array.isArray()) {
      throw new IOException("expected an array of addresses");
    }
    List<String> out = new ArrayList<>();
    array.forEach(a -> out.add(a.asText()));
    return out;
  }
}
