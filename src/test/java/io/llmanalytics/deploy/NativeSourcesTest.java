package io.llmanalytics.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmanalytics.analysis.AnalysisEvent;
import io.llmanalytics.problem.Problem;
import io.llmanalytics.session.InteractionDocument;
import io.llmanalytics.session.SessionDocument;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What can be checked of the native build without GraalVM: Quarkus' native-sources packaging (run by the build
 * before the tests, see the {@code native-sources} execution in pom.xml) succeeded, and the native-image inputs it
 * produced register what the service needs at run time: every resource it loads by name, reflection for every type
 * Jackson or the BSON codecs serialise, the quarkus-poi feature, GraalPy's language; and the sources use no dynamic
 * class loading.
 */
class NativeSourcesTest {

    static final Path SOURCES = Repository.path("target/native-sources");
    static JsonNode reflect;
    static List<Pattern> resources;
    static String args;
    static List<String> libs;

    @BeforeAll
    static void readNativeSources() throws IOException {
        Path argsFile = SOURCES.resolve("native-image.args");
        assertTrue(
                Files.exists(argsFile),
                "target/native-sources is missing: the build runs Quarkus' native-sources "
                        + "packaging before the tests (execution native-sources in pom.xml; skipped only with -DskipTests or "
                        + "-Dnative-sources.skip)");
        args = Files.readString(argsFile);
        Path runner;
        try (Stream<Path> files = Files.list(SOURCES)) {
            runner = files.filter(p -> p.getFileName().toString().endsWith("-runner.jar"))
                    .findFirst()
                    .orElseThrow();
        }
        ObjectMapper json = new ObjectMapper();
        try (JarFile jar = new JarFile(runner.toFile())) {
            try (InputStream in = jar.getInputStream(jar.getEntry("META-INF/native-image/reflect-config.json"))) {
                reflect = json.readTree(in);
            }
            try (InputStream in = jar.getInputStream(jar.getEntry("META-INF/native-image/resource-config.json"))) {
                resources = new ArrayList<>();
                json.readTree(in)
                        .path("resources")
                        .path("includes")
                        .forEach(i ->
                                resources.add(Pattern.compile(i.path("pattern").asText())));
            }
        }
        try (Stream<Path> files = Files.list(SOURCES.resolve("lib"))) {
            libs = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theNativeImageInputsAreComplete() {
        assertTrue(args.contains("--no-fallback"), "a real native executable, never a JVM fallback image");
        assertTrue(args.contains("-runner.jar"), args);
        assertTrue(
                Repository.read("target/native-sources/graalvm.version").strip().startsWith("25"),
                "built for GraalVM 25, the version of org.graalvm.polyglot");
        assertTrue(Repository.read("pom.xml").contains("<id>native</id>"), "a native Maven profile");
    }

    @Test
    void everyResourceTheServiceLoadsIsInTheImage() throws IOException {
        Path root = Repository.path("src/main/resources");
        List<String> missing = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = root.relativize(file).toString().replace('\\', '/');
                if (name.equals("application.properties")) {
                    continue; // read at build time: Quarkus records the configuration in the image
                }
                if (name.startsWith("META-INF/native-image/")) {
                    continue; // read by the image builder from the runner jar (checked below), not at run time
                }
                if (resources.stream().noneMatch(p -> p.matcher(name).matches())) {
                    missing.add(name);
                }
            }
        }
        assertEquals(
                List.of(),
                missing,
                "resources a native executable would not find; add them to " + "quarkus.native.resources.includes");
    }

    @Test
    void everyTypeJacksonOrTheStoreSerialisesIsRegisteredForReflection() throws IOException {
        Set<String> registered = new TreeSet<>();
        for (JsonNode entry : reflect) {
            boolean members = entry.path("allDeclaredMethods").asBoolean()
                    || entry.path("allPublicMethods").asBoolean()
                    || entry.path("allDeclaredFields").asBoolean()
                    || entry.path("methods").size() > 0;
            if (members) {
                registered.add(entry.path("name").asText());
            }
        }
        Set<Class<?>> reached = serialisedTypes();
        assertTrue(reached.size() > 20, "the walk reaches the API's documents: " + reached);
        List<String> missing = reached.stream()
                .map(Class::getName)
                .filter(n -> !registered.contains(n))
                .sorted()
                .toList();
        assertEquals(
                List.of(),
                missing,
                "serialised types a native executable could not (de)serialise: annotate them "
                        + "with @RegisterForReflection");
    }

    /**
     * The service's types that Jackson or the BSON codecs serialise: the bodies and results of the REST endpoints, the
     * SSE events, problem documents (also the one the upload limit writes through Vert.x), the session document, and
     * every type reachable from those through record components, public fields and getters.
     */
    static Set<Class<?>> serialisedTypes() throws IOException {
        List<Type> roots = new ArrayList<>(List.of(
                AnalysisEvent.class,
                Problem.class,
                SessionDocument.class,
                InteractionDocument.class,
                load("io.llmanalytics.access.UploadLimits$ProblemBody")));
        for (Class<?> type : mainClasses()) {
            for (Method method : type.getDeclaredMethods()) {
                if (Stream.of(GET.class, POST.class, PUT.class, DELETE.class, PATCH.class)
                        .anyMatch(method::isAnnotationPresent)) {
                    roots.add(method.getGenericReturnType());
                    for (Parameter p : method.getParameters()) {
                        if (p.getAnnotations().length == 0) {
                            roots.add(p.getParameterizedType()); // the request body
                        }
                    }
                }
            }
        }
        Set<Class<?>> reached = new java.util.LinkedHashSet<>();
        roots.forEach(t -> walk(t, reached));
        reached.remove(AnalysisEvent.Heartbeat.class); // sent as an SSE comment, never serialised
        return reached;
    }

