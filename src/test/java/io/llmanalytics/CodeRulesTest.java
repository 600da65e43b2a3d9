package io.llmanalytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Rules of the source tree that review keeps missing: tests wait on conditions, never on {@code Thread.sleep}
 * (benchmarks and the load driver may pace themselves), main code names classes through imports, never inline by
 * their fully-qualified name, and a test class of a profile no other class uses is marked {@code @OwnJvm}. Comments, Javadoc, strings, text blocks and the package and import lines are not code
 * for these rules.
 */
class CodeRulesTest {

    private static final Path MAIN = Path.of("src/main/java");
    private static final Path TESTS = Path.of("src/test/java");

    /**
     * Inline names kept where a name clash forces them: two classes of one simple name used in one file. Keyed by the
     * file's path under {@code src/main/java}.
     */
    static final Map<String, Set<String>> CLASHES = Map.of(
            // java.sql.Array is imported (JDBC arrays); java.lang.reflect.Array reads primitive arrays
            "io/llmanalytics/sources/ColumnReader.java", Set.of("java.lang.reflect.Array"),
            // the PostgreSQL and MariaDB drivers are both called Driver
            "io/llmanalytics/sources/SourceConnections.java",
                    Set.of("org.postgresql.Driver", "org.mariadb.jdbc.Driver"),
            // java.nio.file.Path is the exported file; jakarta.ws.rs.Path the resource's route
            "io/llmanalytics/api/ExportResource.java", Set.of("jakarta.ws.rs.Path"),
            // Mutiny's TimeoutException (ifNoItem) and the JDK's (futures) both mean the store did not answer in time
            "io/llmanalytics/store/StoreFailures.java", Set.of("java.util.concurrent.TimeoutException"));

    /**
     * A qualified type name: a top-level package a dependency or the JDK uses, lower-case package segments, then a
     * capitalised type. Not preceded by a name character or a dot, so {@code foo.java.util.X} and {@code a.io.B} (member
     * access on a variable) do not match.
     */
    private static final Pattern QUALIFIED = Pattern.compile(
            "(?<![\\w.$])(?:java|javax|jakarta|io|org|com|net|de|sun|jdk)(?:\\.[a-z_][\\w]*)+\\.[A-Z]\\w*");

    private static final Pattern SLEEP = Pattern.compile(
            "\\bThread\\s*\\.\\s*sleep\\s*\\(|\\bTimeUnit\\s*\\.\\s*[A-Z]+\\s*\\.\\s*sleep\\s*\\(|(?<![\\w.])sleep\\s*\\(");

