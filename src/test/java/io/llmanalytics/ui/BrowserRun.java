package io.llmanalytics.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the browser scenarios of {@code src/test/ui} ({@code node tests/run.mjs}) against a running service and reads
 * their outcome. Installs the project's npm dependencies from its lock file first when they are missing (nothing is
 * downloaded when {@code node_modules} already holds the locked versions; the browser itself is never downloaded: the
 * scenarios drive Debian's {@code chromium}).
 */
final class BrowserRun {

    /** The outcome of one scenario. */
    record Scenario(String name, boolean passed, String error, long durationMs) {}

    /** Every scenario's outcome, the runner's exit code and its output. */
    record Outcome(List<Scenario> scenarios, int exitCode, String output) {}

    static final int MIN_NODE_MAJOR = 18;
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(15);
    private static final Pattern NODE_VERSION = Pattern.compile("v(\\d+)\\.");

    private final Path project;
    private final Path target;

    BrowserRun(Path project, Path target) {
        this.project = project.toAbsolutePath();
        this.target = target.toAbsolutePath();
    }

    /** The Chromium to drive: {@code $CHROMIUM}, else Debian's {@code /usr/bin/chromium}. */
    static Path chromium() {
        String configured = System.getenv("CHROMIUM");
        return Path.of(configured == null || configured.isBlank() ? "/usr/bin/chromium" : configured);
    }

    Outcome run(URI base, Path corpus) throws IOException, InterruptedException {
        checkNode();
        Path chromium = chromium();
        if (!Files.isExecutable(chromium)) {
            throw new AssertionError("No Chromium at " + chromium
                    + ": install Debian's chromium package (bin/test does)" + " or set CHROMIUM to its path.");
        }
        installDependencies();
        Files.createDirectories(target);
        Path results = target.resolve("ui-test-results.json");
        Path log = target.resolve("ui-test.log");
        Files.deleteIfExists(results);
        List<String> command = new ArrayList<>(List.of("node", "tests/run.mjs"));
        String only = System.getProperty("ui.scenarios", "");
        if (!only.isBlank()) {
            command.addAll(List.of(only.split(","))); // e.g. -Dui.scenarios=phone,keyboard while working on those
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(project.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("BASE_URL", base.toString().replaceAll("/+$", ""));
        env.put("CHROMIUM", chromium.toString());
        env.put("SCREENSHOT_DIR", target.resolve("ui-screenshots").toString());
        env.put("RESULTS_FILE", results.toString());
        env.put("CORPUS_DIR", corpus.toString());
        env.put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        int exit = await(builder.start(), RUN_TIMEOUT, "the browser tests (log: " + log + ")");
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (!Files.exists(results)) {
            throw new AssertionError("The browser tests did not report (exit " + exit + "):\n" + tail(output));
        }
        List<Scenario> scenarios = new ArrayList<>();
        for (JsonNode s : new ObjectMapper().readTree(results.toFile()).path("scenarios")) {
            scenarios.add(new Scenario(
                    s.path("name").asText(),
                    s.path("passed").asBoolean(),
                    s.path("error").isNull() ? null : s.path("error").asText(),
                    s.path("duration_ms").asLong()));
        }
        return new Outcome(scenarios, exit, output);
    }

    private void checkNode() throws IOException, InterruptedException {
        String version;
        try {
            version = output(new ProcessBuilder("node", "--version"), Duration.ofSeconds(30))
                    .strip();
        } catch (IOException e) {
            throw new AssertionError(
                    "Node.js " + MIN_NODE_MAJOR + "+ is needed for the browser tests (bin/test installs"
                            + " Debian's nodejs and npm when they are missing): " + e.getMessage());
        }
        Matcher m = NODE_VERSION.matcher(version);
        if (!m.find() || Integer.parseInt(m.group(1)) < MIN_NODE_MAJOR) {
            throw new AssertionError(
                    "The browser tests need Node.js " + MIN_NODE_MAJOR + "+ (playwright-core); found " + version);
        }
    }

    /** {@code npm ci} unless node_modules already holds the locked playwright-core. */
    private void installDependencies() throws IOException, InterruptedException {
        ObjectMapper json = new ObjectMapper();
        String locked = json.readTree(project.resolve("package-lock.json").toFile())
                .path("packages")
                .path("node_modules/playwright-core")
                .path("version")
                .asText();
        Path installed = project.resolve("node_modules/playwright-core/package.json");
        if (Files.exists(installed)
                && locked.equals(
                        json.readTree(installed.toFile()).path("version").asText())) {
            return;
        }
        ProcessBuilder npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--prefer-offline")
                .directory(project.toFile());
        npm.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        output(npm, INSTALL_TIMEOUT);
    }

    private static String output(ProcessBuilder builder, Duration timeout) throws IOException, InterruptedException {
        Path out = Files.createTempFile("llm-analytics-ui", ".log");
        try {
            builder.redirectErrorStream(true).redirectOutput(out.toFile());
            int exit = await(builder.start(), timeout, String.join(" ", builder.command()));
            String text = Files.readString(out, StandardCharsets.UTF_8);
            if (exit != 0) {
                throw new AssertionError(
                        String.join(" ", builder.command()) + " failed (exit " + exit + "):\n" + tail(text));
            }
            return text;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static int await(Process process, Duration timeout, String what) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError(what + " did not finish within " + timeout.toMinutes() + " min");
        }
        return process.exitValue();
    }

    static String tail(String text) {
        return text.length() <= 6000 ? text : "..." + text.substring(text.length() - 6000);
    }
}
