package io.llmanalytics.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyRingTest {

    @TempDir
    Path dir;

    @Test
    void keysFromTheSettingAndTheFileAreKnownByTheirHashOnly() throws Exception {
        Path file = dir.resolve("keys");
        String hashed =
                HexFormat.of().formatHex(KeyRing.sha256("from-file-as-hash")).toUpperCase();
        Files.writeString(file, "# comment\n\n from-file \nSHA256:" + hashed + "\n");
        KeyRing ring = KeyRing.load(Optional.of("one, two"), Optional.of(file));
        assertFalse(ring.isOpen());
        assertEquals(4, ring.size());
        for (String key : new String[] {"one", "two", "from-file", "from-file-as-hash"}) {
            Optional<String> id = ring.idOf(key);
            assertTrue(id.isPresent(), key);
            assertTrue(id.get().matches("[0-9a-f]{16}"), id.get());
            assertEquals(HexFormat.of().formatHex(KeyRing.sha256(key)).substring(0, 16), id.get());
        }
        assertNotEquals(ring.idOf("one"), ring.idOf("two"));
        assertTrue(ring.idOf("three").isEmpty());
        assertTrue(ring.idOf("").isEmpty());
        assertTrue(ring.idOf(null).isEmpty());
        assertTrue(ring.idOf("ONE").isEmpty(), "keys are case-sensitive");
    }

    @Test
    void noKeysIsOpenMode() {
        assertTrue(KeyRing.load(Optional.empty(), Optional.empty()).isOpen());
        assertTrue(KeyRing.load(Optional.of("  "), Optional.empty()).isOpen());
        assertTrue(KeyRing.open().idOf("anything").isEmpty());
    }

    @Test
    void aBadSettingIsRefusedNamingIt() throws Exception {
        assertMessage(
                () -> KeyRing.load(Optional.of("a,,b"), Optional.empty()),
                "API_KEYS (access.api-keys), key 2 is empty");
        assertMessage(() -> KeyRing.load(Optional.of("a,"), Optional.empty()), "key 2 is empty");
        assertMessage(() -> KeyRing.load(Optional.of("has space"), Optional.empty()), "printable ASCII");
        assertMessage(
                () -> KeyRing.load(Optional.empty(), Optional.of(dir.resolve("missing"))),
                "API_KEYS_FILE (access.api-keys-file): cannot read");
        Path empty = Files.writeString(dir.resolve("empty"), "# nothing\n\n");
        assertMessage(() -> KeyRing.load(Optional.empty(), Optional.of(empty)), "holds no key");
        Path badHash = Files.writeString(dir.resolve("bad"), "sha256:abc\n");
        assertMessage(() -> KeyRing.load(Optional.empty(), Optional.of(badHash)), "line 1");
        assertMessage(() -> KeyRing.load(Optional.empty(), Optional.of(dir)), "cannot read");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable load, String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, load);
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }

    @Test
    void callersOwnTheirSessionsOnlyWithKeys() {
        Caller keyed = new Caller("0123456789abcdef", true);
        assertEquals("0123456789abcdef", keyed.owner());
        assertTrue(keyed.owns("0123456789abcdef"));
        assertFalse(keyed.owns("fedcba9876543210"));
        assertFalse(keyed.owns(null), "a session of open mode is no key's");
        Caller open = new Caller("127.0.0.1", false);
        assertEquals(null, open.owner());
        assertTrue(open.owns("0123456789abcdef"));
        assertTrue(open.owns(null));
        assertNotEquals(keyed.limitKey(), new Caller("0123456789abcdef", false).limitKey());
    }
}
