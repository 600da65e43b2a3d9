package io.llmanalytics.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class WorkerFilesTest {

    @Test
    void everyPythonModuleOfTheWorkerIsInstalled() throws IOException {
        Set<String> sources;
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/worker"))) {
            sources = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".py"))
                    .collect(Collectors.toSet());
        }
        assertEquals(sources, Set.copyOf(WorkerFiles.MODULES));
        WorkerFiles installed = WorkerFiles.install();
        try {
            for (String module : WorkerFiles.MODULES) {
                assertTrue(Files.isRegularFile(installed.directory().resolve(module)), module);
            }
            assertEquals(
                    "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(installed.directory())));
            assertTrue(Files.isDirectory(installed.matplotlibCache()));
        } finally {
            installed.delete();
        }
        assertFalse(Files.exists(installed.directory()));
    }

    @Test
    void theAllowListIsTheSharedFile() throws IOException {
        assertEquals(
                Files.readString(Path.of("src/main/resources/policy/allowed-modules.txt")),
                WorkerFiles.allowedModules());
    }
}
