package io.llmanalytics.upload;

import java.text.Normalizer;
import java.util.Collection;
import java.util.Locale;

/**
 * Names of added datasets: keys usable as Python identifiers ({@code dfs['orders']}, and as variable names in an
 * exported notebook), made from the file or sheet name and unique within the session.
 */
public final class DatasetNames {

    static final int MAX_LENGTH = 60;

    private DatasetNames() {}

    /** {@code "Orders 2024 (Q1).csv"} gives {@code orders_2024_q1}: ASCII letters, digits and underscores. */
    public static String key(String raw) {
        String ascii = Normalizer.normalize(raw == null ? "" : raw, Normalizer.Form.NFKD)
                .replaceAll("\\p{M}", "");
        String key = ascii.toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9_]+", "_")
                .replaceAll("_+", "_")
                .replaceAll("^_|_$", "");
        if (key.isEmpty()) {
            key = "data";
        }
        if (Character.isDigit(key.charAt(0))) {
            key = "d_" + key;
        }
        return key.length() > MAX_LENGTH ? key.substring(0, MAX_LENGTH) : key;
    }

    /** {@code key(raw)}, with {@code _2}, {@code _3}... appended when a name in {@code taken} has it already. */
    public static String unique(String raw, Collection<String> taken) {
        String base = key(raw);
        String name = base;
        for (int n = 2; taken.contains(name); n++) {
            name = base + "_" + n;
        }
        return name;
    }
}
