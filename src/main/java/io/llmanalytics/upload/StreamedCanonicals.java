package io.llmanalytics.upload;

import io.llmanalytics.session.GridFsFiles;
import io.llmanalytics.session.GridFsStream;
import io.llmanalytics.session.StoredFile;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.bson.Document;

/**
 * The canonical files of one new session stored in GridFS while their readers write them ({@link CanonicalSink}),
 * under the metadata a canonical file stored after the parse gets. A file its reader abandons (it stepped aside for a
 * slower route, which writes the file again) is deleted, and the file the slower route writes is stored after the
 * parse, as any other.
 */
final class StreamedCanonicals implements CanonicalSink.Opener {

    private final GridFsFiles files;
    private final String session;
    private final Map<Path, GridFsStream> streams = new ConcurrentHashMap<>();

    StreamedCanonicals(GridFsFiles files, String session) {
        this.files = files;
        this.session = session;
    }

    @Override
    public Optional<CanonicalSink> open(Path canonical, String dataset) {
        Document meta =
                new Document("session", session).append("kind", "canonical").append("dataset", dataset);
        GridFsStream stream = files.stream(dataset + ".csv", meta);
        streams.put(canonical, stream);
        return Optional.of(new CanonicalSink() {
            @Override
            public void write(byte[] bytes, int from, int length) throws IOException {
                stream.write(bytes, from, length);
            }

            @Override
            public void complete() throws IOException {
                stream.complete();
            }

            @Override
            public void abandon() {
                streams.remove(canonical, stream);
                stream.abandon();
                // deletes what was sent of it, once every write sent has ended
                stream.stored().subscribe().with(f -> {}, e -> {});
            }
        });
    }

    /** The store of the canonical file at {@code canonical}, when it was streamed whole; empty otherwise. */
    Optional<Uni<StoredFile>> stored(Path canonical) {
        GridFsStream stream = streams.get(canonical);
        return stream != null && stream.completed() ? Optional.of(stream.stored()) : Optional.empty();
    }

    /**
     * After a failed ingest: every stream ended (abandoned if its file was not whole) and the id of each file stored
     * whole added to {@code stored}, so that the clean-up deletes it with the others.
     */
    Uni<Void> settle(List<String> stored) {
        List<Uni<Void>> ends = streams.values().stream()
                .map(stream -> {
                    if (!stream.completed()) {
                        stream.abandon();
                    }
                    return stream.stored()
                            .invoke(f -> SessionIntake.addOnce(stored, f.id()))
                            .replaceWithVoid()
                            .onFailure()
                            .recoverWithNull();
                })
                .toList();
        return ends.isEmpty()
                ? Uni.createFrom().voidItem()
                : Uni.join().all(ends).andCollectFailures().replaceWithVoid();
    }
}
