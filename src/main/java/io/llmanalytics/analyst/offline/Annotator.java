package io.llmanalytics.analyst.offline;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns the tokens of a question into {@link Item}s against one dataset's {@link Lexicon}. At each position the
 * longest phrase wins; among phrases of the same length a column beats a value, which beats a cue (except for
 * function words, which are never columns). Words that match nothing exactly are tried, in order, as words of no
 * consequence, month names, part of a longer column name, and close spellings of a column, a cue or a value.
 */
final class Annotator {

    private static final int MAX_PHRASE = 6;

    private final Lexicon lexicon;

    Annotator(Lexicon lexicon) {
        this.lexicon = lexicon;
    }

    List<Item> annotate(List<Token> tokens) {
        List<Item> items = new ArrayList<>();
        int i = 0;
        while (i < tokens.size()) {
            Item item = at(tokens, i);
            items.add(item);
            i = item.end();
        }
        return items;
    }

    private Item at(List<Token> tokens, int i) {
        Token t = tokens.get(i);
        return switch (t.kind()) {
            case QUOTED -> quoted(t, i);
            case DATE -> Item.date(t.raw(), i);
            case NUMBER -> Item.number(t.number(), i, t.raw());
            case SYMBOL ->
                Item.cue(
                        switch (t.raw()) {
                            case ">" -> Cue.GT;
                            case ">=" -> Cue.GE;
                            case "<" -> Cue.LT;
                            case "<=" -> Cue.LE;
                            case "!=" -> Cue.NE;
                            case "%" -> Cue.SHARE;
                            default -> Cue.EQ;
                        },
                        i,
                        i + 1,
                        t.raw());
            case WORD -> word(tokens, i);
        };
    }

    private Item quoted(Token t, int i) {
        List<Lexicon.Value> values = lexicon.valuesOf(Words.nameWords(t.raw()), t.raw());
        List<Column> columns = Lexicon.columnsOf(values);
        if (columns.size() == 1) {
            return Item.value(columns.get(0), values.get(0).value(), i, i + 1, t.raw());
        }
        for (Column c : lexicon.columns()) {
            if (c.name().equals(t.raw())) {
                return Item.column(c, i, i + 1, t.raw());
            }
        }
        return Item.quoted(t.raw(), i);
    }

    private Item word(List<Token> tokens, int i) {
        Token first = tokens.get(i);
        int longest = Math.min(MAX_PHRASE, tokens.size() - i);
        for (int length = longest; length >= 1; length--) {
            List<Token> span = tokens.subList(i, i + length);
            if (!spannable(span)) {
                continue;
            }
            List<String> stems = span.stream().map(Token::stem).toList();
            String raw = String.join(" ", span.stream().map(Token::raw).toList());
            boolean structural = length == 1 && Vocabulary.STRUCTURAL.contains(first.stem());
            if (!structural) {
                List<Column> columns = lexicon.exact(stems);
                if (columns.isEmpty() && length > 1) {
                    columns = lexicon.exact(span.stream().map(Token::word).toList());
                }
                if (columns.size() == 1) {
                    return Item.column(columns.get(0), i, i + length, raw);
                }
                if (columns.size() > 1) {
                    return Item.ambiguous(columns, i, i + length, raw);
                }
                List<Lexicon.Value> values = lexicon.valuesOf(stems, raw);
                if (!values.isEmpty()) {
                    return value(values, i, i + length, raw);
                }
            }
            Cue cue = cue(stems);
            if (cue != null) {
                return Item.cue(cue, i, i + length, raw);
            }
        }
        if (Vocabulary.NAME_FILLERS.contains(first.stem())) {
            List<Column> partial = lexicon.partial(List.of(first.stem()));
            if (partial.size() == 1) {
                return Item.column(partial.get(0), i, i + 1, first.raw()); // "category" for "Product Category"
            }
        }
        if (Vocabulary.STRUCTURAL.contains(first.stem()) || Vocabulary.filler(first.stem())) {
            return Item.of(Item.Kind.FILLER, i, i + 1, first.raw());
        }
        Column flag = sexFlag(first.stem());
        if (flag != null) {
            return Item.column(flag, i, i + 1, first.raw()); // "women" when a 0/1 column is called female
        }
        Integer quarter = first.word().matches("q[1-4]") ? first.word().charAt(1) - '0' : null;
        if (quarter != null) {
            return new Item(Item.Kind.QUARTER, i, i + 1, first.raw(), null, null, null, quarter, List.of());
        }
        Integer month = Vocabulary.MONTHS.get(first.word());
        if (month != null
                && (month != 5 || i + 1 < tokens.size() && tokens.get(i + 1).isYear())) {
            return Item.month(month, i, i + 1, first.raw());
        }
        for (int length = longest; length >= 1; length--) {
            List<Token> span = tokens.subList(i, i + length);
            if (!spannable(span)) {
                continue;
            }
            List<Column> partial =
                    lexicon.partial(span.stream().map(Token::stem).toList());
            String raw = String.join(" ", span.stream().map(Token::raw).toList());
            if (partial.size() == 1) {
                return Item.column(partial.get(0), i, i + length, raw);
            }
            if (partial.size() > 1) {
                return Item.ambiguous(partial, i, i + length, raw);
            }
        }
        return close(tokens, i);
    }

