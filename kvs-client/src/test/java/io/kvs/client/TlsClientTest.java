package io.kvs.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvs.api.Session;
import io.kvs.http.KvsServer;
import java.io.InputStream;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The remote client talks HTTPS to a cluster with TLS, learning its other nodes as it does in plaintext. */
class TlsClientTest {
  @TempDir
  Path dir;

  @Test
  void httpsSeedsWithAnSslContext() throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    // openssl (3.x) makes the test certificate: a self-signed P-256 one for 127.0.0.1
    Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
        "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2",
        "-subj", "/CN=kvs-client-test", "-addext", "subjectAltName=IP:127.0.0.1").redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as("openssl made the certificate").isTrue();

    List<String> addresses = List.of("127.0.0.1:" + Nodes.freePort(), "127.0.0.1:" + Nodes.freePort());
    List<KvsServer> servers = new ArrayList<>();
    try {
      for (String address : addresses) {
        servers.add(KvsServer.builder().address(address).view(addresses).tls(cert, key).start());
      }
      for (KvsServer server : servers) {
        assertThat(server.awaitReady(Duration.ofSeconds(15))).isTrue();
      }
      try (KvsClient client = KvsClient.builder().seeds("https://" + addresses.get(0)).sslContext(trusting(cert))
          .refreshInterval(Duration.ofMillis(200)).totalDeadline(Duration.ofSeconds(10)).build()) {
        Session session = client.openSession();
        session.put("greeting", "hello");
        assertThat(session.get("greeting", String.class)).contains("hello");
      }
      // without the context, the JDK's default trust does not know the test certificate
      try (KvsClient untrusting = KvsClient.builder().seeds("https://" + addresses.get(0))
          .totalDeadline(Duration.ofSeconds(2)).build()) {
        assertThatThrownBy(() -> untrusting.openSession().get("greeting", String.class))
            .isInstanceOf(io.kvs.api.KvsException.class);
      }
    } finally {
      servers.forEach(KvsServer::close);
    }
    assertThatThrownBy(() -> KvsClient.builder().seeds("https://127.0.0.1:1", "http://127.0.0.1:2").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("seeds must all use one scheme: https:// with TLS, http:// or none without");
  }

  private static SSLContext trusting(Path cert) throws Exception {
    try (InputStream in = Files.newInputStream(cert)) {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("test", CertificateFactory.getInstance("X.509").generateCertificate(in));
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    }
  }
}
