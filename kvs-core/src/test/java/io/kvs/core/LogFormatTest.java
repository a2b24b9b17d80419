package io.kvs.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogFormatTest {
  private static byte[] log(String... payloads) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String p : payloads) {
      out.writeBytes(LogFormat.frame(p.getBytes(StandardCharsets.UTF_8)));
    }
    return out.toByteArray();
  }

  private static List<String> payloads(byte[] file, boolean verify, LogFormat.Scan[] scan) {
    List<String> seen = new ArrayList<>();
    scan[0] = LogFormat.scan(file, verify, (f, from, to) -> seen.add(new String(f, from, to - from, StandardCharsets.UTF_8)));
    return seen;
  }

  @Test
  void anIntactLogReadsBackWhole() {
    LogFormat.Scan[] scan = new LogFormat.Scan[1];
    assertThat(payloads(log("a", "bb", ""), true, scan)).containsExactly("a", "bb", "");
    assertThat(scan[0].end()).isEqualTo(LogFormat.End.CLEAN);
  }

  @Test
  void aRecordCutShortAtAnyByteIsATornTail() {
    byte[] whole = log("first", "second");
    int secondStarts = LogFormat.HEADER_BYTES + 5;
    for (int cut = secondStarts + 1; cut < whole.length; cut++) {
      LogFormat.Scan[] scan = new LogFormat.Scan[1];
      assertThat(payloads(Arrays.copyOf(whole, cut), true, scan)).containsExactly("first");
      // a cut inside the length's leading zero bytes leaves only zeros: no record was begun there
      LogFormat.End expected = cut - secondStarts <= 3 ? LogFormat.End.CLEAN : LogFormat.End.TORN;
      assertThat(scan[0].end()).as("cut at %d", cut).isEqualTo(expected);
      assertThat(scan[0].validBytes()).isEqualTo(secondStarts);
    }
  }

  @Test
  void aFlippedBitAnywhereIsCorruption() {
    byte[] whole = log("first", "second", "third");
    int secondStarts = LogFormat.HEADER_BYTES + 5;
    for (int at = secondStarts; at < secondStarts + LogFormat.HEADER_BYTES + 6; at++) {
      byte[] damaged = whole.clone();
      damaged[at] ^= 0x10;
      LogFormat.Scan[] scan = new LogFormat.Scan[1];
      assertThat(payloads(damaged, true, scan)).as("flip at %d", at).containsExactly("first");
      assertThat(scan[0].end()).as("flip at %d", at).isEqualTo(LogFormat.End.CORRUPT);
    }
  }

  @Test
  void zerosAfterTheLastRecordAreSpaceAllocatedAheadOfTheLog() {
    byte[] whole = log("only");
    LogFormat.Scan[] scan = new LogFormat.Scan[1];
    assertThat(payloads(Arrays.copyOf(whole, whole.length + 4096), true, scan)).containsExactly("only");
    assertThat(scan[0].end()).isEqualTo(LogFormat.End.CLEAN);
    assertThat(scan[0].validBytes()).isEqualTo(whole.length);
  }

  @Test
  void aRecordCutAtASectorBoundaryIntoAllocatedZerosIsATornTail() {
    String big = "v".repeat(3 * LogFormat.SECTOR_BYTES);
    byte[] whole = log("first", big);
    byte[] preallocated = Arrays.copyOf(whole, 8 * LogFormat.SECTOR_BYTES);
    Arrays.fill(preallocated, 2 * LogFormat.SECTOR_BYTES, preallocated.length, (byte) 0);
    LogFormat.Scan[] scan = new LogFormat.Scan[1];
    assertThat(payloads(preallocated, true, scan)).containsExactly("first");
    assertThat(scan[0].end()).isEqualTo(LogFormat.End.TORN);
    assertThat(scan[0].validBytes()).isEqualTo(LogFormat.HEADER_BYTES + 5);
  }

  @Test
  void aFlippedBitInTheLastRecordBeforeAllocatedZerosIsStillCorruption() {
    byte[] whole = log("first", "second");
    byte[] preallocated = Arrays.copyOf(whole, 4 * LogFormat.SECTOR_BYTES);
    preallocated[whole.length - 2] ^= 0x04;
    LogFormat.Scan[] scan = new LogFormat.Scan[1];
    assertThat(payloads(preallocated, true, scan)).containsExactly("first");
    assertThat(scan[0].end()).isEqualTo(LogFormat.End.CORRUPT);
  }

  @Test
  void withoutVerificationADamagedPayloadIsTrusted() {
    byte[] damaged = log("value");
    damaged[LogFormat.HEADER_BYTES] ^= 0x01;
    LogFormat.Scan[] scan = new LogFormat.Scan[1];
    assertThat(payloads(damaged, false, scan)).containsExactly("walue");
  }
}
