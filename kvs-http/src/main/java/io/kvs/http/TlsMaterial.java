package io.kvs.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A node's TLS identity and trust, read once from PEM files: the certificate chain it serves,
 * its private key (unencrypted PKCS#8, RSA or EC; {@link PemKeys}), and the certificates it
 * trusts when it connects to its peers: a CA bundle, or else the node's own certificate (a
 * cluster that shares one). JDK 17 reads neither PEM nor PKCS#8 files into a KeyStore by
 * itself, so the KeyStore is built here, in memory; it never touches the disk.
 *
 * <p>Every problem is an {@link IllegalArgumentException} with one sentence naming the file
 * by {@link Names} the caller chose: the environment variable, or the builder argument.
 */
final class TlsMaterial {
  /** Alias of the node's key entry in {@link #keyStore()}. */
  static final String KEY_ALIAS = "kvs";
  /**
   * Password of the in-memory KeyStore. The KeyStore API demands one; it protects nothing, since
   * the store never leaves this process and the key file it came from is unencrypted.
   */
  static final String KEY_STORE_PASSWORD = "kvs-in-memory";

  /** How problems name each file: an environment variable, or a builder argument. */
  record Names(String cert, String key, String ca) {
    /** The names of {@link KvsServerBuilder#tls}'s arguments. */
    static final Names BUILDER = new Names("the TLS certificate file", "the TLS key file", "the TLS CA file");
  }

  private final KeyStore keyStore;
  private final KeyStore trustStore;
  private final X509Certificate certificate;

  private TlsMaterial(KeyStore keyStore, KeyStore trustStore, X509Certificate certificate) {
    this.keyStore = keyStore;
    this.trustStore = trustStore;
    this.certificate = certificate;
  }

  /**
   * Reads and checks the files: the chain parses, the key parses and belongs to the chain's
   * first certificate, the CA bundle (when not null) holds at least one certificate.
   *
   * @throws IllegalArgumentException with one sentence naming the file at fault
   */
  static TlsMaterial load(Path certFile, Path keyFile, Path caFile, Names names) {
    List<X509Certificate> chain = certificates(certFile, names.cert());
    PrivateKey key = PemKeys.parse(read(keyFile, names.key()), names.key() + " " + keyFile);
    if (!belongTogether(key, chain.get(0))) {
      throw new IllegalArgumentException(names.key() + " " + keyFile + " does not match the certificate in "
          + names.cert() + " " + certFile);
    }
    List<X509Certificate> trusted = caFile == null ? List.of(chain.get(0)) : certificates(caFile, names.ca());
    try {
      KeyStore keys = emptyStore();
      keys.setKeyEntry(KEY_ALIAS, key, KEY_STORE_PASSWORD.toCharArray(), chain.toArray(new Certificate[0]));
      KeyStore trust = emptyStore();
      for (int i = 0; i < trusted.size(); i++) {
        trust.setCertificateEntry("trusted-" + i, trusted.get(i));
      }
      return new TlsMaterial(keys, trust, chain.get(0));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(names.key() + " " + keyFile + " cannot be used: " + e.getMessage(), e);
    }
  }

  /** The node's key and chain under {@link #KEY_ALIAS}, protected by {@link #KEY_STORE_PASSWORD}. */
  KeyStore keyStore() {
    return keyStore;
  }

  /** The certificate the node serves (the chain's first). */
  X509Certificate certificate() {
    return certificate;
  }

  /**
   * A client context for connections to peers: it trusts the CA bundle, or the node's own
   * certificate. It presents no certificate itself; peers tell a node by the cluster secret.
   */
  SSLContext clientContext() {
    try {
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trustStore);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), new SecureRandom());
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS to peers: " + e.getMessage(), e);
    }
  }

  private static KeyStore emptyStore() throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
    return store;
  }

  private static List<X509Certificate> certificates(Path file, String name) {
    String text = read(file, name);
    if (!text.contains("-----BEGIN CERTIFICATE-----")) {
      throw new IllegalArgumentException(name + " " + file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      List<X509Certificate> result = factory.generateCertificates(
              new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII))).stream()
          .map(c -> (X509Certificate) c).toList();
      if (result.isEmpty()) {
        throw new CertificateException("no certificate found");
      }
      return result;
    } catch (CertificateException | RuntimeException e) {
      throw new IllegalArgumentException(name + " " + file + " holds a malformed certificate ("
          + PemKeys.firstLine(e) + ")", e);
    }
  }

  private static String read(Path file, String name) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(name + " " + file + " does not exist", e);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(name + " " + file + " cannot be read (" + PemKeys.firstLine(e) + ")", e);
    }
  }

  /** Signs with the key and verifies with the certificate: works alike for RSA and EC. */
  private static boolean belongTogether(PrivateKey key, X509Certificate certificate) {
    if (!key.getAlgorithm().equals(certificate.getPublicKey().getAlgorithm())) {
      return false;
    }
    String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    byte[] probe = "kvs key check".getBytes(StandardCharsets.US_ASCII);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
