package io.kvs.http;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The log line of {@code KVS_LOG_FORMAT=json} in kvs-node.jar: one JSON object a line with
 * {@code node} (the address), {@code time}, {@code level}, {@code logger}, {@code thread}, the
 * formatted {@code message}, and {@code error} (one line: the exception's class and message)
 * when there is one. Only the node jar's logback.xml names it; an app embedding kvs-http never
 * loads it (Logback is an optional dependency).
 */
public final class JsonLogLayout extends LayoutBase<ILoggingEvent> {
  private static final JsonFactory JSON = new JsonFactory();

  private String node = "kvs";

  /** The node's address, set from logback.xml. */
  public void setNode(String node) {
    this.node = node;
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("node", node);
      json.writeStringField("time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
      json.writeStringField("level", event.getLevel().toString());
      String logger = event.getLoggerName();
      json.writeStringField("logger", logger.substring(logger.lastIndexOf('.') + 1));
      json.writeStringField("thread", event.getThreadName());
      json.writeStringField("message", event.getFormattedMessage());
      IThrowableProxy error = event.getThrowableProxy();
      if (error != null) {
        json.writeStringField("error", error.getClassName() + ": " + error.getMessage());
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.append('\n').toString();
  }
}
