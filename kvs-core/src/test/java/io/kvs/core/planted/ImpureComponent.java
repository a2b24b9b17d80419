package io.kvs.core.planted;

import java.io.File;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** Everything kvs-core must not do, in one class, so that PurityTest can prove each rule fails. */
public class ImpureComponent {
  static Map<String, Long> seen = new HashMap<>();

  synchronized long now() {
    return System.nanoTime() + System.currentTimeMillis();
  }

  int roll() {
    return new SplittableRandom().nextInt() + (int) (Math.random() * 10);
  }

  void work() {
    new Thread(() -> {}).start();
  }

  boolean exists() {
    return new File("data").exists();
  }

  int upward() {
    return io.kvs.http.planted.UpperLayer.answer();
  }
}
