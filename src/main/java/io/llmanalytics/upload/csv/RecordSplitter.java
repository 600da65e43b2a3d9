package io.llmanalytics.upload.csv;

import java.io.IOException;
import java.io.Reader;
import java.util.Arrays;

/**
 * Splits delimited text into records the way pandas' tokenizer does: a record ends at {@code \n}, {@code \r\n} or a
 * lone {@code \r} outside quotes; line breaks inside quoted fields stay in the record verbatim. Each record is then
 * parsed into fields by an OpenCSV parser. Tracks physical line numbers for error messages.
 */
final class RecordSplitter {

    private final Reader in;
    private final char delimiter;
    private final char escape;
    private final boolean skipInitialSpace;
    private final char[] buffer = new char[1 << 16];
    /** Positions in the record of the delimiters seen outside quotes (all of them when the record has no quote). */
    private int[] delimiters = new int[16];

    /** The largest of the characters the unquoted scan stops at or notes: one compare skips ordinary text. */
    private final char special;

    private int delimiterCount;
    private boolean quoteSeen;
    private boolean nulSeen;
    private final StringBuilder record = new StringBuilder(256);
    private final int maxRecordChars;
    private int pos;
    private int limit;
    private long line = 1;
    private long recordLine;

    RecordSplitter(Reader in, Dialect dialect, int maxRecordChars) {
        this.in = in;
        this.delimiter = dialect.delimiter();
        this.special = (char) Math.max(dialect.delimiter(), '"');
        this.escape = dialect.escape();
        this.skipInitialSpace = dialect.skipInitialSpace();
        this.maxRecordChars = maxRecordChars;
    }

    /** The current record's text (after {@link #advance()}). */
    String text() {
        return record.toString();
    }

    /** Whether the current record holds no quote character. */
    boolean quoteFree() {
        return !quoteSeen;
    }

    /** Whether the current record holds a NUL character outside quotes. */
    boolean nulSeen() {
        return nulSeen;
    }

    /** The fields of a quote-free record: every delimiter separates two fields, empty ones included. */
    String[] fields() {
        String[] fields = new String[delimiterCount + 1];
        int start = 0;
        for (int i = 0; i < delimiterCount; i++) {
            int at = delimiters[i];
            fields[i] = record.substring(start, at);
            start = at + 1;
        }
        fields[delimiterCount] = record.substring(start);
        return fields;
    }

    /** The physical line on which the last record returned started. */
    long recordLine() {
        return recordLine;
    }

    /** The next record's text without its terminator, or null at the end. */
    String next() throws IOException {
        return advance() ? record.toString() : null;
    }

    /**
     * Moves to the next record; false at the end. Its text is {@link #text()}; when it holds no quote
     * ({@link #quoteFree()}), {@link #fields()} splits it at every delimiter without building the record's text.
     */
    boolean advance() throws IOException {
        record.setLength(0);
        recordLine = line;
        delimiterCount = 0;
        quoteSeen = false;
        nulSeen = false;
        boolean quoted = false;
        int closedAt = -1;
        boolean any = false;
        while (true) {
            if (pos == limit && !fill()) {
                if (quoted) {
                    throw new UnclosedQuoteException(recordLine);
                }
                return any;
            }
            any = true;
            int start = pos;
            if (!quoted) {
                int base = record.length() - start;
                while (pos < limit) {
                    char c = buffer[pos];
                    if (c <= special) {
                        if (c == '\n' || c == '\r' || c == '"') {
                            break;
                        }
                        if (c == delimiter) {
                            if (delimiterCount == delimiters.length) {
                                delimiters = Arrays.copyOf(delimiters, delimiterCount * 2);
                            }
                            delimiters[delimiterCount++] = base + pos;
                        } else if (c == '\0') {
                            nulSeen = true;
                        }
                    }
                    pos++;
                }
                record.append(buffer, start, pos - start);
                if (pos == limit) {
                    checkLength();
                    continue;
                }
                char c = buffer[pos++];
                if (c == '"') {
                    quoteSeen = true;
                    quoted = opensQuote(closedAt);
                    record.append(c);
                    continue;
                }
                line++;
                if (c == '\r') {
                    if (pos == limit) {
                        fill();
                    }
                    if (pos < limit && buffer[pos] == '\n') {
                        pos++;
                    }
                }
                return true;
            }
            while (pos < limit) {
                char c = buffer[pos];
                if (c == '"' || c == '\n' || c == '\r' || (c == escape && escape != Dialect.NO_ESCAPE)) {
                    break;
                }
                pos++;
            }
            record.append(buffer, start, pos - start);
            checkLength();
            if (pos == limit) {
                continue;
            }
            char c = buffer[pos++];
            record.append(c);
            if (c == '"') {
                quoted = false;
                closedAt = record.length();
            } else if (c == '\n' || (c == '\r' && !peekNewline())) {
                line++;
            } else if (c == escape) {
                if (pos == limit && !fill()) {
                    throw new UnclosedQuoteException(recordLine);
                }
                record.append(buffer[pos++]);
            }
        }
    }

    /**
     * Whether a quote at the current end of the record opens a quoted field: at the start of a field (after spaces,
     * when they are skipped), or right after a closing quote (the second quote of a doubled {@code ""}).
     */
    private boolean opensQuote(int closedAt) {
        int n = record.length();
        if (n == closedAt) {
            return true;
        }
        int i = n - 1;
        if (skipInitialSpace) {
            while (i >= 0 && record.charAt(i) == ' ') {
                i--;
            }
        }
        return i < 0 || record.charAt(i) == delimiter;
    }

    private void checkLength() {
        if (record.length() > maxRecordChars) {
            throw new RecordTooLongException(recordLine, maxRecordChars);
        }
    }

    private boolean peekNewline() throws IOException {
        if (pos == limit) {
            fill();
        }
        return pos < limit && buffer[pos] == '\n';
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            pos = 0;
            limit = 0;
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }

    /** The file ends inside a quoted field. */
    static final class UnclosedQuoteException extends RuntimeException {
        final long line;

        UnclosedQuoteException(long line) {
            super("quote opened in the record at line " + line + " is never closed", null, false, false);
            this.line = line;
        }
    }

    /** A record longer than the limit (often a file that is not really delimited text). */
    static final class RecordTooLongException extends RuntimeException {
        final long line;

        RecordTooLongException(long line, int max) {
            super("record at line " + line + " longer than " + max + " characters", null, false, false);
            this.line = line;
        }
    }
}
