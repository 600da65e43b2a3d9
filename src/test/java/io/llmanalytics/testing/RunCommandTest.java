package io.llmanalytics.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunCommandTest {

    @Test
    void theOptionsAreReadWordByWordAcrossAContinuedLine() {
        String libSh =
                "X=1\nDEFAULT_JAVA_OPTS=\"-Xmx1g -XX:+UseParallelGC \\\n-XX:CompilerDirectivesFile=$ROOT/d.json\"\n";
        assertEquals(
                List.of("-Xmx1g", "-XX:+UseParallelGC", "-XX:CompilerDirectivesFile=$ROOT/d.json"),
                RunCommand.defaultJavaOpts(libSh));
        assertThrows(IllegalStateException.class, () -> RunCommand.defaultJavaOpts("JAVA_OPTS=\"-Xmx1g\"\n"));
    }

    @Test
    void theRepositorysOptionsNameItsOwnFiles() {
        List<String> options = RunCommand.jvmOptions(Path.of(""));
        assertTrue(options.contains("-Xmx1g"), options.toString());
        assertFalse(options.stream().anyMatch(o -> o.contains("$ROOT")), options.toString());
        String directives = options.stream()
                .filter(o -> o.startsWith("-XX:CompilerDirectivesFile="))
                .findFirst()
                .orElseThrow()
                .substring("-XX:CompilerDirectivesFile=".length());
        assertTrue(Path.of(directives).isAbsolute() && Files.isRegularFile(Path.of(directives)), directives);
    }
}
