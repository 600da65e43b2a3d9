package io.llmanalytics.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * The packaged service ({@code target/quarkus-app/quarkus-run.jar}) run as its own process, the way {@code bin/start}
 * runs it (with its JVM options: heap, collector, compiler directives), for tests that need a real process: restarts,
 * replicas, load.
 */
public final class PackagedService implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private PackagedService(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the service with these environment variables (on a free port) and waits until it is ready. */
    public static PackagedService start(Map<String, String> env, Duration timeout) throws Exception {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException("package the service first: " + jar + " is missing");
        }
        int port = freePort();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(RunCommand.jvmOptions(Path.of("")));
        command.addAll(List.of("-Dquarkus.http.port=" + port, "-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        // the embedded store unless the test names one (replica tests share a standalone store)
        builder.environment().remove("MONGODB_URL");
        builder.environment().putAll(env);
        Path log = Files.createTempFile("service-", ".log");
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        PackagedService service = new PackagedService(builder.start(), port, log);
        try {
            service.awaitReady(timeout);
        } catch (Exception | AssertionError notReady) {
            service.kill(); // a service that never became ready is not left running after the failed test
            throw notReady;
        }
        return service;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public int port() {
        return port;
    }

    /** The service's process id (for memory figures). */
    public long pid() {
        return process.pid();
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    /** The validator's readiness data once every context is warm (readiness itself is UP before). */
    private static final Pattern VALIDATOR_WARM = Pattern.compile("\"warming\"\\s*:\\s*false");

    private void awaitReady(Duration timeout) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            await("the service is ready")
                    .atMost(timeout)
                    .pollInterval(Duration.ofMillis(250))
                    .failFast("the service exited", () -> !process.isAlive())
                    .ignoreExceptionsInstanceOf(IOException.class) // not listening yet
                    .until(() -> {
                        HttpResponse<String> ready = client.send(
                                HttpRequest.newBuilder(uri("/q/health/ready")).build(),
                                HttpResponse.BodyHandlers.ofString());
                        // ready, and the validator warm: the tests' analyses and figures assume it
                        return ready.statusCode() == 200
                                && VALIDATOR_WARM.matcher(ready.body()).find();
                    });
        } catch (TerminalFailureException exited) {
            throw new IllegalStateException("the service exited with " + process.exitValue() + ":\n" + log(), exited);
        } catch (ConditionTimeoutException late) {
            throw new IllegalStateException("the service was not ready within " + timeout + ":\n" + log(), late);
        }
    }

    /** Kills the service at once (SIGKILL), as a node failure would: nothing is given back on the way out. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /** Stops the service as a container runtime would (SIGTERM), waiting for it to exit. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws Exception {
        stop();
        Files.deleteIfExists(log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
