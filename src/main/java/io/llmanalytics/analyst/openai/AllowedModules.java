package io.llmanalytics.analyst.openai;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The modules generated code may import, as the prompt states them: read from the allow-list the validator and the
 * worker enforce ({@code policy/allowed-modules.txt}), so that the three never disagree. Exclusions are left out of
 * the prompt (the validator reports them precisely if the model uses one).
 */
public final class AllowedModules {

    public static final String RESOURCE = "policy/allowed-modules.txt";

    private AllowedModules() {}

    /**
     * The allowed module names in file order: {@code name.*} entries shown as {@code name}, and submodules of an
     * entry already shown left out.
     */
    public static List<String> names() {
        Set<String> names = new LinkedHashSet<>();
        Set<String> wholePackages = new LinkedHashSet<>();
        for (String line : lines()) {
            if (line.startsWith("!")) {
                continue;
            }
            String name = line.endsWith(".*") ? line.substring(0, line.length() - 2) : line;
            if (wholePackages.stream().anyMatch(p -> name.startsWith(p + "."))) {
                continue;
            }
            if (line.endsWith(".*")) {
                wholePackages.add(name);
            }
            names.add(name);
        }
        return new ArrayList<>(names);
    }

    private static List<String> lines() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        InputStream in = loader == null ? null : loader.getResourceAsStream(RESOURCE);
        if (in == null) {
            in = AllowedModules.class.getClassLoader().getResourceAsStream(RESOURCE);
        }
        if (in == null) {
            throw new IllegalStateException("the import allow-list " + RESOURCE + " is missing from the classpath");
        }
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                String entry = line.strip();
                if (!entry.isEmpty() && !entry.startsWith("#")) {
                    lines.add(entry);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }
}