    private static void walk(Type type, Set<Class<?>> reached) {
        if (type instanceof ParameterizedType p) {
            walk(p.getRawType(), reached);
            for (Type arg : p.getActualTypeArguments()) {
                walk(arg, reached);
            }
        } else if (type instanceof GenericArrayType a) {
            walk(a.getGenericComponentType(), reached);
        } else if (type instanceof WildcardType w) {
            for (Type bound : w.getUpperBounds()) {
                walk(bound, reached);
            }
        } else if (type instanceof Class<?> c) {
            if (c.isArray()) {
                walk(c.getComponentType(), reached);
                return;
            }
            if (!c.getName().startsWith("io.llmanalytics.") || c.isEnum() || !reached.add(c)) {
                return;
            }
            if (c.isSealed()) {
                reached.remove(c);
                for (Class<?> sub : c.getPermittedSubclasses()) {
                    walk(sub, reached);
                }
                return;
            }
            if (c.isRecord()) {
                for (RecordComponent rc : c.getRecordComponents()) {
                    walk(rc.getGenericType(), reached);
                }
            }
            for (Field f : c.getFields()) {
                if (!Modifier.isStatic(f.getModifiers())) {
                    walk(f.getGenericType(), reached);
                }
            }
            for (Method m : c.getMethods()) {
                if (m.getParameterCount() == 0
                        && !Modifier.isStatic(m.getModifiers())
                        && m.getName().startsWith("get")
                        && m.getDeclaringClass() == c) {
                    walk(m.getGenericReturnType(), reached);
                }
            }
        }
    }

    static List<Class<?>> mainClasses() throws IOException {
        Path classes = Repository.path("target/classes");
        try (Stream<Path> files = Files.walk(classes)) {
            return files.filter(p -> p.toString().endsWith(".class"))
                    .map(p -> classes.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", ""))
                    .filter(n -> !n.contains("$$"))
                    .map(NativeSourcesTest::load)
                    .toList();
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, NativeSourcesTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void ourReachabilityMetadataAndRunTimeInitialisationReachTheBuilder() throws IOException {
        String metadata = "META-INF/native-image/io.llmanalytics/llm-analytics/reachability-metadata.json";
        try (JarFile jar = new JarFile(runner().toFile())) {
            assertTrue(jar.getEntry(metadata) != null, "the runner jar carries " + metadata);
        }
        assertTrue(
                args.contains("--initialize-at-run-time=org.duckdb.DuckDBNative"),
                "quarkus.native.additional-build-args reach native-image.args");
    }

    private static Path runner() throws IOException {
        try (Stream<Path> files = Files.list(SOURCES)) {
            return files.filter(p -> p.getFileName().toString().endsWith("-runner.jar"))
                    .findFirst()
                    .orElseThrow();
        }
    }

    @Test
    void excelReadingUsesQuarkusPoi() {
        assertTrue(args.contains("io.quarkiverse.poi.runtime.graal.POIFeature"), "quarkus-poi's native feature");
        assertTrue(libs.stream().anyMatch(l -> l.startsWith("org.apache.poi.poi-ooxml-")), libs.toString());
    }

    @Test
    void graalPyIsInTheImageWithItsNativeConfiguration() throws IOException {
        Map<String, String> needed = new LinkedHashMap<>();
        needed.put(
                "org.graalvm.python.python-language-",
                "META-INF/native-image/org.graalvm.python/python-language/" + "native-image.properties");
        needed.put("org.graalvm.python.python-resources-", null);
        needed.put(
                "org.graalvm.truffle.truffle-runtime-",
                "META-INF/native-image/org.graalvm.truffle/truffle-runtime/" + "native-image.properties");
        needed.put("org.graalvm.polyglot.polyglot-", null);
        for (Map.Entry<String, String> e : needed.entrySet()) {
            String lib = libs.stream()
                    .filter(l -> l.startsWith(e.getKey()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(e.getKey() + "* is not among the native-image inputs"));
            if (e.getValue() != null) {
                try (JarFile jar =
                        new JarFile(SOURCES.resolve("lib").resolve(lib).toFile())) {
                    assertTrue(jar.getEntry(e.getValue()) != null, lib + " carries its native-image configuration");
                }
            }
        }
        assertFalse(
                args.contains("-H:-IncludeLanguageResources"),
                "GraalPy's standard library stays in the "
                        + "executable; it is unpacked to polyglot.engine.userResourceCache (/tmp in the image)");
    }

    @Test
    void noDynamicClassLoadingInTheSources() throws IOException {
        Pattern dynamic = Pattern.compile("Class\\.forName|\\.loadClass\\(|ServiceLoader|Proxy\\.newProxyInstance"
                + "|defineClass|URLClassLoader|MethodHandles\\.lookup\\(\\)\\.findClass");
        Path src = Repository.path("src/main/java");
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(src)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (dynamic.matcher(lines.get(i)).find()) {
                        found.add(src.relativize(file) + ":" + (i + 1) + ": "
                                + lines.get(i).strip());
                    }
                }
            }
        }
        assertEquals(List.of(), found, "dynamic class loading needs native-image configuration");
    }
}
