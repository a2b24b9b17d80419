package io.kvs.testkit.e2e;

import static io.kvs.testkit.e2e.E2ESupport.FAST_FAILURE_DETECTION;
import static io.kvs.testkit.e2e.E2ESupport.assumeBindable;
import static io.kvs.testkit.e2e.E2ESupport.log;
import static io.kvs.testkit.e2e.E2ESupport.logDir;
import static io.kvs.testkit.e2e.E2ESupport.loopbackAddresses;
import static io.kvs.testkit.e2e.E2ESupport.nodeJarOrFail;
import static org.assertj.core.api.Assertions.assertThat;

import io.kvs.testkit.process.Poll;
import io.kvs.testkit.process.ProcessCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The status page ({@code GET /ui}) in a real browser, on six node processes with two shards: it
 * shows six nodes and two shards and says ok; after one node is killed it marks that node down
 * and says degraded; after the node's restart it says ok again.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class StatusPageBrowserTest {
  private static final Pattern VERDICT = Pattern.compile("id=\"verdict\" class=\"verdict (\\w+)\"");
  private static final Pattern NODE_ROW = Pattern.compile("data-address=\"([^\"]+)\" data-state=\"(\\w+)\"");
  private static final Pattern SHARD_ROW = Pattern.compile("<tr data-shard=\"(\\d+)\"");

  private final List<String> six = loopbackAddresses(2, 6);
  private ProcessCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void thePageShowsTheClusterAKilledNodeAsDownAndRecoversAfterTheRestart() {
    Path jar = nodeJarOrFail();
    HeadlessChromium browser = HeadlessChromium.installedOrFail();
    assumeBindable(six);
    cluster = new ProcessCluster(jar, logDir(getClass()), FAST_FAILURE_DETECTION);
    cluster.startAll(six, 2);
    cluster.awaitReady(six, Duration.ofSeconds(60));
    String page = "http://" + six.get(0) + "/ui";

    String healthy = awaitPage(browser, page, "ok", six.get(5), "alive");
    assertThat(count(NODE_ROW, healthy)).isEqualTo(6);
    assertThat(count(SHARD_ROW, healthy)).isEqualTo(2);
    browser.screenshot(page, logDir(getClass()).resolve("healthy.png"), 1200, 800);

    cluster.node(six.get(5)).kill9();
    String degraded = awaitPage(browser, page, "degraded", six.get(5), "down");
    assertThat(degraded).contains("node " + six.get(5) + " is down");
    assertThat(count(NODE_ROW, degraded)).as("a down node stays on the page").isEqualTo(6);
    browser.screenshot(page, logDir(getClass()).resolve("degraded.png"), 1200, 800);

    cluster.restart(six.get(5));
    awaitPage(browser, page, "ok", six.get(5), "alive");
  }

  /** Loads the page in the browser until it shows {@code verdict} and {@code address} in {@code state}. */
  private static String awaitPage(HeadlessChromium browser, String url, String verdict, String address,
                                  String state) {
    String[] last = {""};
    Poll.until(Duration.ofSeconds(45), "the page says " + verdict + " with " + address + " " + state, () -> {
      last[0] = browser.dumpDom(url);
      return verdict.equals(first(VERDICT, last[0])) && state.equals(stateOf(last[0], address));
    });
    log("status page: %s, %s is %s", verdict, address, state);
    return last[0];
  }

  private static String stateOf(String dom, String address) {
    Matcher m = NODE_ROW.matcher(dom);
    while (m.find()) {
      if (m.group(1).equals(address)) {
        return m.group(2);
      }
    }
    return null;
  }

  private static String first(Pattern p, String text) {
    Matcher m = p.matcher(text);
    return m.find() ? m.group(1) : null;
  }

  private static int count(Pattern p, String text) {
    Matcher m = p.matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
