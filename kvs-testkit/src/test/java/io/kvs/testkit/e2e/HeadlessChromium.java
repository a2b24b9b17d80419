package io.kvs.testkit.e2e;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real browser for the status page tests: Debian's {@code chromium} in headless mode, which
 * loads a page, lays it out and prints the resulting DOM ({@code --dump-dom}) or a screenshot.
 */
final class HeadlessChromium {
  private static final List<String> BINARIES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser");
  private static final long TIMEOUT_SECONDS = 60;

  private final String binary;

  private HeadlessChromium(String binary) {
    this.binary = binary;
  }

  /** The installed browser, or a test failure that names the package to install. */
  static HeadlessChromium installedOrFail() {
    for (String b : BINARIES) {
      if (Files.isExecutable(Path.of(b))) {
        return new HeadlessChromium(b);
      }
    }
    return fail("the status page test needs a browser: apt-get install -y chromium");
  }

  /** The DOM of {@code url} once the page loaded, as the browser serializes it. */
  String dumpDom(String url) {
    return run(List.of("--dump-dom", url));
  }

  /** Saves a {@code width}x{@code height} screenshot of {@code url} to {@code png}. */
  void screenshot(String url, Path png, int width, int height) {
    run(List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height, url));
  }

  private String run(List<String> args) {
    Path profile = null;
    try {
      profile = Files.createTempDirectory("kvs-chromium");
      List<String> command = new java.util.ArrayList<>(List.of(binary, "--headless", "--no-sandbox",
          "--disable-gpu", "--no-first-run", "--user-data-dir=" + profile));
      command.addAll(args);
      Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return fail("chromium did not finish within " + TIMEOUT_SECONDS + " s");
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return fail("cannot run chromium: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted while chromium ran");
    } finally {
      deleteQuietly(profile);
    }
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // a temporary profile left behind is harmless
    }
  }
}
