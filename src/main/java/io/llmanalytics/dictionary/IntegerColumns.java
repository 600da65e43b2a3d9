package io.llmanalytics.dictionary;

import com.opencsv.ICSVParser;
import com.opencsv.RFC4180ParserBuilder;
import io.llmanalytics.schema.ColumnSchema;
import io.llmanalytics.schema.DatasetSchema;
import io.llmanalytics.schema.PandasType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One pass over a canonical CSV (UTF-8, RFC 4180) that shows what the dictionary drafts need of its integer columns:
 * at most {@code maxCodes + 1} distinct values each, and whether the values only ever increase. It reads bytes and
 * builds no string per cell: a line without a quote character is split on commas where it lies and only the integer
 * columns' fields are looked at; a line with a quote (and the lines a quoted field spans) goes through OpenCSV's RFC 4180
 * parser, as does any field that is not plain ASCII digits. So the result is the one a {@code CSVReader} with that
 * parser gives, line for line (lines end at {@code \n}, {@code \r} or {@code \r\n}, as {@code readLine} has it; the first
 * line is the header; a file that is not UTF-8 or ends inside a quoted field yields nothing).
 */
final class IntegerColumns {

    private static final int BUFFER = 1 << 20;
    private static final byte QUOTE = '"';
    private static final byte COMMA = ',';

    /** What one pass shows of an integer column. */
    static final class IntColumn {
        final TreeSet<Long> values = new TreeSet<>();
        boolean increasing = true;
        long last = Long.MIN_VALUE;
        boolean first = true;

        void add(String field, int maxCodes) {
            long v;
            try {
                v = Long.parseLong(field.strip());
            } catch (NumberFormatException notInt) {
                increasing = false;
                return;
            }
            add(v, maxCodes);
        }

        void add(long v, int maxCodes) {
            if (!first && v <= last) {
                increasing = false;
            }
            first = false;
            last = v;
            if (values.size() <= maxCodes) {
                values.add(v);
            }
        }
    }

    /** Thrown when the file cannot be scanned as {@code CSVReader} would read it (not UTF-8, an unterminated quote). */
    static final class Unscannable extends IOException {
        Unscannable(String message) {
            super(message);
        }
    }

    private final int maxCodes;
    /** The integer columns by index ({@code null} for the others), as long as the widest of them. */
    private final IntColumn[] byIndex;

    private final ICSVParser parser = new RFC4180ParserBuilder().build();
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private boolean header = true;
    /** The fields of a record read so far while a quoted field spans lines (as {@code CSVReader} combines them). */
    private final List<String> pendingRow = new ArrayList<>();

    private IntegerColumns(IntColumn[] byIndex, int maxCodes) {
        this.byIndex = byIndex;
        this.maxCodes = maxCodes;
    }

    /** The integer columns of {@code schema} by name as read in {@code canonical}; empty when it has none. */
    static Map<String, IntColumn> scan(DatasetSchema schema, Path canonical, int maxCodes) throws IOException {
        List<ColumnSchema> columns = schema.columns();
        boolean[] wanted = new boolean[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            wanted[i] = columns.get(i).type() == PandasType.INT64;
        }
        IntColumn[] byIndex = scan(wanted, canonical, maxCodes);
        Map<String, IntColumn> byName = new LinkedHashMap<>();
        for (int i = 0; i < byIndex.length; i++) {
            if (byIndex[i] != null) {
                byName.put(columns.get(i).name(), byIndex[i]);
            }
        }
        return byName;
    }

    /**
     * The columns {@code wanted} by index (the others null, the array as long as the last wanted column) as read in
     * {@code file}. A column's result depends on its own fields only, so it is the same whichever other columns are
     * scanned with it.
     */
    static IntColumn[] scan(boolean[] wanted, Path file, int maxCodes) throws IOException {
        int width = 0;
        for (int i = 0; i < wanted.length; i++) {
            if (wanted[i]) {
                width = i + 1;
            }
        }
        IntColumn[] byIndex = new IntColumn[width];
        if (width == 0) {
            return byIndex;
        }
        for (int i = 0; i < width; i++) {
            if (wanted[i]) {
                byIndex[i] = new IntColumn();
            }
        }
        new IntegerColumns(byIndex, maxCodes).read(file);
        return byIndex;
    }

