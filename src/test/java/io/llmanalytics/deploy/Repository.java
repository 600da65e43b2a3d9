package io.llmanalytics.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Files of the repository the deployment tests read, resolved from the project directory Maven runs in. */
final class Repository {

    static final Path ROOT = root();

    private Repository() {}

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    static String read(String relative) {
        try {
            return Files.readString(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code NAME=value} lines of an env file (.env syntax: comments and blank lines skipped), in order. */
    static Map<String, String> envFile(String relative) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String line : read(relative).lines().toList()) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int eq = l.indexOf('=');
            settings.put(l.substring(0, eq).strip(), l.substring(eq + 1).strip());
        }
        return settings;
    }

    /** A property of application.properties for a profile ({@code null}: unprofiled), or {@code null}. */
    static String property(String name, String profile) {
        String key = (profile == null ? "" : "%" + profile + ".") + name;
        Matcher m = Pattern.compile("^" + Pattern.quote(key) + "\\s*=\\s*(.*)$", Pattern.MULTILINE)
                .matcher(read("src/main/resources/application.properties"));
        return m.find() ? m.group(1).strip() : null;
    }

    private static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("pom.xml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no pom.xml above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
