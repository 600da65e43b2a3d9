package io.llmanalytics.session;

import com.mongodb.reactivestreams.client.MongoDatabase;
import io.llmanalytics.dataset.DatasetFiles;
import io.llmanalytics.dataset.DatasetSource;
import io.llmanalytics.store.StoreCalls;
import io.llmanalytics.store.StoreConfig;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executor;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * Keeps uploaded files and canonical datasets in GridFS through the reactive driver. File reads and writes happen on
 * worker threads; each operation is bounded by the store timeout (scaled by size for large files).
 */
@ApplicationScoped
public class GridFsFiles implements DatasetFiles {

    /** Temporary files hold a dataset: 0600, the service's own user only. */
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    /** The GridFS bucket holding uploads and canonical datasets. */
    public static final String BUCKET = "datasets";

    /**
     * 1 MiB chunks: measured against 256 KiB and 4 MiB (bench/ingest.sh, 95 MB upload, embedded H2 store, issue 20; one
     * run each on a loaded machine, load 9-16, so orders of magnitude only),
     * 256 KiB cost the service more CPU (GC and H2 writes, 5.4 s against 2.6 s per upload) and RSS, 4 MiB more H2
     * page writes (H2-save 0.57 s against 0.28 s) and G1 work for humongous buffers. Measured again with the Parallel
     * collector (bin/lib.sh; the same bench, 5 warm uploads then 7, two rounds alternating, load 1.6-1.8): 1 MiB 1.06
     * and 1.08 s per upload, 2 MiB 1.13 and 1.18 s, 4 MiB 1.10 and 1.14 s (its collector's CPU up to 0.27 s against
     * 0.11 s); 1 MiB kept.
     */
    private static final int CHUNK_SIZE = 1 << 20;
    /**
     * Chunks of one file read and not yet stored, at most, when storing: 4 MiB of heap per upload, however large (the
     * driver's own upload held up to 256).
     */
    static final int CHUNKS_IN_FLIGHT = 4;

    private final GridFsWriter writer;
    private final GridFsReader reader;
    private final StoreConfig config;
    private final Executor blocking = Infrastructure.getDefaultWorkerPool();

    public GridFsFiles(ReactiveMongoClient client, StoreConfig config) {
        MongoDatabase database = client.unwrap().getDatabase(config.database());
        this.reader = new GridFsReader(database, BUCKET, blocking);
        this.writer = new GridFsWriter(database, BUCKET, blocking, CHUNK_SIZE, CHUNKS_IN_FLIGHT, config.timeout());
        this.config = config;
    }

    /** Stores {@code file}, hashing it on the way. */
    public Uni<StoredFile> store(Path file, String filename, Document metadata) {
        return writer.write(file, filename, metadata, StoreCalls.within(timeoutFor(sizeOf(file))));
    }

    /** A file stored as it is written: see {@link GridFsStream}. */
    public GridFsStream stream(String filename, Document metadata) {
        return writer.stream(filename, metadata, config.timeout());
    }

    public Uni<Void> delete(String id) {
        return reader.delete(new ObjectId(id)).plug(StoreCalls.within(config.timeout()));
    }

    /** Copies a stored file to {@code target}. */
    public Uni<Path> download(String id, Path target) {
        return Uni.createFrom()
                .item(() -> open(target))
                .runSubscriptionOn(blocking)
                .chain(channel -> reader.copyTo(new ObjectId(id), channel).eventually(() -> close(channel)))
                .replaceWith(target)
                .plug(StoreCalls.within(timeoutFor(0)));
    }

    private static FileChannel open(Path target) {
        try {
            return FileChannel.open(
                    target, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Uni<Path> materialise(DatasetSource source) {
        return Uni.createFrom()
                .item(() -> {
                    try {
                        return Files.createTempFile("dataset-", ".csv", OWNER_ONLY);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .runSubscriptionOn(blocking)
                .chain(path -> download(source.fileId(), path)
                        .onFailure()
                        .call(() -> Uni.createFrom()
                                .item(() -> path.toFile().delete())
                                .runSubscriptionOn(blocking)));
    }

    private Duration timeoutFor(long bytes) {
        // the base timeout, plus a second per 20 MB for large files
        return config.timeout().plusMillis(bytes / 20_000);
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
