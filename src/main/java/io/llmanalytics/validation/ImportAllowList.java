package io.llmanalytics.validation;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Java reader of the import allow-list ({@code policy/allowed-modules.txt}): the grammar documented at the top of
 * {@code worker/policy.py} (whose {@code parse_allow_list} the worker and the validator run), implemented with the
 * same regular expression and the same steps, so that the prompt, the validator and the worker read the same
 * entries. A shared fixture ({@code src/test/resources/policy/tricky-allowed-modules.txt}) is read by every reader in
 * the tests.
 */
public final class ImportAllowList {

    /** The file on the class path. */
    public static final String RESOURCE = "policy/allowed-modules.txt";

    /** {@code ENTRY} of {@code worker/policy.py}. */
    private static final Pattern ENTRY =
            Pattern.compile("!?[A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)*(?:\\.\\*)?");

    private static final Pattern EDGES = Pattern.compile("^[ \\t\\r]+|[ \\t\\r]+$");

    private ImportAllowList() {}

    /**
     * The entries in canonical form ({@code name}, {@code name.*}, {@code !name}, {@code !name.*}), in file order,
     * without duplicates.
     *
     * @throws IllegalArgumentException naming the first line outside the grammar
     */
    public static List<String> parse(String text) {
        Set<String> entries = new LinkedHashSet<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String raw = lines[i];
            int hash = raw.indexOf('#');
            String line = EDGES.matcher(hash < 0 ? raw : raw.substring(0, hash)).replaceAll("");
            if (line.isEmpty()) {
                continue;
            }
            if (!ENTRY.matcher(line).matches()) {
                throw new IllegalArgumentException(
                        "invalid module pattern in the import allow-list, line " + (i + 1) + ": " + raw);
            }
            entries.add(line);
        }
        return new ArrayList<>(entries);
    }

    /** The allow-list shipped in the resources, parsed. */
    public static List<String> load() {
        return parse(PolicySources.resource(RESOURCE));
    }
}
