package io.llmanalytics.sources;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;

/**
 * The named connections the operator configured: {@code SOURCES_<NAME>_URL}, {@code _USERNAME}, {@code _PASSWORD},
 * {@code _PASSWORD_FILE}, {@code _TABLES} in the environment, or {@code sources.<name>.url, username, password,
 * password-file, tables} as properties. Names are lower case. A connection whose URL is not PostgreSQL, MariaDB/MySQL
 * or SQLite is left out with a warning that names only the connection.
 */
@ApplicationScoped
public class SourceCatalog {

    private static final Pattern ENV =
            Pattern.compile("SOURCES_([A-Z0-9][A-Z0-9_]*?)_(URL|USERNAME|PASSWORD_FILE|PASSWORD|TABLES)");
    private static final Pattern PROPERTY =
            Pattern.compile("sources\\.\"?([a-z0-9][a-z0-9_-]*)\"?\\.(url|username|password-file|password|tables)");

    private final Map<String, Source> sources;

    @Inject
    public SourceCatalog(Config config) {
        Map<String, String> values = new HashMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith("SOURCES_") || name.startsWith("sources.")) {
                config.getOptionalValue(name, String.class).ifPresent(v -> values.put(name, v));
            }
        }
        this.sources = parse(values);
        if (!sources.isEmpty()) {
            Log.infof("Database sources configured: %s", sources.values());
        }
    }

    /** A catalog of the given sources (tests, tools). */
    SourceCatalog(Map<String, Source> sources) {
        this.sources = Map.copyOf(sources);
    }

    /** The sources described by {@code values} (environment or property names to values). */
    static Map<String, Source> parse(Map<String, String> values) {
        Map<String, Map<String, String>> parts = new TreeMap<>();
        values.forEach((key, value) -> {
            Matcher env = ENV.matcher(key);
            Matcher prop = PROPERTY.matcher(key);
            if (env.matches()) {
                parts.computeIfAbsent(env.group(1).toLowerCase(Locale.ROOT), k -> new HashMap<>())
                        .put(env.group(2).toLowerCase(Locale.ROOT).replace('_', '-'), value);
            } else if (prop.matches()) {
                parts.computeIfAbsent(prop.group(1), k -> new HashMap<>()).putIfAbsent(prop.group(2), value);
            }
        });
        Map<String, Source> out = new TreeMap<>();
        parts.forEach((name, p) -> {
            String url = p.get("url");
            if (url == null || url.isBlank()) {
                return;
            }
            Optional<SourceKind> kind = SourceKind.of(url);
            if (kind.isEmpty()) {
                Log.warnf("Source '%s' left out: its URL is not a PostgreSQL, MariaDB/MySQL or SQLite JDBC URL", name);
                return;
            }
            List<String> tables = p.get("tables") == null
                    ? List.of()
                    : Arrays.stream(p.get("tables").split(","))
                            .map(String::strip)
                            .filter(t -> !t.isEmpty())
                            .map(t -> t.toLowerCase(Locale.ROOT))
                            .toList();
            out.put(
                    name,
                    new Source(
                            name,
                            kind.get(),
                            url.strip(),
                            nonBlank(p.get("username")),
                            Optional.ofNullable(p.get("password")).filter(v -> !v.isEmpty()),
                            nonBlank(p.get("password-file")).map(Path::of),
                            tables));
        });
        return Map.copyOf(out);
    }

    private static Optional<String> nonBlank(String v) {
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    /** The sources, by name. */
    public List<Source> all() {
        return sources.values().stream()
                .sorted(Comparator.comparing(Source::name))
                .toList();
    }

    /** The source named {@code name}, or a 404 problem. */
    public Source get(String name) {
        Source source = name == null ? null : sources.get(name.toLowerCase(Locale.ROOT));
        if (source == null) {
            throw new ProblemException(
                    ProblemType.NOT_FOUND,
                    "No source named '" + clip(name)
                            + "'. GET /api/sources lists the sources the operator configured.");
        }
        return source;
    }

    static String clip(String s) {
        return s == null ? "" : s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
