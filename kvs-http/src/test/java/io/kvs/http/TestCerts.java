package io.kvs.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Test certificates, made by {@code openssl} (3.x) in a test's temporary directory, so that no
 * key lives in the repository and none expires. A trusting client is built here with the JDK
 * alone, apart from the code under test.
 */
final class TestCerts {
  /** A certificate file and its key file. */
  record Pair(Path cert, Path key) {}

  private TestCerts() {}

  /**
   * A self-signed certificate for {@code subjectAltName} (e.g. {@code IP:127.0.0.1}) with a new
   * key of {@code keyType}: {@code "ec"} (P-256) or {@code "rsa"} (2048 bits), PKCS#8 PEM.
   */
  static Pair selfSigned(Path dir, String name, String keyType, String subjectAltName) {
    Pair pair = new Pair(dir.resolve(name + "-cert.pem"), dir.resolve(name + "-key.pem"));
    List<String> command = new ArrayList<>(List.of("openssl", "req", "-x509", "-newkey", keyType));
    if (keyType.equals("ec")) {
      command.addAll(List.of("-pkeyopt", "ec_paramgen_curve:prime256v1"));
    } else {
      command.addAll(List.of("-pkeyopt", "rsa_keygen_bits:2048"));
    }
    command.addAll(List.of("-nodes", "-keyout", pair.key().toString(), "-out", pair.cert().toString(),
        "-days", "2", "-subj", "/CN=kvs-test-" + name, "-addext", "subjectAltName=" + subjectAltName));
    openssl(command);
    return pair;
  }

  /** A self-signed CA certificate (P-256) that can sign others with {@link #signedBy}. */
  static Pair ca(Path dir) {
    Pair ca = new Pair(dir.resolve("ca-cert.pem"), dir.resolve("ca-key.pem"));
    openssl(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", ca.key().toString(), "-out", ca.cert().toString(), "-days", "2", "-subj", "/CN=kvs-test-ca",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign"));
    return ca;
  }

  /** A certificate for {@code subjectAltName} with a new P-256 key, signed by {@code ca}. */
  static Pair signedBy(Path dir, String name, Pair ca, String subjectAltName) {
    Pair pair = new Pair(dir.resolve(name + "-cert.pem"), dir.resolve(name + "-key.pem"));
    Path request = dir.resolve(name + ".csr");
    Path extensions = dir.resolve(name + ".ext");
    openssl(List.of("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", pair.key().toString(), "-out", request.toString(), "-subj", "/CN=kvs-test-" + name));
    try {
      Files.writeString(extensions, "subjectAltName=" + subjectAltName + "\n");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    openssl(List.of("openssl", "x509", "-req", "-in", request.toString(), "-CA", ca.cert().toString(),
        "-CAkey", ca.key().toString(), "-CAcreateserial", "-days", "2", "-extfile", extensions.toString(),
        "-out", pair.cert().toString()));
    return pair;
  }

  /** A new RSA key in the older PKCS#1 form ({@code BEGIN RSA PRIVATE KEY}). */
  static Path pkcs1Key(Path dir) {
    Path key = dir.resolve("pkcs1-key.pem");
    openssl(List.of("openssl", "genrsa", "-traditional", "-out", key.toString(), "2048"));
    return key;
  }

  private static void openssl(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError("openssl failed: " + command + "\n" + out);
      }
    } catch (IOException e) {
      throw new AssertionError("openssl (3.x) is needed to make the test certificates: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** An HTTP/1.1 client that trusts {@code cert} alone (host name verification on, as by default). */
  static HttpClient clientTrusting(Path cert) {
    try (InputStream in = Files.newInputStream(cert)) {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("test", CertificateFactory.getInstance("X.509").generateCertificate(in));
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(context)
          .connectTimeout(Duration.ofSeconds(2)).build();
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }
}
