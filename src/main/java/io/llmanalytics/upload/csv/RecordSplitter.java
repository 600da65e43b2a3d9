package io.llmanalytics.upload.csv;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits delimited text into records the way pandas' tokenizer does: a record ends at {@code \n}, {@code \r\n} or a
 * lone {@code \r} outside quotes; line breaks inside quoted fields stay in the record verbatim. Each record is then
 * parsed into fields by an OpenCSV parser. Tracks physical line numbers for error messages.
 *
 * <p>It reads UTF-8 bytes, not characters: the characters it looks for (line breaks, quotes, the delimiter and the
 * escape) are ASCII, and in UTF-8 no byte of a multi-byte character is ASCII, so the records are the same. A record
 * holding only ASCII (most records of most files) is never decoded: its fields are made from its bytes directly
 * (issue 20: decoding, and copying characters into a record buffer, were a third of the split's time). A record with
 * other bytes is decoded strictly when its text is asked for, so malformed UTF-8 is reported as it was by a strict
 * reader ({@link CharacterCodingException}), wherever it is in the file.
 */
final class RecordSplitter {

    private final InputStream in;
    private final byte delimiter;
    /** The escape byte, or a value no byte has when quotes are only doubled. */
    private final int escape;

    private final boolean skipInitialSpace;
    /** The largest of the ASCII bytes the unquoted scan stops at or notes; bytes of other characters are negative. */
    private final byte special;

    private final CharsetDecoder decoder = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] buffer = new byte[1 << 16];
    /** Positions in the record of the delimiters seen outside quotes (all of them when the record has no quote). */
    private int[] delimiters = new int[16];
    /**
     * The first {@value #REPEATED_COLUMNS} columns' recent values ({@link RepeatedTexts}, 28 KiB or so each), so that a
     * table of thousands of columns does not take megabytes for them; later columns' fields are built as they come.
     */
    private final RepeatedTexts[] repeated = new RepeatedTexts[REPEATED_COLUMNS];

    static final int REPEATED_COLUMNS = 256;

    private int delimiterCount;
    private boolean quoteSeen;
    private boolean nulSeen;
    private boolean ascii;
    /** The current record: its first byte in the buffer, and its length (its terminator not included). */
    private int start;

    private int length;
    /**
     * Characters in the record's first {@link #counted} bytes: counted only once the record has more bytes than the
     * limit has characters, and each byte once, so that a long record with many line breaks is not counted again at
     * each of them.
     */
    private long chars;

    private int counted;
    private final int maxRecordChars;
    private int pos;
    private int limit;
    private long line = 1;
    private long recordLine;

    /** {@code in} gives UTF-8 (see {@link CsvRecords} for other encodings). */
    RecordSplitter(InputStream in, Dialect dialect, int maxRecordChars) {
        this.in = in;
        this.delimiter = asciiByte(dialect.delimiter());
        this.special = (byte) Math.max(dialect.delimiter(), '"');
        this.escape = dialect.escape() == Dialect.NO_ESCAPE ? Integer.MIN_VALUE : asciiByte(dialect.escape());
        this.skipInitialSpace = dialect.skipInitialSpace();
        this.maxRecordChars = maxRecordChars;
    }

    private static byte asciiByte(char c) {
        if (c == 0 || c > 0x7f) {
            throw new IllegalArgumentException("not an ASCII delimiter or escape: U+" + Integer.toHexString(c));
        }
        return (byte) c;
    }

    /** The current record's text (after {@link #advance()}); malformed UTF-8 in it is reported. */
    String text() throws CharacterCodingException {
        if (ascii) {
            return new String(buffer, start, length, StandardCharsets.ISO_8859_1);
        }
        return decoder.decode(ByteBuffer.wrap(buffer, start, length)).toString();
    }

    /** Whether the current record holds no quote character. */
    boolean quoteFree() {
        return !quoteSeen;
    }

    /** Whether the current record holds a NUL character outside quotes. */
    boolean nulSeen() {
        return nulSeen;
    }

    /** Whether the current record holds only ASCII characters (then {@link #fields()} may split it). */
    boolean ascii() {
        return ascii;
    }

    /** The fields of a quote-free ASCII record: every delimiter separates two fields, empty ones included. */
    String[] fields() {
        String[] fields = new String[delimiterCount + 1];
        int from = start;
        for (int i = 0; i < delimiterCount; i++) {
            int at = start + delimiters[i];
            fields[i] = field(i, from, at - from);
            from = at + 1;
        }
        fields[delimiterCount] = field(delimiterCount, from, start + length - from);
        return fields;
    }

    /** Column {@code column}'s field of {@code length} bytes at {@code from}: a repeated value's text is shared. */
    private String field(int column, int from, int length) {
        if (column >= REPEATED_COLUMNS) {
            return new String(buffer, from, length, StandardCharsets.ISO_8859_1);
        }
        RepeatedTexts texts = repeated[column];
        if (texts == null) {
            texts = new RepeatedTexts();
            repeated[column] = texts;
        }
        return texts.text(buffer, from, length);
    }

    /** The physical line on which the last record returned started. */
    long recordLine() {
        return recordLine;
    }

    /** The next record's text without its terminator, or null at the end. */
    String next() throws IOException {
        return advance() ? text() : null;
    }

    /**
     * Moves to the next record; false at the end. Its text is {@link #text()}; when it holds no quote and only ASCII,
     * {@link #fields()} splits it at every delimiter without building the record's text.
     */
    boolean advance() throws IOException {
        start = pos;
        chars = 0;
        counted = 0;
        recordLine = line;
        delimiterCount = 0;
        quoteSeen = false;
        nulSeen = false;
        ascii = true;
        boolean quoted = false;
        int closedAt = -1;
        boolean any = false;
        while (true) {
            if (pos == limit && !fill()) {
                if (quoted) {
                    throw new UnclosedQuoteException(recordLine);
                }
                length = pos - start;
                return any;
            }
            any = true;
            if (!quoted) {
                while (pos < limit) {
                    byte c = buffer[pos];
                    if (c <= special) {
                        if (c == '\n' || c == '\r' || c == '"') {
                            break;
                        }
                        if (c == delimiter) {
                            if (delimiterCount == delimiters.length) {
                                delimiters = Arrays.copyOf(delimiters, delimiterCount * 2);
                            }
                            delimiters[delimiterCount++] = pos - start;
                        } else if (c == 0) {
                            nulSeen = true;
                        } else if (c < 0) {
                            ascii = false;
                        }
                    }
                    pos++;
                }
                if (pos == limit) {
                    checkLength();
                    continue;
                }
                byte c = buffer[pos++];
                if (c == '"') {
                    quoteSeen = true;
                    quoted = opensQuote(pos - 1 - start, closedAt);
                    continue;
                }
                length = pos - 1 - start;
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
                byte c = buffer[pos];
                if (c == '"' || c == '\n' || c == '\r' || c == escape) {
                    break;
                }
                if (c < 0) {
                    ascii = false;
                }
                pos++;
            }
            checkLength();
            if (pos == limit) {
                continue;
            }
            byte c = buffer[pos++];
            if (c == '"') {
                quoted = false;
                closedAt = pos - start;
            } else if (c == '\n' || (c == '\r' && !peekNewline())) {
                line++;
            } else if (c == escape) {
                if (pos == limit && !fill()) {
                    throw new UnclosedQuoteException(recordLine);
                }
                ascii &= buffer[pos] >= 0;
                pos++;
            }
        }
    }

    /**
     * Whether a quote at {@code at} in the record opens a quoted field: at the start of a field (after spaces, when
     * they are skipped), or right after a closing quote (the second quote of a doubled {@code ""}).
     */
    private boolean opensQuote(int at, int closedAt) {
        if (at == closedAt) {
            return true;
        }
        int i = at - 1;
        if (skipInitialSpace) {
            while (i >= 0 && buffer[start + i] == ' ') {
                i--;
            }
        }
        return i < 0 || buffer[start + i] == delimiter;
    }

    /** Refuses a record of more than the limit's characters (counted in UTF-8: each byte but continuation bytes). */
    private void checkLength() {
        int bytes = pos - start;
        if (bytes <= maxRecordChars) {
            return;
        }
        for (int i = start + counted; i < pos; i++) {
            int b = buffer[i] & 0xff;
            if ((b & 0xc0) != 0x80) {
                chars += b >= 0xf0 ? 2 : 1; // a character beyond the BMP is two chars, as a reader gives it
            }
        }
        counted = bytes;
        if (chars > maxRecordChars) {
            throw new RecordTooLongException(recordLine, maxRecordChars);
        }
    }

    private boolean peekNewline() throws IOException {
        if (pos == limit) {
            fill();
        }
        return pos < limit && buffer[pos] == '\n';
    }

    /**
     * Reads more bytes behind the current record, which is moved to the buffer's start first (the buffer grows when
     * the record fills it: records are bounded by {@link #checkLength()}).
     */
    private boolean fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, limit - start);
            pos -= start;
            limit -= start;
            start = 0;
        }
        if (limit == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        int n = in.read(buffer, limit, buffer.length - limit);
        if (n <= 0) {
            return false;
        }
        limit += n;
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
