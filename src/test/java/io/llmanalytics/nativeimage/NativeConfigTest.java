package io.llmanalytics.nativeimage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The native-image configuration for DuckDB's JDBC driver and Apache Arrow Java, checked here because no native
 * executable can be linked on these machines (DESIGN.md, point 8): every class, method and field the metadata names
 * exists with that exact signature on the class path the image would be built from; the JNI metadata covers exactly the
 * lookups DuckDB's native library makes when it loads (a single missing one makes JNI_OnLoad fail, so the driver could
 * not load at all); Arrow's reflective lookups are registered; every class the native build initialises at run time
 * exists.
 */
class NativeConfigTest {

    static final String METADATA = "/META-INF/native-image/io.llmanalytics/llm-analytics/reachability-metadata.json";

    /**
     * Every lookup of duckdb-java v1.4.4.0 (the pom's {@code duckdb.version}; tag v1.4.4.0, commit
     * 65646a09ce09a70451d387810e100444a312d730), copied from {@code src/jni/refs.cpp} {@code create_refs()}, which
     * {@code JNI_OnLoad} in {@code src/jni/duckdb_java.cpp} runs. Each row: the JNI class name, then "C" (FindClass),
     * "M" (GetMethodID), "S" (GetStaticMethodID), "F" (GetFieldID) or "G" (GetStaticFieldID) with name and signature.
     * The last rows are the {@code <init>(String)} constructors {@code env->ThrowNew} calls: J_SQLException
     * (duckdb_java.cpp ThrowJNI and bindings_*.cpp), J_SQLTimeoutException (duckdb_java.cpp, interrupted queries) and
     * java/lang/RuntimeException (JNI_OnLoad, found with FindClass there).
     */
    static final List<String[]> DUCKDB_JNI = List.of(
            row("java/nio/charset/Charset", "M", "decode", "(Ljava/nio/ByteBuffer;)Ljava/nio/CharBuffer;"),
            row("java/nio/charset/StandardCharsets", "G", "UTF_8", "Ljava/nio/charset/Charset;"),
            row("java/nio/CharBuffer", "M", "toString", "()Ljava/lang/String;"),
            row("java/lang/Throwable", "M", "getMessage", "()Ljava/lang/String;"),
            row("java/sql/SQLException", "C"),
            row("java/sql/SQLTimeoutException", "C"),
            row("java/lang/Boolean", "C"),
            row("java/lang/Byte", "C"),
            row("java/lang/Short", "C"),
            row("java/lang/Integer", "C"),
            row("java/lang/Long", "C"),
            row("java/lang/Float", "C"),
            row("java/lang/Double", "C"),
            row("java/lang/String", "C"),
            row("java/math/BigDecimal", "C"),
            row("org/duckdb/DuckDBHugeInt", "C"),
            row("[B", "C"),
            row("org/duckdb/DuckDBTimestamp", "S", "valueOf", "(Ljava/lang/Object;)Ljava/lang/Object;"),
            row("org/duckdb/DuckDBTimestampTZ", "C"),
            row("org/duckdb/DuckDBDate", "M", "getDaysSinceEpoch", "()J"),
            row("org/duckdb/DuckDBTime", "C"),
            row("org/duckdb/user/DuckDBMap", "M", "getSQLTypeName", "()Ljava/lang/String;"),
            row("java/util/List", "M", "iterator", "()Ljava/util/Iterator;"),
            row("java/util/Map", "M", "entrySet", "()Ljava/util/Set;"),
            row("java/util/Set", "M", "iterator", "()Ljava/util/Iterator;"),
            row("java/util/Iterator", "M", "hasNext", "()Z"),
            row("java/util/Iterator", "M", "next", "()Ljava/lang/Object;"),
            row("java/util/UUID", "M", "getMostSignificantBits", "()J"),
            row("java/util/UUID", "M", "getLeastSignificantBits", "()J"),
            row("org/duckdb/DuckDBArray", "M", "<init>", "(Lorg/duckdb/DuckDBVector;II)V"),
            row(
                    "org/duckdb/DuckDBStruct",
                    "M",
                    "<init>",
                    "([Ljava/lang/String;[Lorg/duckdb/DuckDBVector;ILjava/lang/String;)V"),
            row("java/sql/Struct", "M", "getSQLTypeName", "()Ljava/lang/String;"),
            row("java/sql/Struct", "M", "getAttributes", "()[Ljava/lang/Object;"),
            row("java/sql/Array", "M", "getArray", "()Ljava/lang/Object;"),
            row("java/sql/Array", "M", "getBaseTypeName", "()Ljava/lang/String;"),
            row("java/lang/Object", "M", "toString", "()Ljava/lang/String;"),
            row("java/util/Map$Entry", "M", "getKey", "()Ljava/lang/Object;"),
            row("java/util/Map$Entry", "M", "getValue", "()Ljava/lang/Object;"),
            row("java/lang/Boolean", "M", "booleanValue", "()Z"),
            row("java/lang/Byte", "M", "byteValue", "()B"),
            row("java/lang/Short", "M", "shortValue", "()S"),
            row("java/lang/Integer", "M", "intValue", "()I"),
            row("java/lang/Long", "M", "longValue", "()J"),
            row("java/lang/Float", "M", "floatValue", "()F"),
            row("java/lang/Double", "M", "doubleValue", "()D"),
            row("org/duckdb/DuckDBTimestamp", "M", "getMicrosEpoch", "()J"),
            row("org/duckdb/DuckDBTimestampTZ", "M", "getMicrosEpoch", "()J"),
            row("java/math/BigDecimal", "M", "precision", "()I"),
            row("java/math/BigDecimal", "M", "scale", "()I"),
            row("java/math/BigDecimal", "M", "scaleByPowerOfTen", "(I)Ljava/math/BigDecimal;"),
            row("java/math/BigDecimal", "M", "toPlainString", "()Ljava/lang/String;"),
            row("java/math/BigDecimal", "M", "longValue", "()J"),
            row("org/duckdb/DuckDBHugeInt", "F", "lower", "J"),
            row("org/duckdb/DuckDBHugeInt", "F", "upper", "J"),
            row(
                    "org/duckdb/DuckDBResultSetMetaData",
                    "M",
                    "<init>",
                    "(II[Ljava/lang/String;[Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;"
                            + "[Ljava/lang/String;[Ljava/lang/String;)V"),
            row("java/lang/String", "M", "getBytes", "(Ljava/nio/charset/Charset;)[B"),
            row("org/duckdb/DuckDBVector", "M", "<init>", "(Ljava/lang/String;I[Z)V"),
            row("org/duckdb/DuckDBVector", "F", "constlen_data", "Ljava/nio/ByteBuffer;"),
            row("org/duckdb/DuckDBVector", "F", "varlen_data", "[Ljava/lang/Object;"),
            row("java/nio/ByteBuffer", "M", "order", "(Ljava/nio/ByteOrder;)Ljava/nio/ByteBuffer;"),
            row("java/nio/ByteOrder", "G", "LITTLE_ENDIAN", "Ljava/nio/ByteOrder;"),
            row("org/duckdb/ProfilerPrintFormat", "G", "QUERY_TREE", "Lorg/duckdb/ProfilerPrintFormat;"),
            row("org/duckdb/ProfilerPrintFormat", "G", "JSON", "Lorg/duckdb/ProfilerPrintFormat;"),
            row("org/duckdb/ProfilerPrintFormat", "G", "QUERY_TREE_OPTIMIZER", "Lorg/duckdb/ProfilerPrintFormat;"),
            row("org/duckdb/ProfilerPrintFormat", "G", "NO_OUTPUT", "Lorg/duckdb/ProfilerPrintFormat;"),
            row("org/duckdb/ProfilerPrintFormat", "G", "HTML", "Lorg/duckdb/ProfilerPrintFormat;"),
            row("org/duckdb/ProfilerPrintFormat", "G", "GRAPHVIZ", "Lorg/duckdb/ProfilerPrintFormat;"),
            row("org/duckdb/QueryProgress", "M", "<init>", "(DJJ)V"),
            // env->ThrowNew(clazz, message) constructs through <init>(String)
            row("java/sql/SQLException", "M", "<init>", "(Ljava/lang/String;)V"),
            row("java/sql/SQLTimeoutException", "M", "<init>", "(Ljava/lang/String;)V"),
            row("java/lang/RuntimeException", "M", "<init>", "(Ljava/lang/String;)V"));

