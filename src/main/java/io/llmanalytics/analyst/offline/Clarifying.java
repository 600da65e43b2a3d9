package io.llmanalytics.analyst.offline;

import io.llmanalytics.analyst.Clarification;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The question the offline analyst asks back when the only thing it could not place is a word that names several
 * columns, or a value found in several columns: one option per reading, each the question with the word replaced by
 * the column (or with the column named before the value), and each checked to parse into a plan, so that sending it
 * is answered without asking again. Anything else not understood stays a decline.
 */
final class Clarifying {

    private Clarifying() {}

    static Optional<Clarification> ask(Parts p, Lexicon lexicon) {
        if (p.question == null || p.ambiguous.size() != 1 || p.problems.size() != 1 || !p.unrecognized.isEmpty()) {
            return Optional.empty();
        }
        Item item = p.ambiguous.get(0);
        boolean value = item.kind() == Item.Kind.VALUE;
        List<String> options = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Column c : item.candidates()) {
            for (String name : List.of(c.name(), String.join(" ", c.words()))) {
                String option = replace(p.question.strip(), item.text(), value ? name + " " + item.text() : name);
                if (option != null
                        && !option.equalsIgnoreCase(p.question.strip())
                        && !options.contains(option)
                        && Suggestions.parses(lexicon, option)) {
                    options.add(option);
                    names.add("'" + c.name() + "'");
                    break;
                }
            }
        }
        if (options.size() < Clarification.MIN_OPTIONS) {
            return Optional.empty();
        }
        String question = value
                ? "'" + item.text() + "' is a value of several columns: do you mean " + String.join(" or ", names) + "?"
                : "'" + item.text() + "' could name several columns: do you mean " + String.join(" or ", names) + "?";
        return Clarification.of(question, options.subList(0, Math.min(options.size(), Clarification.MAX_OPTIONS)));
    }

    /** The question with the first whole-word occurrence of {@code text} replaced; null when there is none. */
    private static String replace(String question, String text, String replacement) {
        Matcher m = Pattern.compile(
                        "(?<![\\p{L}\\p{N}_])" + Pattern.quote(text) + "(?![\\p{L}\\p{N}_])",
                        Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)
                .matcher(question);
        if (!m.find()) {
            return null;
        }
        return question.substring(0, m.start()) + replacement + question.substring(m.end());
    }
}
