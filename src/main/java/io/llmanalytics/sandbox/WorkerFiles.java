package io.llmanalytics.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The worker's Python sources, packaged under {@code worker/} in the application, copied to a private directory the
 * interpreter runs them from; and the import allow-list shared with the validator.
 */
final class WorkerFiles {

    /** Every module of the worker; WorkerFilesTest checks the list against the source folder. */
    static final List<String> MODULES = List.of(
            "supervisor.py",
            "preload.py",
            "zygote.py",
            "executor.py",
            "child.py",
            "guard.py",
            "output.py",
            "policy.py",
            "protocol.py",
            "datasets.py",
            "insights.py",
            "bindings.py",
            "plotdata.py",
            "chartspec.py");

    static final String ALLOWED_MODULES = "policy/allowed-modules.txt";

    private final Path directory;
    private final Path matplotlibCache;

    private WorkerFiles(Path directory, Path matplotlibCache) {
        this.directory = directory;
        this.matplotlibCache = matplotlibCache;
    }

    /** Copies the sources to a new private directory. */
    static WorkerFiles install() {
        try {
            Path directory = Files.createTempDirectory(
                    "llm-analytics-worker-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            for (String module : MODULES) {
                try (InputStream in = resource("worker/" + module)) {
                    Path target = directory.resolve(module);
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("r--------"));
                }
            }
            Path cache = Path.of(
                    System.getProperty("java.io.tmpdir"),
                    "llm-analytics-matplotlib-" + System.getProperty("user.name", "worker"));
            Files.createDirectories(cache);
            Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwx------"));
            return new WorkerFiles(directory, cache);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the worker's Python sources", e);
        }
    }

    static String allowedModules() {
        try (InputStream in = resource(ALLOWED_MODULES)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ALLOWED_MODULES, e);
        }
    }

    Path directory() {
        return directory;
    }

    Path supervisor() {
        return directory.resolve("supervisor.py");
    }

    Path matplotlibCache() {
        return matplotlibCache;
    }

    void delete() {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = WorkerFiles.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException("resource " + name + " is missing from the application");
        }
        return in;
    }
}
