package io.llmanalytics.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.deploy.Dockerfiles.Dockerfile;
import io.llmanalytics.deploy.Dockerfiles.Instruction;
import io.llmanalytics.deploy.Dockerfiles.Stage;
import io.llmanalytics.testing.RunCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Dockerfile.jvm and Dockerfile.native, checked without a Docker engine: they parse, name only files that exist in
 * the build context (or that an earlier stage produces), pin their base images, and build a runtime image that runs
 * as a non-root user with the worker's Python packages and its temporary files under /tmp.
 */
class DockerfilesTest {

    /** Quarkus' fast-jar, the default package type; the JVM image copies it. */
    static final String FAST_JAR = "target/quarkus-app/";

    @Test
    void theParserRefusesBrokenDockerfiles() {
        assertThrows(IllegalArgumentException.class, () -> Dockerfiles.parse("x", "FROM a:1.0\nRUNN echo\n"));
        assertThrows(IllegalArgumentException.class, () -> Dockerfiles.parse("x", "RUN echo\nFROM a:1.0\n"));
        assertThrows(IllegalArgumentException.class, () -> Dockerfiles.parse("x", "FROM a:1.0\nWORKDIR\n"));
        assertThrows(IllegalArgumentException.class, () -> Dockerfiles.parse("x", "FROM a:1.0 AS\n"));
        assertThrows(
                IllegalArgumentException.class,
                () -> Dockerfiles.parse("x", "FROM a:1.0\nENTRYPOINT [\"java\", \"-jar\"\n"));
        assertThrows(IllegalArgumentException.class, () -> Dockerfiles.parse("x", "FROM a:1.0\nCOPY --from b c\n"));
        Dockerfile ok = Dockerfiles.parse("x", "ARG V=1.2\nFROM a:${V} AS one\n# c\nRUN a \\\n  # inner\n  b\n");
        assertEquals("a:1.2", ok.stages().get(0).image());
        assertEquals("a  b", ok.stages().get(0).runs());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.native"})
    void baseImagesArePinned(String file) {
        Dockerfile d = Dockerfiles.parse(file);
        List<String> names = new ArrayList<>();
        for (Stage stage : d.stages()) {
            if (!names.contains(stage.image())) {
                assertTrue(pinned(stage.image()), file + ": " + stage.image() + " is not pinned to a version");
            }
            if (stage.name() != null) {
                assertFalse(names.contains(stage.name()), file + ": stage names are unique");
                names.add(stage.name());
            }
        }
        assertFalse(
                pinned("debian:latest")
                        || pinned("debian")
                        || pinned("debian:bookworm-slim")
                        || pinned("maven:3-eclipse-temurin-25"),
                "the rule itself");
        assertTrue(pinned("eclipse-temurin:25.0.1_8-jre-noble") && pinned("x/y@sha256:" + "a".repeat(64)));
    }

    /** A digest, or a tag carrying a version with at least major.minor (not a floating name such as bookworm). */
    static boolean pinned(String image) {
        if (image.matches(".+@sha256:[0-9a-f]{64}")) {
            return true;
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        if (colon < slash + 1) {
            return false;
        }
        String tag = image.substring(colon + 1);
        return !tag.equals("latest") && tag.matches(".*\\d+\\.\\d+.*");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.native"})
    void copiesNameFilesThatExistOrThatAnEarlierStageProduces(String file) {
        Dockerfile d = Dockerfiles.parse(file);
        List<String> ignore = Repository.read(".dockerignore")
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
        for (int s = 0; s < d.stages().size(); s++) {
            Stage stage = d.stages().get(s);
            for (Instruction copy : stage.instructions()) {
                if (!copy.keyword().equals("COPY") && !copy.keyword().equals("ADD")) {
                    continue;
                }
                assertEquals("COPY", copy.keyword(), file + ":" + copy.line() + ": COPY, not ADD");
                List<String> words = copy.words();
                List<String> sources = words.subList(0, words.size() - 1);
                String from = copy.flags().get("from");
                for (String source : sources) {
                    if (from == null) {
                        assertTrue(
                                Files.exists(Repository.path(source)),
                                file + ":" + copy.line() + ": " + source + " does not exist");
                        assertTrue(
                                inContext(source, ignore),
                                file + ":" + copy.line() + ": " + source + " is excluded by .dockerignore");
                    } else {
                        Stage producer = d.stage(from);
                        assertNotNull(producer, file + ":" + copy.line() + ": no stage " + from);
                        assertTrue(d.stages().indexOf(producer) < s, "stage " + from + " comes before");
                        assertTrue(
                                produces(producer, source),
                                file + ":" + copy.line() + ": stage " + from + " does not produce " + source);
                    }
                }
            }
        }
    }

    /** Whether a stage's image or commands produce {@code path}. */
    static boolean produces(Stage stage, String path) {
        if (stage.image().startsWith("eclipse-temurin:") && path.equals("/opt/java/openjdk")) {
            return true; // Temurin images install the JDK or JRE there (their JAVA_HOME)
        }
        String runs = stage.runs();
        String workdir = stage.workdir();
        if (path.equals(workdir + "/" + FAST_JAR)) {
            return runs.matches("(?s).*mvn .*package.*")
                    && !runs.contains("quarkus.native.enabled=true")
                    && Repository.property("quarkus.package.jar.type", null) == null;
        }
        if (path.equals(workdir + "/target/native-sources/")) {
            return runs.matches("(?s).*mvn .*package.*")
                    && runs.contains("-Dquarkus.native.enabled=true")
                    && runs.contains("-Dquarkus.native.sources-only=true");
        }
        Matcher moved = Pattern.compile("mv \\S+ (\\S+)").matcher(runs);
        while (moved.find()) {
            if (moved.group(1).equals(path)) {
                return true;
            }
        }
        return false;
    }

    /** .dockerignore semantics for the patterns used here: the last pattern matching the path or a parent wins. */
    static boolean inContext(String path, List<String> patterns) {
        String p = path.replaceAll("/+$", "");
        boolean included = true;
        for (String pattern : patterns) {
            boolean negate = pattern.startsWith("!");
            String glob = (negate ? pattern.substring(1) : pattern).replaceAll("/+$", "");
            String regex = Arrays.stream(glob.split("\\*", -1))
                    .map(Pattern::quote)
                    .reduce((a, b) -> a + "[^/]*" + b)
                    .orElse("");
            boolean matches = p.matches(regex) || p.matches(regex + "/.*");
            if (matches) {
                included = negate;
            }
        }
        return included;
    }

    @Test
    void theBuildContextHoldsOnlyWhatTheBuildNeeds() {
        List<String> ignore = Repository.read(".dockerignore")
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
        for (String kept : List.of("pom.xml", "src/main/java", "src/main/resources/application.properties")) {
            assertTrue(inContext(kept, ignore), kept);
        }
        for (String left : List.of(".env", "target", "data", "src/test", ".git", "deploy")) {
            assertFalse(inContext(left, ignore), left + " stays out of the image build");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.native"})
    void theRuntimeRunsAsNonRootWithTheWorkersPython(String file) {
        Stage runtime = Dockerfiles.parse(file).finalStage();
        assertTrue(
                runtime.image().matches("debian:12\\.\\d+-slim"),
                "Debian 12, whose python3 (3.11) and pandas "
                        + "(1.5.3) the worker and the validator's grammar are tested against: " + runtime.image());
        List<Instruction> users = runtime.all("USER");
        assertFalse(users.isEmpty(), "a USER");
        String user = users.get(users.size() - 1).arguments().split(":")[0];
        assertTrue(
                user.matches("\\d+") && Integer.parseInt(user) > 0,
                "a numeric non-root uid (runAsNonRoot can check it): " + user);
        int deploymentUid = KustomizeTest.podSpec(Kustomize.render(Repository.path("deploy/overlays/prod")))
                .path("securityContext")
                .path("runAsUser")
                .asInt();
        assertEquals(deploymentUid, Integer.parseInt(user), "the Deployment runs as the image's user");
        assertEquals(List.of("8080"), runtime.all("EXPOSE").get(0).words());
        String runs = runtime.runs();
        Set<String> installed = new HashSet<>(Arrays.asList(runs.split("\\s+")));
        for (String pkg : workerPackages()) {
            assertTrue(installed.contains(pkg), file + " installs " + pkg + " (bin/lib.sh WORKER_PACKAGES)");
        }
        for (String pkg :
                List.of("python3-pandas", "python3-numpy", "python3-matplotlib", "python3-scipy", "python3-seccomp")) {
            assertTrue(installed.contains(pkg), pkg);
        }
        assertTrue(runs.contains("--no-install-recommends") && runs.contains("rm -rf /var/lib/apt/lists/*"));
        List<String> entrypoint = runtime.entrypoint();
        assertTrue(entrypoint.contains("-Djava.io.tmpdir=/tmp"));
        assertTrue(entrypoint.contains("-Dpolyglot.engine.userResourceCache=/tmp/polyglot-cache"));
        List<String> copied = runtime.all("COPY").stream()
                .map(c -> c.words().get(c.words().size() - 1))
                .toList();
        // umask 077 first: /bin/sh -c 'umask 077 && exec "$0" "$@"' <program> <arguments...>
        assertEquals(List.of("/bin/sh", "-c", "umask 077 && exec \"$0\" \"$@\""), entrypoint.subList(0, 3));
        String program = entrypoint.get(3);
        if (file.equals("Dockerfile.jvm")) {
            assertTrue(copied.contains("/opt/java/openjdk") && program.equals("/opt/java/openjdk/bin/java"));
            assertTrue(
                    copied.contains("/app/") && entrypoint.contains("/app/quarkus-run.jar"),
                    "the fast-jar's launcher, copied to /app/");
            assertTrue(
                    entrypoint.stream().anyMatch(a -> a.startsWith("-XX:MaxRAMPercentage=")),
                    "the heap follows the container's memory limit");
        } else {
            assertTrue(copied.contains(program), "the entrypoint is the copied executable: " + program);
        }
    }

    /**
     * The JVM image runs with the run command's JVM flags (bin/lib.sh DEFAULT_JAVA_OPTS), but for the heap, which there
     * follows the container's memory limit, and the compiler directives file, which the image copies to /app/jvm/.
     */
    @Test
    void theJvmImageRunsWithTheRunCommandsJvmFlags() {
        Stage runtime = Dockerfiles.parse("Dockerfile.jvm").finalStage();
        List<String> entrypoint = runtime.entrypoint();
        List<String> flags = RunCommand.defaultJavaOpts(Repository.read("bin/lib.sh"));
        assertTrue(flags.contains("-Xmx1g") && flags.size() > 4, "read bin/lib.sh's flags: " + flags);
        for (String flag : flags) {
            if (flag.startsWith("-Xmx")) {
                continue;
            }
            String expected = flag.startsWith(DIRECTIVES_FLAG) ? DIRECTIVES_FLAG + "/app/jvm/" + DIRECTIVES : flag;
            assertTrue(entrypoint.contains(expected), "Dockerfile.jvm's ENTRYPOINT has " + expected);
        }
        assertTrue(
                runtime.all("COPY").stream()
                        .anyMatch(c -> c.words().equals(List.of(DIRECTIVES_SOURCE, "/app/jvm/" + DIRECTIVES))),
                "the image copies " + DIRECTIVES_SOURCE);
        assertTrue(
                flags.contains(DIRECTIVES_FLAG + "$ROOT/" + DIRECTIVES_SOURCE),
                "bin/lib.sh names " + DIRECTIVES_SOURCE);
    }

    /** A JVM accepts the compiler directives (one that cannot parse them refuses to start) and keeps their one rule. */
    @Test
    void theCompilerDirectivesParse() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process jvm = new ProcessBuilder(
                        java.toString(),
                        "-XX:+UnlockDiagnosticVMOptions",
                        DIRECTIVES_FLAG + Repository.path(DIRECTIVES_SOURCE),
                        "-XX:+CompilerDirectivesPrint",
                        "-version")
                .redirectErrorStream(true)
                .start();
        String out = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(jvm.waitFor(60, TimeUnit.SECONDS), "the JVM ends");
        assertEquals(0, jvm.exitValue(), out);
        assertTrue(out.contains("1 compiler directives added"), out);
        assertTrue(
                out.contains("matching: com/oracle/graal/python/nodes/bytecode/PBytecodeRootNode.bytecodeLoop"), out);
    }

    static final String DIRECTIVES = "compiler-directives.json";
    static final String DIRECTIVES_SOURCE = "src/main/jvm/" + DIRECTIVES;
    static final String DIRECTIVES_FLAG = "-XX:CompilerDirectivesFile=";

    /** bin/lib.sh's WORKER_PACKAGES: what the run and test commands install for the worker. */
    static List<String> workerPackages() {
        Matcher m =
                Pattern.compile("WORKER_PACKAGES=\\(([^)]*)\\)", Pattern.DOTALL).matcher(Repository.read("bin/lib.sh"));
        assertTrue(m.find());
        return List.of(m.group(1).trim().split("\\s+"));
    }

    @Test
    void theNativeBuildUsesNativeSourcesAndAGraalVmWithTruffle() {
        Dockerfile d = Dockerfiles.parse("Dockerfile.native");
        Stage sources = d.stages().get(0);
        assertTrue(
                sources.runs().contains("-Dquarkus.native.sources-only=true"),
                "stage 1 is Quarkus' native-sources packaging, the one the test command builds");
        Stage nativeImage = d.stages().get(1);
        assertTrue(nativeImage.runs().contains("native-image $(cat native-image.args)"));
        String builder = nativeImage.image();
        assertTrue(
                builder.contains("graalvm") && !builder.contains("mandrel"),
                "GraalPy is a Truffle language and "
                        + "Mandrel ships without Truffle: the native build needs GraalVM (Community): " + builder);
        Matcher polyglot =
                Pattern.compile("<graalpy.version>([\\d.]+)</graalpy.version>").matcher(Repository.read("pom.xml"));
        assertTrue(polyglot.find());
        assertTrue(
                builder.endsWith(":" + polyglot.group(1)),
                "native-image " + builder + " matches polyglot " + polyglot.group(1));
        assertTrue(d.finalStage().entrypoint().stream().anyMatch(a -> a.startsWith("-XX:MaximumHeapSizePercent=")));
    }
}
