package io.llmanalytics.sources;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * The database sources of the API tests (one profile, one application start): real PostgreSQL servers from
 * {@link SourceServersResource}, the offline analyst, a short query timeout and a stored-bytes quota that the
 * 1 M-row table passes but the small tables do not.
 */
public class SourcesProfile implements QuarkusTestProfile {

    /** The stored-bytes quota (open mode: every session counts). */
    public static final long STORED_BYTES = 4L << 20;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "sources.query-timeout",
                "12s",
                "sources.connect-timeout",
                "3s",
                "llm.analyst",
                "offline",
                "access.limits.stored-bytes",
                Long.toString(STORED_BYTES));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(SourceServersResource.class));
    }
}