    /**
     * The reflective lookups of Apache Arrow Java v19.0.0 (the pom's {@code arrow.version}; apache/arrow-java tag
     * v19.0.0, commit b410fb26d01c7cefc4c6e3443a53562164001371) on the path the service takes (RootAllocator with
     * arrow-memory-unsafe): memory-core {@code MemoryUtil}'s static initialiser ({@code
     * Unsafe.class.getDeclaredField("theUnsafe")}, {@code java.nio.Buffer.class.getDeclaredField("address")} for
     * {@code objectFieldOffset}, and on Java 21+ {@code direct.getClass().getDeclaredConstructor(long.class,
     * long.class)}) and {@code DefaultAllocationManagerOption.getFactory} ({@code
     * Class.forName(name).getDeclaredField("FACTORY")}) for the class {@code CheckAllocator} infers or the one
     * {@code arrow.allocation.manager.type=Unsafe} names. Same rows as above ("F" a field, "M" a method).
     */
    static final List<String[]> ARROW_REFLECTION = List.of(
            row("sun/misc/Unsafe", "G", "theUnsafe", "Lsun/misc/Unsafe;"),
            row("java/nio/Buffer", "F", "address", "J"),
            row("java/nio/DirectByteBuffer", "M", "<init>", "(JJ)V"),
            row(
                    "org/apache/arrow/memory/unsafe/DefaultAllocationManagerFactory",
                    "G",
                    "FACTORY",
                    "Lorg/apache/arrow/memory/AllocationManager$Factory;"),
            row(
                    "org/apache/arrow/memory/unsafe/UnsafeAllocationManager",
                    "G",
                    "FACTORY",
                    "Lorg/apache/arrow/memory/AllocationManager$Factory;"));

