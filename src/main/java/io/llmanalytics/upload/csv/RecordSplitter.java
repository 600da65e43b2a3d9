package io.llmanalytics.upload.csv;

import java.io.IOException;
import java.io.Reader;

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
    private final StringBuilder record = new StringBuilder(256);
    private final int maxRecordChars;
    private int pos;
    private int limit;
    private long line = 1;
    private long recordLine;

    RecordSplitter(Reader in, Dialect dialect, int maxRecordChars) {
        this.in = in;
        this.delimiter = dialect.delimiter();
        this.escape = dialect.escape();
        this.skipInitialSpace = dialect.skipInitialSpace();
        this.maxRecordChars = maxRecordChars;
    }

    /** The physical line on which the last record returned started. */
    long recordLine() {
        return recordLine;
    }

    /** The next record's text without its terminator, or null at the end. */
    String next() throws IOException {
        record.setLength(0);
        recordLine = line;
        boolean quoted = false;
        boolean justClosed = false;
        boolean fieldStart = true;
        boolean any = false;
        while (true) {
            if (pos == limit && !fill()) {
                if (quoted) {
                    throw new UnclosedQuoteException(recordLine);
                }
                return any ? record.toString() : null;
            }
            char c = buffer[pos++];
            any = true;
            if (quoted) {
                if (c == escape && escape != Dialect.NO_ESCAPE) {
                    record.append(c);
                    if (pos == limit && !fill()) {
                        return record.toString();
                    }
                    c = buffer[pos++];
                } else if (c == '"') {
                    quoted = false;
                    justClosed = true;
                    record.append(c);
                    continue;
                } else if (c == '\n' || (c == '\r' && !peekNewline())) {
                    line++;
                }
                record.append(c);
            } else if (c == '\n') {
                line++;
                return record.toString();
            } else if (c == '\r') {
                line++;
                if (pos == limit) {
                    fill();
                }
                if (pos < limit && buffer[pos] == '\n') {
                    pos++;
                }
                return record.toString();
            } else {
                if (c == '"' && (fieldStart || justClosed)) {
                    // opening quote, or the second quote of a doubled "" inside a quoted field
                    quoted = true;
                    fieldStart = false;
                } else if (c == delimiter) {
                    fieldStart = true;
                } else if (!(skipInitialSpace && fieldStart && c == ' ')) {
                    fieldStart = false;
                }
                record.append(c);
            }
            justClosed = false;
            if (record.length() > maxRecordChars) {
                throw new RecordTooLongException(recordLine, maxRecordChars);
            }
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
