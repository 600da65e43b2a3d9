package io.llmanalytics.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a {@code @QuarkusTest} class whose {@code @TestProfile} no other class uses, so that it starts an application
 * of its own: the build runs such classes outside the main JVM, in small JVMs of at most {@value #PER_JVM} classes each
 * (the pom's {@code own-jvm-*} surefire executions; a class joins one with {@code @Tag(OwnJvm.GROUP_A)} and the like),
 * and every other test in one JVM.
 *
 * <p>Quarkus keeps each test application's class loader until the JVM exits (its test launcher's map of runtime class
 * loaders, quarkusio/quarkus#38774), so every application a JVM started stays in its heap. In one JVM, each restart for
 * a profile left about 160 MB live; the later classes of {@code bin/test} ran in a collector that hardly freed
 * anything (validators warming in 124-176 s instead of 10-18 s) and the run took 41 minutes. A JVM of its own for each
 * such class cost a fresh JVM's cold start (25-30 s) twelve times; four applications per JVM are what the main JVM
 * holds too. The classes of a profile several classes use stay in the main JVM, where they share one application
 * ({@code CodeRulesTest} checks which classes are marked, and that each is in one group of at most
 * {@value #PER_JVM}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(OwnJvm.TAG)
public @interface OwnJvm {

    /** The JUnit tag the pom keeps these classes out of the main JVM by. */
    String TAG = "own-jvm";

    /** The JUnit tags of the small JVMs (each selected by a surefire execution of the pom). */
    String GROUP_A = "own-jvm-a";

    String GROUP_B = "own-jvm-b";
    String GROUP_C = "own-jvm-c";

    /** Classes a small JVM runs at most (each leaves its application in the JVM's heap). */
    int PER_JVM = 4;
}