    /** Arrow's CheckAllocator finds the allocation manager by this class-file resource (CheckAllocator.java). */
    static final String ARROW_ALLOCATOR_RESOURCE =
            "org/apache/arrow/memory/unsafe/DefaultAllocationManagerFactory.class";

    static JsonNode metadata;

    @BeforeAll
    static void readMetadata() throws IOException {
        try (InputStream in = NativeConfigTest.class.getResourceAsStream(METADATA)) {
            assertNotNull(in, METADATA + " is on the class path, where native-image reads it");
            metadata = new ObjectMapper().readTree(in);
        }
    }

    @Test
    void everyRegisteredClassMethodAndFieldExistsWithItsSignature() {
        List<String> problems = new ArrayList<>();
        for (JsonNode entry : metadata.path("reflection")) {
            String type = entry.path("type").asText();
            Class<?> c = load(type, problems);
            if (c == null) {
                continue;
            }
            for (JsonNode f : entry.path("fields")) {
                String name = f.path("name").asText();
                if (Arrays.stream(c.getDeclaredFields())
                        .noneMatch(d -> d.getName().equals(name))) {
                    problems.add(type + " declares no field " + name);
                }
            }
            for (JsonNode m : entry.path("methods")) {
                String name = m.path("name").asText();
                List<Class<?>> params = new ArrayList<>();
                for (JsonNode p : m.path("parameterTypes")) {
                    Class<?> pc = load(p.asText(), problems);
                    if (pc != null) {
                        params.add(pc);
                    }
                }
                if (params.size() != m.path("parameterTypes").size()) {
                    continue;
                }
                if (declared(c, name, params.toArray(Class<?>[]::new)) == null) {
                    problems.add(type + " declares no " + name
                            + params.stream().map(Class::getTypeName).toList());
                }
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(metadata.path("reflection").size() > 40, "DuckDB's and Arrow's entries are there");
    }

    @Test
    void theJniMetadataCoversExactlyTheLookupsOfDuckDbsNativeLibrary() {
        Map<String, Set<String>> expected = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String[] r : DUCKDB_JNI) {
            String type = javaName(r[0]);
            expected.computeIfAbsent(type, t -> new TreeSet<>());
            Class<?> c = load(type, problems);
            if (r.length > 2 && c != null) {
                // JNI finds inherited members too; native-image registers a member on the class declaring it
                Class<?> declaring = checkAgainstClass(c, r, problems);
                if (declaring != null) {
                    expected.computeIfAbsent(declaring.getName(), t -> new TreeSet<>())
                            .add(member(r));
                }
            }
        }
        assertEquals(List.of(), problems, "the lookups copied from refs.cpp resolve on this class path");

        Map<String, Set<String>> registered = new LinkedHashMap<>();
        for (JsonNode entry : metadata.path("reflection")) {
            if (entry.path("jniAccessible").asBoolean()) {
                Set<String> members =
                        registered.computeIfAbsent(entry.path("type").asText(), t -> new TreeSet<>());
                entry.path("fields").forEach(f -> members.add(f.path("name").asText()));
                entry.path("methods").forEach(m -> members.add(method(m)));
            }
        }
        assertEquals(
                new TreeSet<>(expected.keySet()),
                new TreeSet<>(registered.keySet()),
                "JNI-accessible types: those DuckDB's JNI_OnLoad finds, no more, no less");
        for (Map.Entry<String, Set<String>> e : expected.entrySet()) {
            assertEquals(e.getValue(), registered.get(e.getKey()), "JNI members of " + e.getKey());
        }
    }

    @Test
    void arrowsReflectiveLookupsAndItsAllocatorResourceAreRegistered() {
        List<String> problems = new ArrayList<>();
        for (String[] r : ARROW_REFLECTION) {
            String type = javaName(r[0]);
            Class<?> c = load(type, problems);
            Class<?> declaring = c == null ? null : checkAgainstClass(c, r, problems);
            if (declaring != c) {
                problems.add(type + " " + r[2] + " is not declared by " + type);
                continue;
            }
            JsonNode entry = entry(type);
            if (entry == null) {
                problems.add(type + " is not registered for reflection");
                continue;
            }
            List<String> members = new ArrayList<>();
            entry.path("fields").forEach(f -> members.add(f.path("name").asText()));
            entry.path("methods").forEach(m -> members.add(method(m)));
            if (!members.contains(member(r))) {
                problems.add(type + " lacks " + member(r) + " (has " + members + ")");
            }
        }
        assertEquals(List.of(), problems);

        List<String> globs = new ArrayList<>();
        metadata.path("resources").forEach(g -> globs.add(g.path("glob").asText()));
        assertEquals(List.of(ARROW_ALLOCATOR_RESOURCE), globs);
        assertNotNull(
                NativeConfigTest.class.getClassLoader().getResource(ARROW_ALLOCATOR_RESOURCE),
                "arrow-memory-unsafe on the class path carries the resource CheckAllocator looks for");
    }

    @Test
    void everyClassInitialisedAtRunTimeExists() throws IOException {
        Properties props = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            props.load(in);
        }
        String args = props.getProperty("quarkus.native.additional-build-args", "");
        List<String> classes = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String arg : args.split(",")) {
            String a = arg.strip();
            String prefix = "--initialize-at-run-time=";
            if (a.startsWith(prefix)) {
                classes.add(a.substring(prefix.length()));
            } else {
                problems.add("unexpected native build argument " + a);
            }
        }
        classes.forEach(c -> load(c, problems));
        assertEquals(List.of(), problems);
        for (String needed : List.of(
                "org.duckdb.DuckDBNative", // System.load of the JNI library in its static initialiser
                "org.apache.arrow.memory.util.MemoryUtil")) { // Unsafe and native memory in its static initialiser
            assertTrue(classes.contains(needed), needed + " is initialised at run time: " + classes);
        }
    }

    // --- helpers ---

    private static String[] row(String... cells) {
        return cells;
    }

    /** "java/util/Map$Entry" to "java.util.Map$Entry", "[B" to "byte[]" (the names the metadata uses). */
    static String javaName(String jni) {
        if (jni.startsWith("[")) {
            return typeName(jni);
        }
        return jni.replace('/', '.');
    }

    /** One JNI field or method descriptor as a Java type name: "J" to "long", "[Ljava/lang/String;" to "String[]". */
    static String typeName(String descriptor) {
        return switch (descriptor.charAt(0)) {
            case 'Z' -> "boolean";
            case 'B' -> "byte";
            case 'C' -> "char";
            case 'S' -> "short";
            case 'I' -> "int";
            case 'J' -> "long";
            case 'F' -> "float";
            case 'D' -> "double";
            case 'V' -> "void";
            case '[' -> typeName(descriptor.substring(1)) + "[]";
            case 'L' -> descriptor.substring(1, descriptor.indexOf(';')).replace('/', '.');
            default -> throw new IllegalArgumentException("not a descriptor: " + descriptor);
        };
    }

    /** The parameter descriptors of a method signature, each as a Java type name, then the return type last. */
    static List<String> signature(String sig) {
        List<String> types = new ArrayList<>();
        int i = 1;
        while (sig.charAt(i) != ')') {
            int start = i;
            while (sig.charAt(i) == '[') {
                i++;
            }
            i = sig.charAt(i) == 'L' ? sig.indexOf(';', i) + 1 : i + 1;
            types.add(typeName(sig.substring(start, i)));
        }
        types.add(typeName(sig.substring(i + 1)));
        return types;
    }

    private static String member(String[] r) {
        if (r[1].equals("F") || r[1].equals("G")) {
            return r[2];
        }
        List<String> sig = signature(r[3]);
        return r[2] + sig.subList(0, sig.size() - 1);
    }

    private static String method(JsonNode m) {
        List<String> params = new ArrayList<>();
        m.path("parameterTypes").forEach(p -> params.add(p.asText()));
        return m.path("name").asText() + params;
    }

    /**
     * The lookup resolves as the JVM resolves it (in the class or, except constructors, a superclass): the right kind
     * (static or not), name, parameter and result types. Returns the class declaring the member, or null (a problem
     * added).
     */
    private static Class<?> checkAgainstClass(Class<?> c, String[] r, List<String> problems) {
        String what = c.getName() + " " + r[2] + " " + r[3];
        List<String> problemsBefore = new ArrayList<>(problems);
        switch (r[1]) {
            case "F", "G" -> {
                for (Class<?> k = c; k != null; k = k.getSuperclass()) {
                    Field f = Arrays.stream(k.getDeclaredFields())
                            .filter(d -> d.getName().equals(r[2]))
                            .findFirst()
                            .orElse(null);
                    if (f == null) {
                        continue;
                    }
                    if (Modifier.isStatic(f.getModifiers()) != r[1].equals("G")) {
                        problems.add(what + ": static mismatch");
                    } else if (!f.getType().getTypeName().equals(typeName(r[3]))) {
                        problems.add(what + ": field type is " + f.getType().getTypeName());
                    } else {
                        return k;
                    }
                    return null;
                }
                problems.add(what + ": no such field");
                return null;
            }
            case "M", "S" -> {
                List<String> sig = signature(r[3]);
                List<Class<?>> params = new ArrayList<>();
                for (String p : sig.subList(0, sig.size() - 1)) {
                    params.add(load(p, problems));
                }
                if (!problems.equals(problemsBefore)) {
                    return null;
                }
                for (Class<?> k = c; k != null; k = r[2].equals("<init>") ? null : k.getSuperclass()) {
                    Object found = declared(k, r[2], params.toArray(Class<?>[]::new));
                    if (found == null) {
                        continue;
                    }
                    if (found instanceof Method m) {
                        if (Modifier.isStatic(m.getModifiers()) != r[1].equals("S")) {
                            problems.add(what + ": static mismatch");
                            return null;
                        } else if (!m.getReturnType().getTypeName().equals(sig.getLast())) {
                            problems.add(what + ": returns " + m.getReturnType().getTypeName());
                            return null;
                        }
                    } else if (!sig.getLast().equals("void")) {
                        problems.add(what + ": a constructor returns void");
                        return null;
                    }
                    return k;
                }
                problems.add(what + ": no such method");
                return null;
            }
            default -> {
                problems.add(what + ": unknown lookup kind " + r[1]);
                return null;
            }
        }
    }

    /** The constructor ({@code <init>}) or method declared by {@code c} itself, or null. */
    private static Object declared(Class<?> c, String name, Class<?>[] params) {
        try {
            if (name.equals("<init>")) {
                Constructor<?> ctor = c.getDeclaredConstructor(params);
                return ctor;
            }
            return c.getDeclaredMethod(name, params);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private JsonNode entry(String type) {
        for (JsonNode e : metadata.path("reflection")) {
            if (e.path("type").asText().equals(type)) {
                return e;
            }
        }
        return null;
    }

    private static final Map<String, Class<?>> PRIMITIVES = Map.of(
            "boolean", boolean.class,
            "byte", byte.class,
            "char", char.class,
            "short", short.class,
            "int", int.class,
            "long", long.class,
            "float", float.class,
            "double", double.class);

    /** The class a metadata type name denotes ("byte[]", "java.lang.String[]", "java.util.Map$Entry"), unloaded. */
    static Class<?> load(String name, List<String> problems) {
        if (name.endsWith("[]")) {
            Class<?> component = load(name.substring(0, name.length() - 2), problems);
            return component == null ? null : component.arrayType();
        }
        if (PRIMITIVES.containsKey(name)) {
            return PRIMITIVES.get(name);
        }
        try {
            return Class.forName(name, false, NativeConfigTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            problems.add("no class " + name);
            return null;
        }
    }

    @Test
    void theDescriptorParserReadsDuckDbsSignatures() {
        assertEquals(
                List.of("java.lang.String[]", "org.duckdb.DuckDBVector[]", "int", "java.lang.String", "void"),
                signature("([Ljava/lang/String;[Lorg/duckdb/DuckDBVector;ILjava/lang/String;)V"));
        assertEquals(List.of("double", "long", "long", "void"), signature("(DJJ)V"));
        assertEquals("byte[]", javaName("[B"));
        assertFalse(load("org.duckdb.DuckDBVectr", new ArrayList<>()) != null, "a misspelt class is not found");
    }
}
