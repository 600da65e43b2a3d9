package io.llmanalytics.analyst.offline;

import java.util.List;

/**
 * A recognised piece of a question: one token or a phrase of several.
 *
 * @param kind what was recognised
 * @param start index of the first token
 * @param end index after the last token
 * @param text the words as written, joined by spaces
 * @param cue the cue ({@link Kind#CUE}), else null
 * @param column the column ({@link Kind#COLUMN}, {@link Kind#VALUE}), else null
 * @param value the data value as stored ({@link Kind#VALUE}), the quoted text ({@link Kind#QUOTED}) or the date
 *        ({@link Kind#DATE}); else null
 * @param number the number ({@link Kind#NUMBER}, a month's number for a month name), else NaN
 * @param candidates the columns a word could mean ({@link Kind#AMBIGUOUS})
 */
record Item(
        Kind kind,
        int start,
        int end,
        String text,
        Cue cue,
        Column column,
        String value,
        double number,
        List<Column> candidates) {

    enum Kind {
        CUE,
        COLUMN,
        VALUE,
        NUMBER,
        DATE,
        MONTH,
        /** A quarter of a year ("Q3"): {@code number} is 1..4. */
        QUARTER,
        QUOTED,
        /** A word of no consequence ("the", "please", "show"). */
        FILLER,
        /** A word that could name several columns ("weight" with "Whole weight" and "Shell weight"). */
        AMBIGUOUS,
        /** A word that matches nothing. */
        UNKNOWN
    }

    static Item cue(Cue cue, int start, int end, String text) {
        return new Item(Kind.CUE, start, end, text, cue, null, null, Double.NaN, List.of());
    }

    static Item column(Column column, int start, int end, String text) {
        return new Item(Kind.COLUMN, start, end, text, null, column, null, Double.NaN, List.of());
    }

    static Item value(Column column, String value, int start, int end, String text) {
        return new Item(Kind.VALUE, start, end, text, null, column, value, Double.NaN, List.of());
    }

    static Item of(Kind kind, int start, int end, String text) {
        return new Item(kind, start, end, text, null, null, null, Double.NaN, List.of());
    }

    static Item number(double number, int index, String text) {
        return new Item(Kind.NUMBER, index, index + 1, text, null, null, null, number, List.of());
    }

    static Item month(int month, int start, int end, String text) {
        return new Item(Kind.MONTH, start, end, text, null, null, null, month, List.of());
    }

    static Item quoted(String content, int index) {
        return new Item(Kind.QUOTED, index, index + 1, content, null, null, content, Double.NaN, List.of());
    }

    static Item date(String date, int index) {
        return new Item(Kind.DATE, index, index + 1, date, null, null, date, Double.NaN, List.of());
    }

    static Item ambiguous(List<Column> candidates, int start, int end, String text) {
        return new Item(Kind.AMBIGUOUS, start, end, text, null, null, null, Double.NaN, List.copyOf(candidates));
    }

    boolean is(Cue c) {
        return kind == Kind.CUE && cue == c;
    }

    boolean isColumn() {
        return kind == Kind.COLUMN;
    }
}
