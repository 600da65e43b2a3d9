package io.llmanalytics.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.nio.file.Path;
import org.h2.mvstore.MVMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store's H2 file saves often, and what it saved is there when it is opened again. */
class H2StoreTest {

    @TempDir
    Path dir;

    @Test
    void savesTenTimesASecond() {
        H2Backend backend = H2Store.open(dir.resolve("store.mv"));
        try {
            assertEquals(100, backend.getMvStore().getAutoCommitDelay());
        } finally {
            backend.close();
        }
    }

    @Test
    void whatWasStoredIsReadAfterAReopen() {
        Path file = dir.resolve("store.mv");
        H2Backend first = H2Store.open(file);
        MVMap<String, String> map = first.getMvStore().openMap("kept");
        map.put("session", "a dataset");
        first.close();

        H2Backend second = H2Store.open(file);
        try {
            assertEquals(
                    "a dataset",
                    second.getMvStore().<String, String>openMap("kept").get("session"));
        } finally {
            second.close();
        }
    }
}
