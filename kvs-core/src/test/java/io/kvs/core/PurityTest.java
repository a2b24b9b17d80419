package io.kvs.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * kvs-core is pure: no I/O, threads, locks, real clock, unseeded randomness or static mutable
 * state, and no dependency on the modules built on it. Read from the class files (ArchUnit),
 * so a violation fails the build instead of waiting for a reviewer. Each rule is proven
 * against {@code planted.ImpureComponent}, a test class that breaks all of them.
 */
class PurityTest {
  /** The one known exception, a memo of pure ring computations shared by the nodes of a JVM (issue 15). */
  private static final String RING_CACHE = "io.kvs.core.RingCache";

  private static final List<ArchRule> RULES = List.of(
      noClasses().that().doNotHaveFullyQualifiedName(RING_CACHE)
          .should().dependOnClassesThat().resideInAnyPackage("java.io..", "java.nio.file..", "java.net..",
              "java.nio.channels..", "java.util.concurrent..", "java.lang.reflect..", "java.time..")
          .orShould().dependOnClassesThat().belongToAnyOf(Thread.class, Runtime.class, ProcessBuilder.class,
              java.security.SecureRandom.class, java.util.Random.class)
          .allowEmptyShould(false)
          .because("kvs-core does no I/O and starts no threads: they come in through interfaces"),
      noClasses().should().callMethod(System.class, "nanoTime")
          .orShould().callMethod(System.class, "currentTimeMillis")
          .orShould().callMethod(System.class, "getenv", String.class)
          .orShould().callMethod(Math.class, "random")
          .orShould().callMethod(java.util.UUID.class, "randomUUID")
          .orShould().callConstructor(SplittableRandom.class)
          .because("time and randomness come from the injected Clock and a seeded generator"),
      methods().should().notHaveModifier(JavaModifier.SYNCHRONIZED)
          .because("a node is single-threaded by construction"),
      fields().that().areStatic().should().beFinal()
          .because("nodes in one JVM (a simulation) must share no state"),
      noClasses().should().dependOnClassesThat().resideInAnyPackage("io.kvs.http..", "io.kvs.testkit..",
              "io.kvs.api..", "io.kvs.client..", "io.kvs.bench..")
          .because("the modules depend on kvs-core, never the reverse"));

  private static JavaClasses core() {
    return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.kvs.core");
  }

  @Test
  void kvsCoreKeepsEveryRule() {
    JavaClasses core = core();
    assertThat(core.size()).as("kvs-core classes read").isGreaterThan(40);
    RULES.forEach(rule -> rule.check(core));
  }

  @Test
  void everyRuleCatchesThePlantedViolations() {
    JavaClasses planted = new ClassFileImporter().importPackages("io.kvs.core.planted");
    assertThat(planted.size()).isPositive();
    for (int i = 0; i < RULES.size(); i++) {
      ArchRule rule = RULES.get(i);
      assertThatThrownBy(() -> rule.check(planted)).as("rule %d", i).isInstanceOf(AssertionError.class);
    }
  }

  /** A synchronized block leaves no trace that ArchUnit reads, so the source is searched too. */
  @Test
  void noSynchronizedBlockInTheSource() throws IOException {
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      List<Path> locking = files.filter(p -> p.toString().endsWith(".java")).filter(PurityTest::locks).toList();
      assertThat(locking).isEmpty();
    }
    assertThat(locks(Path.of("src/test/java/io/kvs/core/planted/ImpureComponent.java"))).isTrue();
  }

  private static boolean locks(Path file) {
    try {
      return Files.readString(file).contains("synchronized");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