    private void read(Path file) throws IOException {
        byte[] buf = new byte[BUFFER];
        byte[] carry = new byte[0];
        int carried = 0;
        boolean afterCr = false;
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (b == '\n' || b == '\r') {
                        if (b == '\n' && afterCr && i == start && carried == 0) {
                            // the \n of a \r\n: the line ended at the \r
                            afterCr = false;
                            start = i + 1;
                            continue;
                        }
                        if (carried > 0) {
                            carry = append(carry, carried, buf, start, i - start);
                            carried += i - start;
                            line(carry, 0, carried);
                            carried = 0;
                        } else {
                            line(buf, start, i - start);
                        }
                        afterCr = b == '\r';
                        start = i + 1;
                    } else {
                        afterCr = false;
                    }
                }
                if (start < n) {
                    carry = append(carry, carried, buf, start, n - start);
                    carried += n - start;
                }
            }
        }
        if (carried > 0) {
            line(carry, 0, carried);
        }
        if (parser.isPending()) {
            throw new Unscannable("the file ends inside a quoted field");
        }
    }

    private static byte[] append(byte[] carry, int carried, byte[] buf, int from, int length) {
        byte[] grown = carry.length >= carried + length
                ? carry
                : Arrays.copyOf(carry, Math.max(carried + length, 2 * carry.length));
        System.arraycopy(buf, from, grown, carried, length);
        return grown;
    }

    /** One physical line (without its terminator). */
    private void line(byte[] b, int from, int length) throws IOException {
        boolean ascii = true;
        boolean quoted = false;
        for (int i = from; i < from + length; i++) {
            if (b[i] < 0) {
                ascii = false;
            } else if (b[i] == QUOTE) {
                quoted = true;
            }
        }
        if (!ascii) {
            checkUtf8(b, from, length);
        }
        if (header) {
            header = false;
            return;
        }
        if (quoted || parser.isPending()) {
            String[] fields = parser.parseLineMulti(new String(b, from, length, StandardCharsets.UTF_8));
            if (fields != null) {
                pendingRow.addAll(Arrays.asList(fields));
            }
            if (!parser.isPending()) {
                row(pendingRow.toArray(String[]::new));
                pendingRow.clear();
            }
            return;
        }
        int field = 0;
        int start = from;
        int end = from + length;
        for (int i = from; i <= end && field < byIndex.length; i++) {
            if (i == end || b[i] == COMMA) {
                IntColumn c = byIndex[field];
                if (c != null) {
                    add(c, b, start, i - start);
                }
                field++;
                start = i + 1;
            }
        }
    }

    private void row(String[] row) {
        for (int i = 0; i < byIndex.length && i < row.length; i++) {
            if (byIndex[i] != null) {
                byIndex[i].add(row[i], maxCodes);
            }
        }
    }

    /** One field's bytes: plain ASCII digits (with a sign) parsed here, anything else as {@code Long.parseLong} does. */
    private void add(IntColumn c, byte[] b, int from, int length) {
        int i = from;
        int end = from + length;
        boolean negative = false;
        if (i < end && (b[i] == '-' || b[i] == '+')) {
            negative = b[i] == '-';
            i++;
        }
        int digits = end - i;
        if (digits > 0 && digits <= 18) {
            long v = 0;
            boolean plain = true;
            for (; i < end; i++) {
                int d = b[i] - '0';
                if (d < 0 || d > 9) {
                    plain = false;
                    break;
                }
                v = v * 10 + d;
            }
            if (plain) {
                c.add(negative ? -v : v, maxCodes);
                return;
            }
        }
        c.add(new String(b, from, length, StandardCharsets.UTF_8), maxCodes);
    }

    private void checkUtf8(byte[] b, int from, int length) throws Unscannable {
        try {
            utf8.reset().decode(ByteBuffer.wrap(b, from, length));
        } catch (CharacterCodingException e) {
            throw new Unscannable("the file is not UTF-8");
        }
    }
}
