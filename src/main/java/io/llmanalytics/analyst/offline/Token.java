package io.llmanalytics.analyst.offline;

/**
 * One token of a question.
 *
 * @param kind what it is
 * @param raw the text as written
 * @param word the folded text (lower case, no accents); for quoted text, the folded content
 * @param stem the singular of {@code word}
 * @param number the value of a number (scale words and thousands separators applied); NaN otherwise
 */
record Token(Kind kind, String raw, String word, String stem, double number) {

    enum Kind {
        WORD,
        NUMBER,
        /** A date written as {@code 2024-03} or {@code 2024-03-15}. */
        DATE,
        /** Text in quotes: a value to look for, taken literally. */
        QUOTED,
        /** One of {@code > >= < <= = != %}. */
        SYMBOL
    }

    static Token word(String raw) {
        String word = Words.fold(raw);
        return new Token(Kind.WORD, raw, word, Words.singular(word), Double.NaN);
    }

    boolean is(String folded) {
        return word.equals(folded);
    }

    boolean isNumber() {
        return kind == Kind.NUMBER;
    }

    /** Whether the number is a whole number that can be a year (1800..2100, written without decimals). */
    boolean isYear() {
        return kind == Kind.NUMBER && raw.matches("\\d{4}") && number >= 1800 && number <= 2100;
    }
}
