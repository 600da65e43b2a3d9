package io.llmanalytics.access;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;

/**
 * API keys and low limits, for every access and limit test (one profile, one application start). Alice and Bob come
 * from {@code API_KEYS}; Carol (as her key's SHA-256), Dave, Erin, Frank and
 * Grace from a keys file. Each test uses its own caller
 * so that the counters of one never limit another.
 */
public class AccessProfile implements QuarkusTestProfile {

    public static final String ALICE = "alice-0123456789abcdef";
    public static final String BOB = "bob-0123456789abcdef";
    public static final String CAROL = "carol-0123456789abcdef";
    public static final String DAVE = "dave-0123456789abcdef";
    public static final String ERIN = "erin-0123456789abcdef";
    public static final String FRANK = "frank-0123456789abcdef";
    public static final String GRACE = "grace-0123456789abcdef";
    /** Only the chart access test uses Heidi's key. */
    public static final String HEIDI = "heidi-0123456789abcdef";
    /** Only the batch limit test uses Ivan's key. */
    public static final String IVAN = "ivan-0123456789abcdef";

    public static final int UPLOADS_PER_MINUTE = 4;
    public static final int ANALYSES_PER_MINUTE = 4;
    public static final int STORED_BYTES = 48 * 1024;
    public static final int MIN_BYTES_PER_SECOND = 2048;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("access.api-keys", ALICE + " , " + BOB + "," + HEIDI + "," + IVAN),
                Map.entry("access.api-keys-file", keysFile().toString()),
                Map.entry("access.limits.uploads-per-minute", Integer.toString(UPLOADS_PER_MINUTE)),
                Map.entry("access.limits.analyses-per-minute", Integer.toString(ANALYSES_PER_MINUTE)),
                Map.entry("access.limits.concurrent-streams", "1"),
                Map.entry("access.limits.stored-bytes", Integer.toString(STORED_BYTES)),
                Map.entry("access.upload.min-bytes-per-second", Integer.toString(MIN_BYTES_PER_SECOND)),
                Map.entry("access.upload.rate-window", "2s"),
                Map.entry("llm.analyst", "offline"));
    }

    private static Path keysFile() {
        try {
            Path file = Files.createTempFile("api-keys", ".txt");
            file.toFile().deleteOnExit();
            String carolHash = HexFormat.of().formatHex(KeyRing.sha256(CAROL));
            Files.writeString(
                    file,
                    "# keys of the access tests\n\nsha256:" + carolHash + "\n" + DAVE + "\n  " + ERIN + "  \n" + FRANK
                            + "\n" + GRACE + "\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
