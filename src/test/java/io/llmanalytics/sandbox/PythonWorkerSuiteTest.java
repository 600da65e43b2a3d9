package io.llmanalytics.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs the worker's own Python test suite (src/test/python, stdlib unittest) with the worker's interpreter:
 * layers, hostile cases, DS-1000 fidelity, DABench answers, supervisor lifecycle, output, protocol, policy. Its log
 * is target/python-tests.log; a failing Python test fails the build.
 */
class PythonWorkerSuiteTest {

    @Test
    void thePythonSuitePasses() throws IOException, InterruptedException {
        Path log = Path.of("target", "python-tests.log");
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(
                        List.of("/usr/bin/python3", "-m", "unittest", "discover", "-s", "src/test/python", "-v"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean finished = process.waitFor(30, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = Files.readString(log);
        System.out.println(output);
        assertTrue(finished, "the Python suite did not finish within 30 minutes; see " + log);
        assertEquals(0, process.exitValue(), "the Python suite failed; see " + log + "\n" + tail(output));
        Matcher ran = Pattern.compile("Ran (\\d+) tests").matcher(output);
        assertTrue(ran.find() && Integer.parseInt(ran.group(1)) >= 60, "too few Python tests ran:\n" + tail(output));
    }

    private static String tail(String output) {
        return output.length() <= 4000 ? output : output.substring(output.length() - 4000);
    }
}
