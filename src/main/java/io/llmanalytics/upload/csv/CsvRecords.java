package io.llmanalytics.upload.csv;

import com.opencsv.CSVParserBuilder;
import com.opencsv.ICSVParser;
import com.opencsv.RFC4180ParserBuilder;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.upload.ByteSource;
import io.llmanalytics.upload.TableLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.commons.io.input.ReaderInputStream;

/**
 * The records of a delimited text file, parsed into fields: blank lines and comment lines skipped, title rows above
 * the header skipped, NUL characters removed. Records are split by {@link RecordSplitter} and parsed by OpenCSV's
 * RFC 4180 parser, or by its escape-aware parser when the dialect has backslash escapes or spaces before quotes.
 */
public final class CsvRecords implements AutoCloseable {

    /** The file's text as UTF-8, what the splitter reads. */
    private final InputStream input;

    private final RecordSplitter splitter;
    private final ICSVParser parser;
    /** RFC 4180 records without a quote are split on the delimiter directly: OpenCSV would do the same, slower. */
    private final boolean plainSplit;

    private int width = 8;
    private final Dialect dialect;
    private final TableLimits limits;
    private boolean reshaped;

    /** Records skipped before the header, after it, and whether some record spans physical lines. */
    private int skippedBeforeHeader;

    private boolean skippedAfterHeader;
    private boolean spansLines;

    /**
     * Whether the file's physical lines were its records one for one so far: the header on the first line, no record
     * spanning lines (a quoted field holding a line break), no line skipped but blank ones after the header (then
     * {@link #blankLines()}).
     */
    public boolean linesAreRecords() {
        return skippedBeforeHeader == 0 && !spansLines && !dialect.comments();
    }

    /** Whether a blank line after the header was skipped. */
    public boolean blankLines() {
        return skippedAfterHeader;
    }

    /** Whether NUL characters had to be removed from some cell. */
    public boolean reshaped() {
        return reshaped;
    }

    public CsvRecords(Path file, Dialect dialect, TableLimits limits) throws IOException {
        this(ByteSource.of(file), dialect, limits);
    }

    public CsvRecords(ByteSource source, Dialect dialect, TableLimits limits) throws IOException {
        InputStream in = source.open();
        in.skipNBytes(dialect.bomBytes());
        this.input = dialect.charset().equals(StandardCharsets.UTF_8) ? in : transcoded(in, dialect);
        this.dialect = dialect;
        this.limits = limits;
        this.splitter = new RecordSplitter(input, dialect, limits.maxCellChars() * 4);
        this.plainSplit = dialect.escape() == Dialect.NO_ESCAPE && !dialect.skipInitialSpace();
        this.parser = plainSplit
                ? new RFC4180ParserBuilder()
                        .withSeparator(dialect.delimiter())
                        .withQuoteChar('"')
                        .build()
                : new CSVParserBuilder()
                        .withSeparator(dialect.delimiter())
                        .withQuoteChar('"')
                        .withEscapeChar(
                                dialect.escape() == Dialect.NO_ESCAPE ? ICSVParser.NULL_CHARACTER : dialect.escape())
                        .withIgnoreLeadingWhiteSpace(dialect.skipInitialSpace())
                        .build();
    }

    /**
     * Text in another encoding, decoded as before (a byte it cannot decode becomes U+FFFD) and given to the splitter
     * as UTF-8.
     */
    private static InputStream transcoded(InputStream in, Dialect dialect) throws IOException {
        CharsetDecoder decoder = dialect.charset()
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        return ReaderInputStream.builder()
                .setReader(new InputStreamReader(in, decoder))
                .setCharset(StandardCharsets.UTF_8)
                .setBufferSize(1 << 16)
                .get();
    }

    public long line() {
        return splitter.recordLine();
    }

    public String[] header() throws IOException {
        int titles = dialect.headerRecord();
        String[] record;
        while ((record = raw()) != null) {
            if (skippable(record) || titles-- > 0) {
                skippedBeforeHeader++;
                continue;
            }
            limits.checkColumns(record.length);
            return record;
        }
        throw new ProblemException(ProblemType.EMPTY_FILE, "The file holds no rows: it is empty or blank.");
    }

    public String[] next() throws IOException {
        String[] record;
        while ((record = raw()) != null) {
            if (!skippable(record)) {
                limits.checkCells(record, line());
                return record;
            }
            skippedAfterHeader = true;
        }
        return null;
    }

    private String[] raw() throws IOException {
        boolean more;
        try {
            more = splitter.advance();
        } catch (RecordSplitter.UnclosedQuoteException e) {
            throw new ProblemException(
                    ProblemType.UNREADABLE_FILE,
                    "A quote opened in the record at line " + e.line
                            + " is never closed, so the rest of the file would be one value. Close the quote (or double"
                            + " quotes inside quoted values: \"\") and upload again.");
        } catch (RecordSplitter.RecordTooLongException e) {
            throw new ProblemException(
                    ProblemType.UNREADABLE_FILE,
                    "The record starting at line " + e.line + " is longer than " + limits.maxCellChars() * 4
                            + " characters; is this really delimited text?");
        }
        if (!more) {
            return null;
        }
        if (plainSplit && splitter.quoteFree() && !splitter.nulSeen() && splitter.ascii()) {
            String[] fields = splitter.fields();
            if (fields.length > 1 || !fields[0].isEmpty()) {
                return fields;
            }
        }
        String text = splitter.text();
        spansLines |= !splitter.quoteFree() && (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0);
        String[] fields;
        try {
            fields = plainSplit && !text.isEmpty() && text.indexOf('"') < 0 ? split(text) : parser.parseLine(text);
        } catch (IOException e) {
            throw new ProblemException(
                    ProblemType.UNREADABLE_FILE,
                    "The record starting at line " + line() + " cannot be parsed (" + e.getMessage()
                            + "); is a quote left open?");
        }
        for (int i = 0; i < fields.length; i++) {
            if (dialect.skipInitialSpace() && !fields[i].isEmpty() && fields[i].charAt(0) == ' ') {
                fields[i] = fields[i].stripLeading();
            }
            if (fields[i].indexOf('\0') >= 0) {
                fields[i] = fields[i].replace("\0", "");
                reshaped = true;
            }
        }
        return fields;
    }

    /** The fields of a record holding no quote: every delimiter separates two fields, empty ones included. */
    private String[] split(String text) {
        char delimiter = dialect.delimiter();
        String[] fields = new String[width];
        int n = 0;
        int start = 0;
        for (int at = text.indexOf(delimiter); at >= 0; at = text.indexOf(delimiter, start)) {
            if (n == fields.length) {
                fields = Arrays.copyOf(fields, n * 2);
            }
            fields[n++] = text.substring(start, at);
            start = at + 1;
        }
        if (n == fields.length) {
            fields = Arrays.copyOf(fields, n + 1);
        }
        fields[n++] = text.substring(start);
        width = Math.max(width, n);
        return n == fields.length ? fields : Arrays.copyOf(fields, n);
    }

    private boolean skippable(String[] record) {
        if (record.length == 1 && record[0].isBlank()) {
            return true;
        }
        return dialect.comments() && record[0].startsWith("#");
    }

    @Override
    public void close() throws IOException {
        input.close();
    }
}
