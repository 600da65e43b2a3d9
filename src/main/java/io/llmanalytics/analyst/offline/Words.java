package io.llmanalytics.analyst.offline;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Word-level helpers shared by the matcher and the parser: folding (case and accents), simple singulars, splitting
 * column names into words, and close spellings (edit distance).
 */
final class Words {

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern NAME_PART = Pattern.compile("\\p{Lu}+(?![\\p{Ll}])|\\p{Lu}?\\p{Ll}+|\\p{L}+|\\p{N}+");
    private static final Map<String, String> IRREGULAR = Map.ofEntries(
            Map.entry("people", "person"),
            Map.entry("children", "child"),
            Map.entry("men", "man"),
            Map.entry("women", "woman"),
            Map.entry("data", "data"),
            Map.entry("indices", "index"),
            Map.entry("analyses", "analysis"),
            Map.entry("statuses", "status"),
            Map.entry("series", "series"),
            Map.entry("species", "species"),
            Map.entry("news", "news"),
            Map.entry("criteria", "criterion"),
            Map.entry("feet", "foot"),
            Map.entry("teeth", "tooth"),
            Map.entry("mice", "mouse"));

    private Words() {}

    /** Lower case without accents: {@code Électronique} becomes {@code electronique}. */
    static String fold(String text) {
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFD);
        return MARKS.matcher(decomposed).replaceAll("").toLowerCase(Locale.ROOT);
    }

    /** The singular of an English plural by the common rules; other words unchanged. */
    static String singular(String word) {
        String irregular = IRREGULAR.get(word);
        if (irregular != null) {
            return irregular;
        }
        int n = word.length();
        if (n <= 3 || !word.endsWith("s") || Character.isDigit(word.charAt(0))) {
            return word;
        }
        if (word.endsWith("ss") || word.endsWith("us") || word.endsWith("is") || word.endsWith("ous")) {
            return word;
        }
        if (word.endsWith("ies") && n > 4) {
            return word.substring(0, n - 3) + "y";
        }
        if (word.endsWith("sses")
                || word.endsWith("xes")
                || word.endsWith("ches")
                || word.endsWith("shes")
                || word.endsWith("zes")) {
            return word.substring(0, n - 2);
        }
        return word.substring(0, n - 1);
    }

    /** The words of a column name, folded and singular: {@code PassengerId} gives [passenger, id]. */
    static List<String> nameWords(String name) {
        List<String> words = new ArrayList<>();
        Matcher m = NAME_PART.matcher(Normalizer.normalize(name, Normalizer.Form.NFC));
        while (m.find()) {
            words.add(singular(fold(m.group())));
        }
        return words;
    }

    /** Whether two folded words are the same word written with a slip: one edit for 4+ letters, two for 8+. */
    static boolean close(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        int shortest = Math.min(a.length(), b.length());
        if (shortest < 4 || Character.isDigit(a.charAt(0)) || Character.isDigit(b.charAt(0))) {
            return false;
        }
        int allowed = shortest >= 8 ? 2 : 1;
        if (Math.abs(a.length() - b.length()) > allowed) {
            return false;
        }
        if (a.charAt(0) != b.charAt(0) && allowed == 1) {
            return false; // a different first letter is a different word more often than a slip
        }
        return distance(a, b, allowed) <= allowed;
    }

    /** Optimal string alignment distance (a swap of two neighbours is one edit), stopping above {@code max}. */
    static int distance(String a, String b, int max) {
        int n = a.length();
        int m = b.length();
        int[] before = new int[m + 1];
        int[] previous = new int[m + 1];
        int[] current = new int[m + 1];
        for (int j = 0; j <= m; j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= n; i++) {
            current[0] = i;
            int best = current[0];
            for (int j = 1; j <= m; j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int d = Math.min(Math.min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d = Math.min(d, before[j - 2] + 1);
                }
                current[j] = d;
                best = Math.min(best, d);
            }
            if (best > max) {
                return max + 1;
            }
            int[] t = before;
            before = previous;
            previous = current;
            current = t;
        }
        return previous[m];
    }
}
