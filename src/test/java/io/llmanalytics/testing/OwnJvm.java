package io.llmanalytics.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a {@code @QuarkusTest} class whose {@code @TestProfile} no other class uses, so that it starts an application
 * of its own: the build runs each such class in a JVM of its own (the pom's {@code own-jvm} surefire execution), and
 * every other test in one JVM.
 *
 * <p>Quarkus keeps each test application's class loader until the JVM exits (its test launcher's map of runtime class
 * loaders, quarkusio/quarkus#38774), so every application a JVM started stays in its heap. In one JVM, each restart for
 * a profile left about 160 MB live; the later classes of {@code bin/test} ran in a collector that hardly freed
 * anything (validators warming in 124-176 s instead of 10-18 s) and the run took 41 minutes. The classes of a profile
 * several classes use stay in the main JVM, where they share one application ({@code CodeRulesTest} checks which
 * classes are marked).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(OwnJvm.TAG)
public @interface OwnJvm {

    /** The JUnit tag the pom selects these classes by. */
    String TAG = "own-jvm";
}
