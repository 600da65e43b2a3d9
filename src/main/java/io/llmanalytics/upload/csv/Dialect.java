package io.llmanalytics.upload.csv;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * How a delimited text file is written.
 *
 * @param charset its encoding
 * @param bomBytes length of its byte-order mark (skipped)
 * @param delimiter field separator
 * @param escape escape character inside quoted fields, or 0 when quotes are only doubled
 * @param skipInitialSpace whether spaces after a delimiter are ignored (needed when quotes follow them)
 * @param headerRecord non-blank records above the header (title rows) to skip
 * @param comments whether records starting with {@code #} are comments
 * @param decimalComma whether numbers are written with a decimal comma ({@code 12,5}), as is usual with {@code ;}
 */
public record Dialect(
        Charset charset,
        int bomBytes,
        char delimiter,
        char escape,
        boolean skipInitialSpace,
        int headerRecord,
        boolean comments,
        boolean decimalComma) {

    public static final char NO_ESCAPE = 0;

    /** The dialect of canonical files. */
    public static final Dialect CANONICAL =
            new Dialect(StandardCharsets.UTF_8, 0, ',', NO_ESCAPE, false, 0, false, false);

    /** Whether pandas reads the file itself exactly as it reads our canonical CSV (so no rewrite is needed). */
    public boolean canonical() {
        return charset.equals(StandardCharsets.UTF_8)
                && delimiter == ','
                && escape == NO_ESCAPE
                && !skipInitialSpace
                && headerRecord == 0
                && !comments
                && !decimalComma;
    }

    public Dialect withCharset(Charset other) {
        return new Dialect(other, 0, delimiter, escape, skipInitialSpace, headerRecord, comments, decimalComma);
    }

    public String describe() {
        String sep = switch (delimiter) {
            case '\t' -> "tab";
            case ',' -> "comma";
            case ';' -> "semicolon";
            case '|' -> "pipe";
            default -> String.valueOf(delimiter);
        };
        return charset.name() + ", " + sep + "-separated";
    }
}
