package io.llmanalytics.analyst.offline;

import io.llmanalytics.analyst.Clarification;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

    private static final Pattern RELATIVE_YEAR = Pattern.compile(
            "(?i)\\b(?:in\\s+|during\\s+|for\\s+)?(?:the\\s+)?(last|previous|past|this|current)\\s+year\\b");
    private static final Pattern BARE_QUARTER =
            Pattern.compile("(?i)(?<!\\d{4}\\s{0,3})\\b(q[1-4])\\b(?!\\s*(?:of\\s+)?(?:'|\\d{2}))");

    /**
     * A period the question leaves unclear while the data covers several years: "last year" or "this year" (the latest
     * year of the data, the one before it, or the calendar's?), or a quarter without its year. The options name the
     * latest two years of the only date column; empty when there is no such phrase, no single date column, the data
     * covers one year, or fewer than two options parse.
     */
    static Optional<Clarification> period(String question, Lexicon lexicon) {
        if (question == null) {
            return Optional.empty();
        }
        List<Column> dates = lexicon.columns().stream().filter(Column::date).toList();
        if (dates.size() != 1 || dates.get(0).minDate() == null || dates.get(0).maxDate() == null) {
            return Optional.empty();
        }
        int first;
        int last;
        try {
            first = Integer.parseInt(dates.get(0).minDate().substring(0, 4));
            last = Integer.parseInt(dates.get(0).maxDate().substring(0, 4));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        if (last <= first) {
            return Optional.empty();
        }
        String q = question.strip();
        Matcher year = RELATIVE_YEAR.matcher(q);
        Matcher quarter = BARE_QUARTER.matcher(q);
        List<String> options = new ArrayList<>();
        String asked;
        if (year.find()) {
            asked = "'" + year.group().strip() + "' could be " + last + " (the latest year in the data) or "
                    + (last - 1) + ": which year do you mean?";
            for (int y : new int[] {last, last - 1}) {
                String option = q.substring(0, year.start()) + "in " + y + q.substring(year.end());
                if (Suggestions.parses(lexicon, option)) {
                    options.add(option.replaceAll("\\s+", " "));
                }
            }
        } else if (quarter.find()) {
            String name = quarter.group(1).toUpperCase(Locale.ROOT);
            asked = "The data covers " + first + " to " + last + ": " + name + " of which year?";
            for (int y : new int[] {last, last - 1}) {
                String option = q.substring(0, quarter.start()) + name + " " + y + q.substring(quarter.end());
                if (Suggestions.parses(lexicon, option)) {
                    options.add(option.replaceAll("\\s+", " "));
                }
            }
        } else {
            return Optional.empty();
        }
        return options.size() < Clarification.MIN_OPTIONS ? Optional.empty() : Clarification.of(asked, options);
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
