package io.llmanalytics.store;

import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.nio.file.Path;
import org.h2.mvstore.MVStore;

/**
 * The embedded store's H2 file, saved every {@value #SAVE_DELAY_MS} ms rather than H2's default of every second.
 * H2's MVStore writes the changes made since its last save as one chunk, serialised into one heap buffer that grows
 * by half each time it is full. Saving once a second, concurrent 100 MB uploads piled up to 80 MB of changes between
 * two saves, and each save took a series of humongous buffers up to 80 MB, which G1 could only place after a full
 * collection (bench/gc_soak.sh, issue 20). Measured on 2 cores, six 100 MB uploads three at a time, against H2's
 * defaults: full collections 0 against 6 to 16; one upload at a time costs the same CPU (1.49 s against 1.60 s). A
 * smaller change threshold as well ({@code autoCommitBufferSize} 1 MB) cost 0.35 s more CPU per upload: the
 * writers then save themselves. Measured with G1, before the service moved to the Parallel collector (bin/lib.sh);
 * not measured again since.
 */
final class H2Store {

    static final int SAVE_DELAY_MS = 100;

    private H2Store() {}

    static H2Backend open(Path file) {
        MVStore store =
                new MVStore.Builder().fileName(file.toAbsolutePath().toString()).open();
        store.setAutoCommitDelay(SAVE_DELAY_MS);
        return new EmbeddedH2Backend(store);
    }
}
