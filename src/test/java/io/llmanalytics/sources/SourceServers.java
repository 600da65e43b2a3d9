package io.llmanalytics.sources;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Path;

/**
 * The servers behind the sources of {@link SourcesProfile}: the shared PostgreSQL with the fixtures ({@code warehouse},
 * {@code limited}, {@code badcreds}), a second PostgreSQL that a test stops mid-import ({@code doomed}), and the work
 * directory the service imports into. Inject it into a test with {@link Inject}.
 */
public record SourceServers(TestDatabase postgres, TestDatabase doomed, Path workDir) {

    /** Marks the test field {@link SourceServersResource} fills. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Inject {}
}