    /** One finding: where, and what. */
    record Finding(String file, int line, String text) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + text;
        }
    }

    @Test
    void testsDoNotSleepToWait() {
        List<Finding> found = new ArrayList<>();
        for (Path file : javaFiles(TESTS)) {
            String relative = TESTS.relativize(file).toString();
            if (file.getFileName().toString().endsWith("Benchmark.java")
                    || relative.startsWith("io/llmanalytics/load/")) {
                continue;
            }
            found.addAll(sleeps(relative, read(file)));
        }
        assertEquals(
                List.of(),
                found,
                "tests wait on a condition (Awaitility, testing/Conditions) or an injected clock, not on time: "
                        + found.size() + " sleeps");
    }

    @Test
    void mainCodeNamesClassesThroughImports() {
        List<Finding> found = new ArrayList<>();
        for (Path file : javaFiles(MAIN)) {
            String relative = MAIN.relativize(file).toString();
            Set<String> allowed = CLASHES.getOrDefault(relative, Set.of());
            for (Finding f : inlineNames(relative, read(file))) {
                if (!allowed.contains(f.text())) {
                    found.add(f);
                }
            }
        }
        assertEquals(List.of(), found, "import these instead: " + found.size() + " inline fully-qualified names");
    }

    private static final Pattern PROFILE = Pattern.compile("^@TestProfile\\(([\\w.]+)\\.class\\)", Pattern.MULTILINE);
    private static final Pattern OWN_JVM = Pattern.compile("^@OwnJvm$", Pattern.MULTILINE);

    /**
     * A test class whose profile no other class uses runs in a JVM of its own ({@code @OwnJvm}): Quarkus keeps every
     * application a JVM started, and that application serves no other class. The classes of a shared profile stay in
     * the main JVM, where they share one application; a JVM of their own each would start it once per class.
     */
    @Test
    void testsWithAnApplicationOfTheirOwnRunInAJvmOfTheirOwn() {
        Map<String, List<String>> byProfile = new TreeMap<>();
        List<String> marked = new ArrayList<>();
        for (Path file : javaFiles(TESTS)) {
            String text = read(file);
            String name = TESTS.relativize(file).toString();
            Matcher profile = PROFILE.matcher(text);
            if (profile.find()) {
                byProfile
                        .computeIfAbsent(profile.group(1), p -> new ArrayList<>())
                        .add(name);
            }
            if (OWN_JVM.matcher(text).find()) {
                marked.add(name);
            }
        }
        List<String> expected = byProfile.values().stream()
                .filter(classes -> classes.size() == 1)
                .map(List::getFirst)
                .sorted()
                .toList();
        assertTrue(byProfile.size() > 5, "profiles found: " + byProfile.keySet());
        assertEquals(
                expected, marked.stream().sorted().toList(), "@OwnJvm marks exactly the classes of unshared profiles");
    }

    @Test
    void everyAllowedClashIsStillThere() {
        // an exception that no longer matches anything is removed from the list, so that the list stays short
        for (var entry : CLASHES.entrySet()) {
            List<String> names = inlineNames(entry.getKey(), read(MAIN.resolve(entry.getKey()))).stream()
                    .map(Finding::text)
                    .toList();
            for (String name : entry.getValue()) {
                assertTrue(names.contains(name), entry.getKey() + " no longer names " + name + " inline");
            }
        }
    }

    @Test
    void theDetectorsSeeCodeOnly() {
        String source = """
                package io.example.java;

                import java.util.List;
                import static java.util.Objects.requireNonNull;

                /** Uses {@link java.util.Map} and java.util.Set in prose. */
                @jakarta.inject.Singleton
                class Example {
                    // java.time.Duration in a comment
                    /* org.slf4j.Logger in a block comment */
                    String s = "java.util.Optional in a string, with \\" an escaped quote java.io.File";
                    char c = '"';
                    String block = \"""
                            com.example.Text in a text block
                            \""";
                    java.util.List<String> names = new java.util.ArrayList<>();
                    int n = this.io.Count + other.java.util.Thing;
                    void run() throws Exception {
                        Thread.sleep(10); // Thread.sleep(20) in a comment
                        String t = "Thread.sleep(30)";
                        TimeUnit.SECONDS.sleep(1);
                        Thread .sleep (5);
                        sleep(7);
                        asleep(8);
                        Thread.onSpinWait();
                    }
                }
                """;
        assertEquals(
                List.of(
                        new Finding("Example.java", 7, "jakarta.inject.Singleton"),
                        new Finding("Example.java", 16, "java.util.List"),
                        new Finding("Example.java", 16, "java.util.ArrayList")),
                inlineNames("Example.java", source));
        assertEquals(
                List.of(19, 21, 22, 23),
                sleeps("Example.java", source).stream().map(Finding::line).toList());
    }

    /** Inline qualified type names in the code of {@code source}. */
    static List<Finding> inlineNames(String file, String source) {
        List<Finding> found = new ArrayList<>();
        String[] lines = codeOnly(source).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.startsWith("package ") || line.startsWith("import ")) {
                continue;
            }
            Matcher m = QUALIFIED.matcher(lines[i]);
            while (m.find()) {
                found.add(new Finding(file, i + 1, m.group()));
            }
        }
        return found;
    }

    /** Calls of {@code Thread.sleep}, {@code TimeUnit.X.sleep} or a bare {@code sleep(} in the code of {@code source}. */
    static List<Finding> sleeps(String file, String source) {
        List<Finding> found = new ArrayList<>();
        String[] lines = codeOnly(source).split("\n", -1);
        String[] original = source.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = SLEEP.matcher(lines[i]);
            if (m.find()) {
                found.add(new Finding(file, i + 1, original[i].strip()));
            }
        }
        return found;
    }

    /**
     * {@code source} with comments, string and character literals and text blocks blanked out (newlines kept, so line
     * numbers stay), leaving the code.
     */
    static String codeOnly(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int n = source.length();
        int i = 0;
        while (i < n) {
            int end;
            if (source.startsWith("//", i)) {
                end = source.indexOf('\n', i);
                end = end < 0 ? n : end;
            } else if (source.startsWith("/*", i)) {
                end = source.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
            } else if (source.startsWith("\"\"\"", i)) {
                end = i + 3;
                while (end < n && !source.startsWith("\"\"\"", end)) {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(n, end + 3);
            } else if (source.charAt(i) == '"' || source.charAt(i) == '\'') {
                char quote = source.charAt(i);
                end = i + 1;
                while (end < n && source.charAt(end) != quote && source.charAt(end) != '\n') {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(n, end + 1);
            } else {
                out.append(source.charAt(i));
                i++;
                continue;
            }
            for (int k = i; k < end; k++) {
                out.append(source.charAt(k) == '\n' ? '\n' : ' ');
            }
            i = end;
        }
        return out.toString();
    }

    private static List<Path> javaFiles(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
