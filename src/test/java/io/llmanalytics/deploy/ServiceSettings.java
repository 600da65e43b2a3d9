package io.llmanalytics.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.config.ConfigMapping;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The environment variables the service really reads, to check deployments against:
 * <ul>
 * <li>the names .env documents;</li>
 * <li>the names application.properties maps, as in {@code upload.max-size=${MAX_UPLOAD_SIZE:100M}};</li>
 * <li>the environment form of every property of the service's own {@code @ConfigMapping} interfaces (SmallRye maps
 * {@code SANDBOX_MEMORY_BUDGET} to {@code sandbox.memory-budget});</li>
 * <li>Quarkus' own run-time properties, by the environment names its extensions document
 * ({@code META-INF/quarkus-config-doc/quarkus-config-model.json} on the class path; build-time properties are left
 * out: setting them on a running container has no effect).</li>
 * </ul>
 */
final class ServiceSettings {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::[^}]*)?}");

    private final Set<String> dotEnv;
    private final Set<String> mapped;
    private final Set<String> service;
    private final Set<String> quarkus;

    private ServiceSettings(Set<String> dotEnv, Set<String> mapped, Set<String> service, Set<String> quarkus) {
        this.dotEnv = dotEnv;
        this.mapped = mapped;
        this.service = service;
        this.quarkus = quarkus;
    }

    static ServiceSettings load() {
        Set<String> dotEnv = new TreeSet<>(Repository.envFile(".env").keySet());
        Set<String> mapped = new TreeSet<>();
        Matcher m = REFERENCE.matcher(Repository.read("src/main/resources/application.properties"));
        while (m.find()) {
            mapped.add(m.group(1));
        }
        return new ServiceSettings(dotEnv, mapped, serviceMappings(), quarkusRunTime());
    }

    /** Whether the service reads {@code name}, and how; empty when it does not. */
    Optional<String> source(String name) {
        if (dotEnv.contains(name)) {
            return Optional.of(".env");
        }
        if (mapped.contains(name)) {
            return Optional.of("application.properties");
        }
        if (service.contains(name)) {
            return Optional.of("a @ConfigMapping property");
        }
        if (quarkus.contains(name)) {
            return Optional.of("a Quarkus run-time property");
        }
        return Optional.empty();
    }

    Set<String> dotEnv() {
        return Collections.unmodifiableSet(dotEnv);
    }

    Set<String> serviceMappingNames() {
        return Collections.unmodifiableSet(service);
    }

    Set<String> quarkusNames() {
        return Collections.unmodifiableSet(quarkus);
    }

    /** The environment name of a property: dots and dashes become underscores, letters upper case. */
    static String environmentName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private static Set<String> serviceMappings() {
        Path classes = Repository.path("target/classes");
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(classes)) {
            files.filter(p -> p.toString().endsWith(".class")).forEach(p -> {
                String name = classes.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", "");
                if (name.contains("$$")) {
                    return;
                }
                Class<?> type = load(name);
                ConfigMapping mapping = type == null ? null : type.getAnnotation(ConfigMapping.class);
                if (mapping != null) {
                    properties(type, mapping.prefix(), names);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    private static void properties(Class<?> group, String prefix, Set<String> names) {
        for (Method method : group.getMethods()) {
            if (method.getParameterCount() > 0 || method.isDefault() || Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            String property = prefix + "." + kebab(method.getName());
            Class<?> type = method.getReturnType();
            if (type.isInterface() && type.getName().startsWith("io.llmanalytics")) {
                properties(type, property, names);
            } else if (Map.class.isAssignableFrom(type)) {
                names.add(environmentName(property) + "_*");
            } else {
                names.add(environmentName(property));
            }
        }
    }

    /** Mapping names follow SmallRye's default: camelCase methods become kebab-case properties. */
    static String kebab(String method) {
        return method.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static Set<String> quarkusRunTime() {
        Set<String> names = new TreeSet<>();
        ObjectMapper json = new ObjectMapper();
        try {
            Enumeration<URL> models = ServiceSettings.class
                    .getClassLoader()
                    .getResources("META-INF/quarkus-config-doc/quarkus-config-model.json");
            for (URL url : Collections.list(models)) {
                try (InputStream in = url.openStream()) {
                    collect(json.readTree(in), names);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    private static void collect(JsonNode node, Set<String> names) {
        if (node.isObject()) {
            JsonNode path = node.path("path");
            if (path.has("environmentVariable")
                    && "RUN_TIME".equals(node.path("phase").asText())) {
                names.add(path.path("environmentVariable").asText());
            }
            node.elements().forEachRemaining(child -> collect(child, names));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> collect(child, names));
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, ServiceSettings.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }
}
