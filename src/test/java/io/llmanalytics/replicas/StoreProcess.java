package io.llmanalytics.replicas;

import io.llmanalytics.testing.Conditions;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The store as its own process ({@code io.llmanalytics.store.StandaloneStore} from the packaged service, as
 * {@code bin/store} runs it), on a fixed port and data directory, so that it can be stopped and started again where
 * the instances expect it.
 */
final class StoreProcess implements AutoCloseable {

    private final int port;
    private final Path dataDir;
    private final Path log;
    private Process process;

    private StoreProcess(int port, Path dataDir, Path log) {
        this.port = port;
        this.dataDir = dataDir;
        this.log = log;
    }

    static StoreProcess start(Path dataDir) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        StoreProcess store = new StoreProcess(port, dataDir, Files.createTempFile("store-", ".log"));
        store.start();
        return store;
    }

    String url() {
        return "mongodb://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** Starts (again) on the same port and data directory, waiting until it listens. */
    synchronized void start() throws Exception {
        Path app = Path.of("target", "quarkus-app").toAbsolutePath();
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = app.resolve("app") + "/*:" + app.resolve("lib/main") + "/*";
        Files.writeString(log, "");
        process = new ProcessBuilder(List.of(
                        java,
                        "-Xmx256m",
                        "-cp",
                        cp,
                        "io.llmanalytics.store.StandaloneStore",
                        "--port",
                        Integer.toString(port),
                        "--data-dir",
                        dataDir.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Conditions.until("the store listens on " + port, Duration.ofSeconds(60), () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the store exited: " + Files.readString(log));
            }
            return Files.readString(log).contains("store listening on");
        });
    }

    /** Stops it (SIGTERM: its files are closed) and waits for it to exit. */
    synchronized void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() throws Exception {
        stop();
        Files.deleteIfExists(log);
    }

    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }
}
