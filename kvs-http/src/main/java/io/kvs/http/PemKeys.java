package io.kvs.http;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * Reads an unencrypted PKCS#8 private key ({@code -----BEGIN PRIVATE KEY-----}), RSA or EC,
 * from PEM text. The other PEM key forms openssl writes are named in the error with the command
 * that converts them, since "no key found" would leave the operator guessing.
 */
final class PemKeys {
  private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String END = "-----END PRIVATE KEY-----";
  private static final String CONVERT = "convert it with: openssl pkcs8 -topk8 -nocrypt -in OLD.pem -out NEW.pem";

  private PemKeys() {}

  /**
   * The key in {@code pem}.
   *
   * @param file how an error names the file, e.g. {@code "KVS_TLS_KEY file /etc/kvs/key.pem"}
   * @throws IllegalArgumentException with one sentence naming the file
   */
  static PrivateKey parse(String pem, String file) {
    int begin = pem.indexOf(BEGIN);
    int end = pem.indexOf(END);
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException(file + " " + wrongForm(pem));
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(pem.substring(begin + BEGIN.length(), end));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + " holds a PEM private key that is not valid Base64", e);
    }
    for (String algorithm : new String[] {"RSA", "EC"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // not this algorithm (or malformed): try the next
      }
    }
    throw new IllegalArgumentException(file + " holds a private key that is malformed or neither RSA nor EC");
  }

  private static String wrongForm(String pem) {
    if (pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
      return "holds an encrypted key, and the node needs an unencrypted PKCS#8 key: " + CONVERT;
    }
    if (pem.contains("-----BEGIN RSA PRIVATE KEY-----") || pem.contains("-----BEGIN EC PRIVATE KEY-----")) {
      return "holds a key in the older PKCS#1/SEC1 form, and the node needs PKCS#8: " + CONVERT;
    }
    return "holds no PEM private key (" + BEGIN + ")";
  }

  /** The first line of an exception's message, for a one-sentence error. */
  static String firstLine(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).trim();
  }
}
