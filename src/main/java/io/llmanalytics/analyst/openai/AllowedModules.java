package io.llmanalytics.analyst.openai;

import io.llmanalytics.validation.ImportAllowList;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The modules generated code may import, as the prompt states them: read from the allow-list the validator and the
 * worker enforce ({@code policy/allowed-modules.txt}) by the one grammar ({@link ImportAllowList}), so that the three
 * never disagree. Exclusions are left out of
 * the prompt (the validator reports them precisely if the model uses one).
 */
public final class AllowedModules {

    public static final String RESOURCE = ImportAllowList.RESOURCE;

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
        return ImportAllowList.load();
    }
}
