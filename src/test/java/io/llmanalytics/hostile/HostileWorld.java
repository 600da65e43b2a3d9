package io.llmanalytics.hostile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What hostile cases aim at, as in the worker's Python suite (src/test/python/support.py): a secret file, a victim file
 * per run, a TCP listener per run, unique paths under /tmp and /dev/shm; plus the secrets of the API suite: one the
 * service holds ({@code service_secret}) and one in another session's data ({@code other_secret}).
 */
final class HostileWorld implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    final Path secret;
    final String secretValue = "secret-" + hex(8);
    final String serviceSecret;
    final String otherSecret = "other-secret-" + hex(8);

    HostileWorld(String serviceSecret) throws IOException {
        this.serviceSecret = serviceSecret;
        secret = Files.createTempFile("llm-hostile-secret-", "");
        Files.writeString(secret, secretValue + "\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
    }

    static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** One run of one case: its placeholders, its listener and victim file, and the goal checks on the machine. */
    final class Run implements AutoCloseable {
        final String token = hex(8);
        final Path victim;
        final ServerSocket listener;
        final CountDownLatch connected = new CountDownLatch(1);
        final Map<String, String> values = new LinkedHashMap<>();

        Run() throws IOException {
            victim = Files.createTempFile("llm-hostile-victim-", "");
            Files.writeString(victim, "victim");
            Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-rw-rw-"));
            listener = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                while (!listener.isClosed()) {
                    try (Socket s = listener.accept()) {
                        connected.countDown();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            values.put("token", token);
            values.put("port", String.valueOf(listener.getLocalPort()));
            values.put("secret_value", secretValue);
            values.put("secret", secret.toString());
            values.put("victim", victim.toString());
            values.put("service_secret", serviceSecret);
            values.put("other_secret", otherSecret);
        }

        /** Whether a goal on the machine itself (files, connections) was reached; null for the other kinds. */
        Boolean machineGoal(HostileCase c) {
            String path = c.goal().path("path").asText();
            try {
                return switch (c.goalKind()) {
                    case "file_exists" -> Files.exists(Path.of(path));
                    case "file_missing" -> !Files.exists(Path.of(path));
                    case "file_emptied" -> Files.size(Path.of(path)) == 0;
                    case "connects" -> connected.await(300, TimeUnit.MILLISECONDS);
                    default -> null;
                };
            } catch (IOException e) {
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            try {
                listener.close();
                Files.deleteIfExists(victim);
                for (Path dir : new Path[] {Path.of("/tmp"), Path.of("/dev/shm")}) {
                    if (!Files.isDirectory(dir)) {
                        continue;
                    }
                    try (DirectoryStream<Path> left = Files.newDirectoryStream(dir, "llm-hostile-" + token + "*")) {
                        for (Path p : left) {
                            Files.deleteIfExists(p);
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    Run run() throws IOException {
        return new Run();
    }

    /** The standard table of the suite: x = 1..100, y alternating a/b (the Python suite's frame). */
    static String standardCsv() {
        StringBuilder csv = new StringBuilder("x,y\n");
        for (int i = 1; i <= 100; i++) {
            csv.append(i).append(',').append(i % 2 == 1 ? 'a' : 'b').append('\n');
        }
        return csv.toString();
    }

    /** The bystander's table: the standard one with a column holding {@link #otherSecret}. */
    String bystanderCsv() {
        StringBuilder csv = new StringBuilder("x,y,secret_note\n");
        for (int i = 1; i <= 100; i++) {
            csv.append(i)
                    .append(',')
                    .append(i % 2 == 1 ? 'a' : 'b')
                    .append(',')
                    .append(otherSecret)
                    .append('\n');
        }
        return csv.toString();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(secret);
    }
}
