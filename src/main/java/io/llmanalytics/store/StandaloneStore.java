package io.llmanalytics.store;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The embedded MongoDB-wire server as a process of its own, so that several service instances can share one store
 * without a MongoDB installation (the replica tests, the replica benchmark, a laptop trying two instances). Run by
 * {@code bin/store}; the instances point at it with {@code MONGODB_URL=mongodb://HOST:PORT}. One process, no
 * replication, no authentication: for tests and trials, not for production (use MongoDB there).
 *
 * <p>Arguments: {@code --port N} (default 27017; 0 picks a free one), {@code --host H} (default 127.0.0.1),
 * {@code --data-dir DIR} (H2 files, kept across restarts; without it the data lives in memory). Prints
 * {@code store listening on HOST:PORT} once it accepts connections, and closes its files on SIGTERM.
 */
public final class StandaloneStore {

    private StandaloneStore() {}

    public static void main(String[] args) throws Exception {
        int port = 27017;
        String host = "127.0.0.1";
        Path dataDir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
                case "--host" -> host = value(args, ++i, "--host");
                case "--data-dir" -> dataDir = Path.of(value(args, ++i, "--data-dir"));
                default -> usage("unknown argument " + args[i]);
            }
        }
        MongoServer server = new MongoServer(backend(dataDir));
        server.bind(host, port);
        InetSocketAddress address = server.getLocalAddress();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.shutdown();
                            System.out.println("store stopped");
                            stopped.countDown();
                        },
                        "store-shutdown"));
        System.out.printf(
                "store listening on %s:%d (%s)%n",
                address.getHostString(),
                address.getPort(),
                dataDir == null ? "memory" : "h2 in " + dataDir.toAbsolutePath().normalize());
        System.out.flush();
        stopped.await();
    }

    private static MongoBackend backend(Path dataDir) throws IOException {
        if (dataDir == null) {
            return new MemoryBackend();
        }
        Files.createDirectories(dataDir);
        return H2Store.open(dataDir.resolve("store.mv"));
    }

    private static String value(String[] args, int i, String name) {
        if (i >= args.length) {
            usage(name + " needs a value");
        }
        return args[i];
    }

    private static void usage(String problem) {
        System.err.println(problem + "\nusage: bin/store [--port N] [--host H] [--data-dir DIR]");
        System.exit(2);
    }
}
