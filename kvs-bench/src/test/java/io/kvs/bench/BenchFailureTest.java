package io.kvs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import org.junit.jupiter.api.Test;

/** A run that fails says what failed in one sentence; the stack trace only when debugging. */
class BenchFailureTest {
  private static String printed(RuntimeException e, boolean debug) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      Bench.printFailure(out, "preloading the keys of kvs", e, debug);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void failureIsOneLineNamingTheStepAndTheReason() {
    String output = printed(new IllegalStateException("cannot preload a key at 127.0.0.1:9: refused"), false);

    assertThat(output.lines()).containsExactly("bench: preloading the keys of kvs failed: cannot preload a key at"
        + " 127.0.0.1:9: refused (-Dkvs.bench.debug=true adds the stack trace)");
  }

  @Test
  void debugAddsTheStackTrace() {
    String output = printed(new IllegalStateException("boom"), true);

    assertThat(output.lines().findFirst()).hasValue("bench: preloading the keys of kvs failed: boom");
    assertThat(output).contains("java.lang.IllegalStateException: boom", "\tat ");
  }

  @Test
  void reasonAddsACauseOnlyWhenItSaysSomethingNew() {
    assertThat(Bench.reason(new UncheckedIOException("cannot write the report /r/x.md",
        new AccessDeniedException("/r/x.md"))))
        .isEqualTo("cannot write the report /r/x.md (AccessDeniedException: /r/x.md)");
    assertThat(Bench.reason(new UncheckedIOException(new ConnectException("Connection refused"))))
        .isEqualTo("java.net.ConnectException: Connection refused");
    assertThat(Bench.reason(new NullPointerException())).isEqualTo("NullPointerException");
  }

  @Test
  void unreachableTargetFailsTheRunWithoutAStackTrace() throws IOException {
    String target = "127.0.0.1:" + BenchCluster.freePort();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int status;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      status = Bench.run(new String[] {"--targets", target, "--no-baseline", "--keys", "1", "--warmup", "0",
          "--duration", "1"}, out);
    }
    String output = bytes.toString(StandardCharsets.UTF_8);

    assertThat(status).as(output).isEqualTo(1);
    assertThat(output).contains("bench: preloading the keys of kvs failed: cannot preload a key at " + target);
    assertThat(output).doesNotContain("\tat ");
  }
}
