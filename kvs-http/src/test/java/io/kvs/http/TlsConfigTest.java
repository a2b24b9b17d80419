package io.kvs.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every TLS configuration problem stops the node with one sentence naming the variable (or,
 * through the builder, the argument): never a stack trace, and never a node that starts
 * without the TLS it was asked for.
 */
class TlsConfigTest {
  @TempDir
  Path dir;
  private TestCerts.Pair good;
  private TestCerts.Pair other;

  @BeforeEach
  void certificates() {
    good = TestCerts.selfSigned(dir, "good", "ec", "IP:127.0.0.1");
    other = TestCerts.selfSigned(dir, "other", "rsa", "IP:127.0.0.1");
  }

  private static Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>(Map.of("SOCKET_ADDRESS", "127.0.0.1:8090", "VIEW", "127.0.0.1:8090"));
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  private static String problem(Map<String, String> env) {
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> new Environment(env).nodeBuilder());
    assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
    assertThat(thrown.getMessage()).doesNotContain("\n");
    return thrown.getMessage();
  }

  @Test
  void goodFilesGiveTheBuilderTls() {
    KvsServerBuilder b = new Environment(env("KVS_TLS_CERT", good.cert().toString(), "KVS_TLS_KEY",
        good.key().toString(), "KVS_TLS_CA", other.cert().toString())).nodeBuilder();
    assertThat(b.tls).isNotNull();
    assertThat(b.tls.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=kvs-test-good");
    assertThat(new Environment(env()).nodeBuilder().tls).isNull();
  }

  @Test
  void eachProblemIsOneSentenceNamingTheVariable() throws IOException {
    String cert = good.cert().toString();
    String key = good.key().toString();
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n");
    Path broken = Files.writeString(dir.resolve("broken.pem"),
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    Path missing = dir.resolve("missing.pem");
    assertThat(problem(env("KVS_TLS_CERT", cert)))
        .isEqualTo("KVS_TLS_KEY is required when KVS_TLS_CERT is set: TLS needs both");
    assertThat(problem(env("KVS_TLS_KEY", key)))
        .isEqualTo("KVS_TLS_CERT is required when KVS_TLS_KEY is set: TLS needs both");
    assertThat(problem(env("KVS_TLS_CA", cert)))
        .isEqualTo("KVS_TLS_CA is set but TLS is not: set KVS_TLS_CERT and KVS_TLS_KEY too");
    assertThat(problem(env("KVS_TLS_CERT", missing.toString(), "KVS_TLS_KEY", key)))
        .isEqualTo("KVS_TLS_CERT file " + missing + " does not exist");
    assertThat(problem(env("KVS_TLS_CERT", garbage.toString(), "KVS_TLS_KEY", key)))
        .isEqualTo("KVS_TLS_CERT file " + garbage + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    assertThat(problem(env("KVS_TLS_CERT", broken.toString(), "KVS_TLS_KEY", key)))
        .startsWith("KVS_TLS_CERT file " + broken + " holds a malformed certificate (");
    assertThat(problem(env("KVS_TLS_CERT", cert, "KVS_TLS_KEY", garbage.toString())))
        .isEqualTo("KVS_TLS_KEY file " + garbage + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
    Path pkcs1 = TestCerts.pkcs1Key(dir);
    assertThat(problem(env("KVS_TLS_CERT", cert, "KVS_TLS_KEY", pkcs1.toString())))
        .isEqualTo("KVS_TLS_KEY file " + pkcs1 + " holds a key in the older PKCS#1/SEC1 form, and the node needs "
            + "PKCS#8: convert it with: openssl pkcs8 -topk8 -nocrypt -in OLD.pem -out NEW.pem");
    assertThat(problem(env("KVS_TLS_CERT", cert, "KVS_TLS_KEY", other.key().toString())))
        .isEqualTo("KVS_TLS_KEY file " + other.key() + " does not match the certificate in KVS_TLS_CERT file " + cert);
    assertThat(problem(env("KVS_TLS_CERT", cert, "KVS_TLS_KEY", key, "KVS_TLS_CA", garbage.toString())))
        .isEqualTo("KVS_TLS_CA file " + garbage + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    assertThat(problem(env("KVS_IDLE_TIMEOUT_MS", "0")))
        .isEqualTo("KVS_IDLE_TIMEOUT_MS must be a positive integer, got '0'");
    assertThat(problem(env("KVS_MAX_CONNECTIONS", "many")))
        .isEqualTo("KVS_MAX_CONNECTIONS must be a positive integer, got 'many'");
  }

  @Test
  void theBuilderNamesItsArguments() {
    assertThatThrownBy(() -> KvsServer.builder().tls(good.cert(), other.key()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the TLS key file " + other.key() + " does not match the certificate in the TLS certificate file "
            + good.cert());
  }

  /** Main turns the problem into one line on stderr and exit status 2. */
  @Test
  void theNodeExitsWithStatus2AndOneLine() throws Exception {
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a key\n");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp",
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")), Main.class.getName()));
    Path out = dir.resolve("out.log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
    builder.environment().keySet()
        .removeIf(k -> k.startsWith("KVS_") || k.equals("SOCKET_ADDRESS") || k.equals("VIEW"));
    builder.environment().putAll(env("KVS_TLS_CERT", good.cert().toString(), "KVS_TLS_KEY", garbage.toString()));
    Process p = builder.start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(String.join("\n", lines)).isEqualTo(2);
    assertThat(lines).containsExactly("kvs: KVS_TLS_KEY file " + garbage
        + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
  }
}
