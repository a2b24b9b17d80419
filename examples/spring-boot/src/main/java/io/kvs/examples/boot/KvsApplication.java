package io.kvs.examples.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A Spring Boot web app with a kvs node embedded in it (see {@link KvsConfiguration}). */
@SpringBootApplication
public class KvsApplication {
  /** Entry point. */
  public static void main(String[] args) {
    SpringApplication.run(KvsApplication.class, args);
  }
}
