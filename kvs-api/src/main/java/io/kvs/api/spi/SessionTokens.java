package io.kvs.api.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvs.api.KvsException;
import io.kvs.core.CausalContext;
import io.kvs.core.KvsError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Session tokens: {@code "kvs1."} followed by the base64url (unpadded) of the contract's
 * causal-metadata JSON. The prefix lets a later format be told apart; the rest stays the
 * contract's metadata so that a token taken from an embedded session resumes on a remote
 * client and the other way round.
 */
public final class SessionTokens {
  private static final String PREFIX = "kvs1.";
  /** Token parsing must not depend on a user's mapper configuration. */
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private SessionTokens() {}

  /** The token of {@code context}. */
  public static String encode(CausalContext context) {
    byte[] json = CausalMetadataJson.toJson(context).toString().getBytes(StandardCharsets.UTF_8);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(json);
  }

  /**
   * The context {@code token} carries.
   *
   * @throws KvsException {@link KvsError#INVALID_SESSION_TOKEN} when {@code token} is null or
   *     was not made by {@link #encode}
   */
  public static CausalContext decode(String token) {
    if (token == null || !token.startsWith(PREFIX)) {
      throw new KvsException(KvsError.INVALID_SESSION_TOKEN);
    }
    try {
      byte[] json = Base64.getUrlDecoder().decode(token.substring(PREFIX.length()));
      JsonNode metadata = MAPPER.readTree(json);
      if (metadata == null || !metadata.isObject()) {
        throw new KvsException(KvsError.INVALID_SESSION_TOKEN);
      }
      return CausalMetadataJson.fromJson(metadata);
    } catch (IllegalArgumentException | IOException e) {
      // bad base64, bad JSON, or metadata of the wrong shape
      throw new KvsException(KvsError.INVALID_SESSION_TOKEN, e);
    }
  }
}
