package io.llmanalytics.upload.csv;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Works out a delimited file's dialect from a sample of its text: the delimiter ({@code , ; tab |}) that splits the
 * records most consistently, backslash escapes, spaces before quoted fields, comment lines, and title rows above the
 * header (rows that are blank or hold a single value while the table is wider).
 */
public final class DialectSniffer {

    private static final char[] DELIMITERS = {',', '\t', ';', '|'};
    private static final int MAX_RECORDS = 200;
    private static final int MAX_TITLE_ROWS = 10;
    private static final Pattern DECIMAL_COMMA = Pattern.compile("[-+]?\\d+,\\d+");
    private static final Pattern DECIMAL_DOT = Pattern.compile("[-+]?\\d+\\.\\d+");

    private DialectSniffer() {}

    public static Dialect sniff(String sample, boolean complete, TextEncoding.Detected encoding) {
        boolean comments = firstNonBlankLine(sample).startsWith("#");
        char delimiter = ',';
        double best = -1;
        for (char candidate : DELIMITERS) {
            List<List<String>> records = records(sample, candidate, complete, comments);
            double score = consistency(records);
            if (score > best + 1e-9) {
                best = score;
                delimiter = candidate;
            }
        }
        List<List<String>> records = records(sample, delimiter, complete, comments);
        if (comments
                && !records(sample, delimiter, complete, false).isEmpty()
                && records(sample, delimiter, complete, false).get(0).size() == modalWidth(records)
                && modalWidth(records) > 1) {
            // a first line starting with '#' but shaped like the header is the header (e.g. "#id,name,...")
            comments = false;
            records = records(sample, delimiter, complete, false);
        }
        char escape = usesBackslashEscapes(sample) ? '\\' : Dialect.NO_ESCAPE;
        boolean skipInitialSpace = sample.contains(delimiter + " \"");
        return new Dialect(
                encoding.charset(),
                encoding.bomBytes(),
                delimiter,
                escape,
                skipInitialSpace,
                titleRows(records),
                comments,
                delimiter != ',' && decimalComma(records));
    }

    private static String firstNonBlankLine(String sample) {
        for (String line : sample.split("\r\n|\r|\n", 50)) {
            if (!line.isBlank()) {
                return line;
            }
        }
        return "";
    }

    /** Fraction of records (at least two fields wide) having the most common field count, 0 for one column. */
    static double consistency(List<List<String>> records) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (List<String> r : records) {
            counts.merge(r.size(), 1, Integer::sum);
        }
        int mode = modalWidth(records);
        if (mode < 2 || records.isEmpty()) {
            return 0;
        }
        return counts.get(mode) / (double) records.size();
    }

    static int modalWidth(List<List<String>> records) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (List<String> r : records) {
            counts.merge(r.size(), 1, Integer::sum);
        }
        int mode = 1;
        int freq = 0;
        for (Map.Entry<Integer, Integer> e : counts.entrySet()) {
            if (e.getValue() > freq || (e.getValue() == freq && e.getKey() > mode)) {
                mode = e.getKey();
                freq = e.getValue();
            }
        }
        return mode;
    }

    /** Non-blank records above the header: empty records and single-value title rows of a wider table. */
    static int titleRows(List<List<String>> records) {
        int width = modalWidth(records);
        int skipped = 0;
        for (List<String> record : records) {
            if (skipped >= MAX_TITLE_ROWS) {
                return 0;
            }
            long filled = record.stream().filter(f -> !f.isBlank()).count();
            boolean title = filled == 0 || (width >= 3 && filled == 1);
            if (!title) {
                return skipped;
            }
            skipped++;
        }
        return 0;
    }

    /** Numbers such as {@code 12,5} appear and none such as {@code 12.5}. */
    static boolean decimalComma(List<List<String>> records) {
        boolean comma = false;
        for (List<String> record : records) {
            for (String field : record) {
                String f = field.strip();
                if (DECIMAL_DOT.matcher(f).matches()) {
                    return false;
                }
                comma |= DECIMAL_COMMA.matcher(f).matches();
            }
        }
        return comma;
    }

    /** {@code \"} used as an escaped quote inside a field: not followed by another quote ({@code \""} is a backslash then a doubled quote) nor ending the field. */
    private static boolean usesBackslashEscapes(String sample) {
        int i = sample.indexOf("\\\"");
        while (i >= 0) {
            int next = i + 2;
            if (next < sample.length()
                    && sample.charAt(next) != '"'
                    && sample.charAt(next) != ','
                    && sample.charAt(next) != ';'
                    && sample.charAt(next) != '\t'
                    && sample.charAt(next) != '|'
                    && sample.charAt(next) != '\n'
                    && sample.charAt(next) != '\r') {
                return true;
            }
            i = sample.indexOf("\\\"", next);
        }
        return false;
    }

    /** Splits the sample into records (quotes respected), skipping blank lines and, if asked, comment lines. */
    static List<List<String>> records(String text, char delimiter, boolean complete, boolean comments) {
        List<List<String>> records = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean atFieldStart = true;
        int n = text.length();
        for (int i = 0; i < n && records.size() < MAX_RECORDS; i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < n && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"' && (atFieldStart || field.toString().isBlank())) {
                quoted = true;
                atFieldStart = false;
            } else if (c == delimiter) {
                fields.add(field.toString());
                field.setLength(0);
                atFieldStart = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
                fields.add(field.toString());
                addRecord(records, fields, comments);
                fields = new ArrayList<>();
                field.setLength(0);
                atFieldStart = true;
            } else {
                field.append(c);
                atFieldStart = false;
            }
        }
        if (complete && records.size() < MAX_RECORDS && (field.length() > 0 || !fields.isEmpty())) {
            fields.add(field.toString());
            addRecord(records, fields, comments);
        }
        return records;
    }

    private static void addRecord(List<List<String>> records, List<String> fields, boolean comments) {
        if (fields.size() == 1 && fields.get(0).isBlank()) {
            return;
        }
        if (comments && fields.get(0).startsWith("#")) {
            return;
        }
        records.add(fields);
    }
}
