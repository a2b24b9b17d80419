package io.kvs.core;

/** Every failure a request can meet, with the category a transport maps to a status code. */
public enum KvsError {
  VALUE_MISSING(Category.BAD_REQUEST, "PUT request does not specify a value"),
  KEY_TOO_LONG(Category.BAD_REQUEST, "Key is too long"),
  KEY_EMPTY(Category.BAD_REQUEST, "Key is empty"),
  INVALID_METADATA(Category.BAD_REQUEST, "Invalid causal metadata"),
  INVALID_ADDRESS(Category.BAD_REQUEST, "Socket address must look like IP:PORT"),
  INVALID_SHARD_COUNT(Category.BAD_REQUEST, "Shard count must be a positive integer"),
  NOT_ENOUGH_NODES(Category.BAD_REQUEST,
      "Not enough nodes to provide fault tolerance with requested shard count"),
  KEY_NOT_FOUND(Category.NOT_FOUND, "Key does not exist"),
  NO_SUCH_SHARD(Category.NOT_FOUND, "Shard does not exist"),
  NO_SUCH_REPLICA(Category.NOT_FOUND, "View has no such replica"),
  DEPENDENCIES_UNSATISFIED(Category.UNAVAILABLE, "Causal dependencies not satisfied; try again later"),
  SHARD_UNAVAILABLE(Category.UNAVAILABLE, "No member of the key's shard is reachable; try again later"),
  TOO_FEW_REPLICAS(Category.UNAVAILABLE,
      "Too few replicas stored the write in time to acknowledge it; it may or may not take effect"),
  BUSY(Category.UNAVAILABLE, "The cluster is changing its membership; try again later"),
  NODE_STOPPED(Category.UNAVAILABLE, "The node is shutting down; try again later"),
  // Client-side failures of sessions (embedded and remote). Appended after the node's own
  // errors: node-to-node frames carry errors by ordinal.
  VALUE_NOT_SERIALISABLE(Category.BAD_REQUEST, "The value cannot be written as JSON"),
  VALUE_NOT_JSON(Category.BAD_REQUEST, "The value is not one valid JSON document"),
  VALUE_TYPE_MISMATCH(Category.BAD_REQUEST, "The stored value cannot be read as the requested type"),
  INVALID_SESSION_TOKEN(Category.BAD_REQUEST, "The session token was not exported by a kvs session"),
  REQUEST_REFUSED(Category.BAD_REQUEST, "The node refused the request as malformed"),
  CLIENT_CLOSED(Category.BAD_REQUEST, "The client is closed"),
  TIMEOUT(Category.UNAVAILABLE,
      "The request did not complete in time; a write may or may not have taken effect"),
  CONNECTION_LOST(Category.UNAVAILABLE,
      "The connection broke before the node answered; a write may or may not have taken effect"),
  UNREACHABLE(Category.UNAVAILABLE, "No node of the cluster could be reached; try again later"),
  UNEXPECTED_ANSWER(Category.UNAVAILABLE, "A node gave an answer the client does not understand");

  /** Broad kind of failure, mapped to one status code per transport. */
  public enum Category { BAD_REQUEST, NOT_FOUND, UNAVAILABLE }

  private final Category category;
  private final String message;

  KvsError(Category category, String message) {
    this.category = category;
    this.message = message;
  }

  public Category category() {
    return category;
  }

  /** One clear sentence for the client. */
  public String message() {
    return message;
  }
}
