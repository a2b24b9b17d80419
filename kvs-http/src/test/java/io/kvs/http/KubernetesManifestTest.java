package io.kvs.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.databind.MappingIterator;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/kubernetes/kvs.yaml, run without Kubernetes: each pod's environment, exactly as the
 * StatefulSet gives it, configures an in-process node; pod names resolve through a map (pod i
 * at 127.0.0.(2+i), as if each had its own IP); the nodes must form the cluster the manifest
 * describes, and answer the probes it declares.
 */
class KubernetesManifestTest {
  private static final Path MANIFEST = Path.of("..", "deploy", "kubernetes", "kvs.yaml");

  @TempDir
  Path dataDirs;
  private final List<KvsServer> servers = new ArrayList<>();

  @AfterEach
  void close() {
    servers.forEach(KvsServer::close);
  }

  private static Map<String, JsonNode> byKind() throws Exception {
    Map<String, JsonNode> kinds = new HashMap<>();
    try (MappingIterator<JsonNode> docs = new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class)
        .readValues(MANIFEST.toFile())) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        kinds.put(doc.get("kind").asText() + "/" + doc.at("/metadata/name").asText(), doc);
      }
    }
    return kinds;
  }

  /** The environment the StatefulSet gives pod {@code podName}. */
  private static Map<String, String> podEnv(JsonNode container, JsonNode secret, String podName) {
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode e : container.get("env")) {
      String name = e.get("name").asText();
      if (e.has("value")) {
        env.put(name, e.get("value").asText().replace("$(POD_NAME)", podName));
      } else if (e.at("/valueFrom/fieldRef/fieldPath").asText().equals("metadata.name")) {
        env.put(name, podName);
      } else {
        String key = e.at("/valueFrom/secretKeyRef/key").asText();
        env.put(name, secret.at("/stringData/" + key).asText());
      }
    }
    return env;
  }

  @Test
  void eachPodsEnvironmentFormsTheClusterTheManifestDescribes() throws Exception {
    Map<String, JsonNode> kinds = byKind();
    JsonNode set = kinds.get("StatefulSet/kvs");
    JsonNode container = set.at("/spec/template/spec/containers/0");
    JsonNode secret = kinds.get("Secret/kvs-cluster-secret");
    assertThat(kinds.get("Service/kvs").at("/spec/clusterIP").asText()).isEqualTo("None");
    assertThat(set.at("/spec/serviceName").asText()).isEqualTo("kvs");
    JsonNode labels = set.at("/spec/template/metadata/labels");
    assertThat(kinds.get("Service/kvs").at("/spec/selector")).isEqualTo(labels);
    assertThat(kinds.get("PodDisruptionBudget/kvs").at("/spec/selector/matchLabels")).isEqualTo(labels);
    assertThat(container.at("/volumeMounts/0/name").asText())
        .isEqualTo(set.at("/spec/volumeClaimTemplates/0/metadata/name").asText());

    int replicas = set.at("/spec/replicas").asInt();
    Map<String, InetAddress> dns = new HashMap<>();
    for (int i = 0; i < replicas; i++) {
      dns.put("kvs-" + i + ".kvs", InetAddress.getByName("127.0.0." + (2 + i)));
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      Map<String, String> env = podEnv(container, secret, "kvs-" + i);
      String dataDir = container.at("/volumeMounts/0/mountPath").asText();
      assertThat(env.get("KVS_DATA_DIR")).isEqualTo(dataDir);
      env.put("KVS_DATA_DIR", Files.createDirectories(dataDirs.resolve("kvs-" + i)).toString());
      env.put("KVS_LISTEN_HOST", "127.0.0." + (2 + i)); // the pod's own IP
      KvsServerBuilder b = new Environment(env).nodeBuilder();
      b.hostResolver = host -> {
        InetAddress a = dns.get(host);
        if (a == null) {
          throw new UnknownHostException(host);
        }
        return a;
      };
      names.add(env.get("SOCKET_ADDRESS"));
      servers.add(b.start());
    }
    Http.await(Duration.ofSeconds(60), "every pod is ready",
        () -> servers.stream().allMatch(s -> s.awaitReady(Duration.ZERO)));
    int shards = Integer.parseInt(podEnv(container, secret, "kvs-0").get("SHARD_COUNT"));
    for (int i = 0; i < replicas; i++) {
      String pod = "http://127.0.0." + (2 + i) + ":" + container.at("/ports/0/containerPort").asInt();
      assertThat(Http.call("GET", pod + "/view", null).json().get("view"))
          .extracting(JsonNode::asText).containsExactlyElementsOf(names);
      assertThat(Http.call("GET", pod + "/shard/ids", null).json().get("shard-ids")).hasSize(shards);
      assertThat(Http.call("GET", pod + container.at("/livenessProbe/httpGet/path").asText(), null).status())
          .isEqualTo(200);
      assertThat(Http.call("GET", pod + container.at("/readinessProbe/httpGet/path").asText(), null).status())
          .isEqualTo(200);
    }
    assertThat(Http.call("PUT", "http://127.0.0.2:8090/kvs/k", "{\"value\": 1}").status()).isEqualTo(201);
    assertThat(Http.call("GET", "http://127.0.0.7:8090/kvs/k", null).json().get("value").asInt()).isEqualTo(1);
  }
}
