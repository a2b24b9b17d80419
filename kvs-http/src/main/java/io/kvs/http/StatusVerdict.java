package io.kvs.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Judges a cluster from one observer's report and the reports of the members it could reach.
 * {@code fail}: some shard has no live replica, so its keys cannot be served. {@code degraded}:
 * every shard is served, but a member is suspect, down or unreachable, a shard is short of
 * replicas or has only one, a node is still catching up, a reshard is running, or the nodes
 * disagree on the epoch. Else {@code ok}. Replicas whose digests differ are listed but do not
 * change the verdict: under writes that is normal until anti-entropy's next round.
 */
final class StatusVerdict {
  private StatusVerdict() {}

  /**
   * @param self the observer's own report ({@link NodeReport})
   * @param others every other member's report, null for one that could not be had
   */
  static ObjectNode assemble(JsonNode self, Map<String, JsonNode> others) {
    Map<String, JsonNode> reports = new TreeMap<>(others);
    reports.put(self.get("address").asText(), self);
    List<String> fails = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    ArrayNode nodes = Json.MAPPER.createArrayNode();
    Map<Integer, List<String>> byShard = new TreeMap<>();
    for (JsonNode member : self.get("members")) {
      String address = member.get("address").asText();
      String state = member.get("state").asText();
      if ("left".equals(state)) {
        continue;
      }
      JsonNode report = reports.get(address);
      nodes.add(node(member, report));
      if (!"alive".equals(state)) {
        reasons.add("node " + address + " is " + state);
      } else if (report == null) {
        reasons.add("node " + address + " does not answer " + ClusterStatus.NODE_PATH);
      } else if (!report.path("caught-up").asBoolean() && !report.path("shard-id").isNull()) {
        reasons.add("node " + address + " is catching up its shard's data");
      }
      if (!member.get("shard-id").isNull()) {
        byShard.computeIfAbsent(member.get("shard-id").asInt(), s -> new ArrayList<>()).add(address);
      }
    }
    ArrayNode shards = Json.MAPPER.createArrayNode();
    byShard.forEach((shard, members) -> shards.add(shard(shard, members, nodes, fails, reasons)));
    inProgress(self, reports, reasons);
    ObjectNode json = Json.object();
    json.put("verdict", !fails.isEmpty() ? "fail" : reasons.isEmpty() ? "ok" : "degraded");
    ArrayNode why = json.putArray("reasons");
    fails.forEach(why::add);
    reasons.forEach(why::add);
    json.put("observer", self.get("address").asText());
    json.put("epoch", self.get("epoch").asLong());
    json.put("shard-count", self.get("shard-count").asInt());
    json.set("reshard", self.get("reshard"));
    json.set("shards", shards);
    json.set("nodes", nodes);
    return json;
  }

  private static ObjectNode node(JsonNode member, JsonNode report) {
    ObjectNode node = report == null ? Json.object() : report.deepCopy();
    node.remove("members");
    node.put("address", member.get("address").asText());
    node.put("state", member.get("state").asText());
    node.put("reachable", report != null);
    node.set("shard-id", member.get("shard-id"));
    node.set("silent-ms", member.get("silent-ms"));
    return node;
  }

  private static ObjectNode shard(int shard, List<String> members, ArrayNode nodes, List<String> fails,
                                  List<String> reasons) {
    ObjectNode json = Json.object().put("shard-id", shard);
    ArrayNode list = json.putArray("members");
    List<JsonNode> live = new ArrayList<>();
    for (JsonNode n : nodes) {
      if (members.contains(n.get("address").asText())) {
        list.addObject().put("address", n.get("address").asText()).put("state", n.get("state").asText())
            .put("reachable", n.get("reachable").asBoolean());
        if ("alive".equals(n.get("state").asText()) && n.get("reachable").asBoolean()) {
          live.add(n);
        }
      }
    }
    json.put("target-replicas", members.size());
    json.put("live-replicas", live.size());
    json.put("replicas-short", members.size() - live.size());
    if (live.isEmpty()) {
      fails.add("shard " + shard + " has no live replica: its keys cannot be served");
    } else if (live.size() < members.size()) {
      reasons.add("shard " + shard + " is short of " + (members.size() - live.size()) + " of its "
          + members.size() + " replicas");
    } else if (live.size() == 1) {
      reasons.add("shard " + shard + " has a single replica: a crash of it loses the shard");
    }
    summarize(json, live);
    return json;
  }

  /** Key count, last anti-entropy round and disagreeing replicas, from the live replicas' reports. */
  private static void summarize(ObjectNode json, List<JsonNode> live) {
    long keys = 0;
    Long lastRound = null;
    Map<String, List<String>> byDigest = new TreeMap<>();
    for (JsonNode n : live) {
      keys = Math.max(keys, n.path("keys").asLong());
      JsonNode round = n.get("last-anti-entropy-ago-ms");
      if (round != null && !round.isNull()) {
        lastRound = lastRound == null ? round.asLong() : Math.min(lastRound, round.asLong());
      }
      if (n.path("caught-up").asBoolean()) {
        byDigest.computeIfAbsent(n.path("digest").asText(), d -> new ArrayList<>()).add(n.get("address").asText());
      }
    }
    json.put("keys", keys);
    if (lastRound == null) {
      json.putNull("last-anti-entropy-ago-ms");
    } else {
      json.put("last-anti-entropy-ago-ms", lastRound);
    }
    ArrayNode disagree = json.putArray("replicas-disagree");
    if (byDigest.size() > 1) {
      byDigest.values().stream().flatMap(List::stream).sorted().forEach(disagree::add);
    }
  }

  private static void inProgress(JsonNode self, Map<String, JsonNode> reports, List<String> reasons) {
    long epoch = self.get("epoch").asLong();
    reports.forEach((address, r) -> {
      if (r == null) {
        return;
      }
      if (r.hasNonNull("reshard")) {
        reasons.add("node " + address + ": " + r.get("reshard").asText());
      }
      if (r.path("epoch").asLong(epoch) != epoch) {
        reasons.add("node " + address + " is in epoch " + r.get("epoch").asLong() + ", this node in " + epoch);
      }
    });
  }
}
