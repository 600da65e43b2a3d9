package io.llmanalytics.store;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/**
 * An in-process MongoDB-wire-compatible server for machines without MongoDB (a laptop, CI, the README's run command).
 * The application talks to it through the official driver exactly as it would to a real server. Single node only.
 */
@ApplicationScoped
public class EmbeddedMongoServer {

    private final StoreConfig config;
    private MongoServer server;
    private InetSocketAddress address;

    public EmbeddedMongoServer(StoreConfig config) {
        this.config = config;
    }

    /** Starts the server on first use and returns where it listens. */
    public synchronized InetSocketAddress address() {
        if (server == null) {
            server = new MongoServer(backend());
            server.bind("127.0.0.1", config.embedded().port());
            address = server.getLocalAddress();
            Log.infof(
                    "Embedded MongoDB-compatible store (%s) listening on %s:%d",
                    config.embedded().backend().name().toLowerCase(), address.getHostString(), address.getPort());
        }
        return address;
    }

    private MongoBackend backend() {
        if (config.embedded().backend() == StoreConfig.Backend.MEMORY) {
            return new MemoryBackend();
        }
        Path dir = config.dataDir().toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
            ownerOnly(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("DATA_DIR " + dir + " cannot be created", e);
        }
        H2Backend backend = H2Store.open(dir.resolve("store.mv"));
        try {
            ownerOnly(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("the store's files in DATA_DIR " + dir + " cannot be made private", e);
        }
        return backend;
    }

    /**
     * The data directory 0700 and every file in it 0600, existing ones included (store.mv was once created 0644):
     * nothing but the service's own user may read the stored datasets.
     */
    static void ownerOnly(Path dir) throws IOException {
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } else if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
                }
            }
        }
    }

    @PreDestroy
    synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server = null;
        }
    }
}
