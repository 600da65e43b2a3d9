package io.llmanalytics.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store's data directory is 0700 and its files 0600, existing ones included. */
class StoreFilePermissionsTest {

    @TempDir
    Path dir;

    @Test
    void existingStoreFilesBecomeOwnerOnly() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path store = Files.writeString(data.resolve("store.mv"), "rows of a session");
        Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("rw-r--r--"));
        Path nested = Files.createDirectories(data.resolve("backup"));
        EmbeddedMongoServer.ownerOnly(data);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(nested)));
    }
}