    /** The yes/no column named like the sex a word means ("women": {@code female}), if the dataset has one. */
    private Column sexFlag(String stem) {
        String sex = switch (stem) {
            case "woman", "lady", "girl" -> "female";
            case "man", "gentleman", "boy" -> "male";
            default -> null;
        };
        if (sex == null) {
            return null;
        }
        return lexicon.columns().stream()
                .filter(c -> c.yesNo() && c.words().equals(List.of(sex)))
                .findFirst()
                .orElse(null);
    }

    /** Close spellings: a column (also of several words), a one-word cue or a one-word value, if only one fits. */
    private Item close(List<Token> tokens, int i) {
        for (int length = Math.min(3, tokens.size() - i); length >= 2; length--) {
            List<Token> span = tokens.subList(i, i + length);
            if (spannable(span)
                    && !Vocabulary.STRUCTURAL.contains(span.get(0).stem())
                    && !Vocabulary.STRUCTURAL.contains(span.get(span.size() - 1).stem())) {
                List<Column> columns =
                        lexicon.close(span.stream().map(Token::stem).toList());
                if (columns.size() == 1) {
                    return Item.column(
                            columns.get(0),
                            i,
                            i + length,
                            String.join(" ", span.stream().map(Token::raw).toList()));
                }
            }
        }
        Token t = tokens.get(i);
        List<Column> columns = lexicon.close(List.of(t.stem()));
        List<Cue> cues = Vocabulary.closeCues(t.stem());
        List<Lexicon.Value> values = lexicon.closeValues(t.stem());
        Set<String> meanings = new LinkedHashSet<>();
        columns.forEach(c -> meanings.add("column " + c.name()));
        cues.forEach(c -> meanings.add("cue " + c));
        Lexicon.columnsOf(values).forEach(c -> meanings.add("value of " + c.name()));
        if (meanings.size() == 1) {
            if (!columns.isEmpty()) {
                return Item.column(columns.get(0), i, i + 1, t.raw());
            }
            if (!cues.isEmpty()) {
                return Item.cue(cues.get(0), i, i + 1, t.raw());
            }
            return value(values, i, i + 1, t.raw());
        }
        if (columns.size() > 1 && cues.isEmpty() && values.isEmpty()) {
            return Item.ambiguous(columns, i, i + 1, t.raw());
        }
        return Item.of(Item.Kind.UNKNOWN, i, i + 1, t.raw());
    }

    private static Item value(List<Lexicon.Value> values, int start, int end, String raw) {
        List<Column> columns = Lexicon.columnsOf(values);
        if (columns.size() == 1) {
            return Item.value(columns.get(0), values.get(0).value(), start, end, raw);
        }
        return new Item(
                Item.Kind.VALUE, start, end, raw, null, null, values.get(0).value(), Double.NaN, columns);
    }

    private static Cue cue(List<String> stems) {
        for (Vocabulary.Phrase p : Vocabulary.phrasesStartingWith(stems.get(0))) {
            if (p.words().equals(stems)) {
                return p.cue();
            }
        }
        return null;
    }

    /** A phrase is words (numbers allowed after the first word, for names such as "Mar 2019"). */
    private static boolean spannable(List<Token> span) {
        if (span.get(0).kind() != Token.Kind.WORD) {
            return false;
        }
        for (Token t : span) {
            if (t.kind() != Token.Kind.WORD && t.kind() != Token.Kind.NUMBER) {
                return false;
            }
        }
        return true;
    }
}
