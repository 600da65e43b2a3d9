package io.llmanalytics.verified;

import java.text.Normalizer;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Lexical closeness of questions: normalised words, and the Jaccard similarity of their words and word pairs. */
public final class QuestionText {

    private QuestionText() {}

    /** The question's words: lower case, accents removed, split on anything that is not a letter or digit. */
    public static List<String> words(String question) {
        if (question == null) {
            return List.of();
        }
        String plain = Normalizer.normalize(question, Normalizer.Form.NFKD)
                .replaceAll("\\p{M}+", "")
                .toLowerCase(Locale.ROOT);
        return List.of(plain.split("[^\\p{L}\\p{N}.]+|(?<!\\d)\\.|\\.(?!\\d)")).stream()
                .filter(w -> !w.isEmpty())
                .toList();
    }

    /** The question normalised: its words joined by single spaces (two questions are the same when these are). */
    public static String normalised(String question) {
        return String.join(" ", words(question));
    }

    /** Jaccard similarity of the two questions' words and adjacent word pairs, 0 to 1. */
    public static double similarity(String a, String b) {
        Set<String> x = grams(words(a));
        Set<String> y = grams(words(b));
        if (x.isEmpty() || y.isEmpty()) {
            return 0;
        }
        Set<String> common = new HashSet<>(x);
        common.retainAll(y);
        return (double) common.size() / (x.size() + y.size() - common.size());
    }

    private static Set<String> grams(List<String> words) {
        Set<String> grams = new HashSet<>(words);
        for (int i = 1; i < words.size(); i++) {
            grams.add(words.get(i - 1) + " " + words.get(i));
        }
        return grams;
    }
}
