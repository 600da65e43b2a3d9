package io.llmanalytics.upload.ods;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.schema.CellKind;
import io.llmanalytics.schema.ProfileOptions;
import io.llmanalytics.upload.ParsedTable;
import io.llmanalytics.upload.TableLimits;
import io.llmanalytics.upload.TypedCells;
import io.llmanalytics.upload.excel.ExcelNumbers;
import io.llmanalytics.upload.excel.SheetRows;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads OpenDocument spreadsheets ({@code .ods}): the zip's {@code content.xml} is streamed through the JDK's StAX
 * parser (no DTDs, no external entities), sheet by sheet, and every non-empty sheet becomes a dataset exactly as an
 * Excel sheet does ({@link SheetRows}: title rows skipped, header row, typed cells). Cells read as pandas' odf engine
 * reads them: floats, percentages and currencies as numbers (whole ones as integers), dates as dates, booleans,
 * times and strings as text; repeated rows and columns expanded only when they hold values. Zip bombs are stopped by
 * a cap on the uncompressed size of {@code content.xml} and on its compression ratio. Blocking: call it on a worker
 * thread.
 */
public final class OdsTableReader {

    static final String MIME = "application/vnd.oasis.opendocument.spreadsheet";
    static final long MAX_CONTENT_BYTES = 1L << 30;
    static final long MAX_RATIO = 100;
    private static final String TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
    private static final String OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
    private static final String TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";

    private final ProfileOptions options;
    private final TableLimits limits;

    public OdsTableReader(ProfileOptions options, TableLimits limits) {
        this.options = options;
        this.limits = limits;
    }

    public List<ParsedTable> read(Path file, Function<String, Path> canonicalFor) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            checkMime(zip);
            checkNotEncrypted(zip);
            ZipEntry content = zip.getEntry("content.xml");
            if (content == null) {
                throw corrupt("The OpenDocument file has no content.xml: it is damaged.");
            }
            try (InputStream in = new Bounded(zip.getInputStream(content), content.getCompressedSize())) {
                return sheets(in, canonicalFor);
            }
        } catch (ZipException e) {
            throw corrupt("The .ods file is not a valid zip archive (it may be truncated): " + e.getMessage());
        } catch (XMLStreamException e) {
            throw corrupt("The spreadsheet's content.xml is not well-formed XML: " + e.getMessage());
        }
    }

    private static void checkMime(ZipFile zip) throws IOException {
        ZipEntry entry = zip.getEntry("mimetype");
        String mime = "";
        if (entry != null) {
            try (InputStream in = zip.getInputStream(entry)) {
                mime = new String(in.readNBytes(200), StandardCharsets.US_ASCII).strip();
            }
        }
        if (!MIME.equals(mime)) {
            throw corrupt("The file is a zip archive but not an OpenDocument spreadsheet (mimetype '"
                    + (mime.length() > 80 ? mime.substring(0, 80) : mime) + "').");
        }
    }

    private static void checkNotEncrypted(ZipFile zip) throws IOException {
        ZipEntry manifest = zip.getEntry("META-INF/manifest.xml");
        if (manifest == null) {
            return;
        }
        try (InputStream in = new Bounded(zip.getInputStream(manifest), manifest.getCompressedSize())) {
            String xml = new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
            if (xml.contains("encryption-data")) {
                throw corrupt("The spreadsheet is password-protected; remove the password and upload again.");
            }
        }
    }

    private List<ParsedTable> sheets(InputStream in, Function<String, Path> canonicalFor)
            throws XMLStreamException, IOException {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, false);
        XMLStreamReader xml = factory.createXMLStreamReader(in);
        List<ParsedTable> tables = new ArrayList<>();
        try {
            while (xml.hasNext()) {
                if (xml.next() == XMLStreamConstants.START_ELEMENT
                        && TABLE.equals(xml.getNamespaceURI())
                        && "table".equals(xml.getLocalName())) {
                    String name = xml.getAttributeValue(TABLE, "name");
                    name = name == null || name.isBlank() ? "Sheet" + (tables.size() + 1) : name;
                    SheetRows rows = new SheetRows(name, canonicalFor.apply(name), options, limits);
                    try {
                        table(xml, rows);
                        ParsedTable table = rows.finish();
                        if (table != null) {
                            tables.add(table);
                        }
                    } finally {
                        rows.abandon();
                    }
                }
            }
        } finally {
            xml.close();
        }
        return tables;
    }

    /** Reads one {@code table:table} element, from its start to its end. */
    private void table(XMLStreamReader xml, SheetRows rows) throws XMLStreamException, IOException {
        long rowNumber = 0;
        int depth = 1;
        RowCells row = null;
        while (depth > 0) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
                String local = xml.getLocalName();
                if (!TABLE.equals(xml.getNamespaceURI())) {
                    continue;
                }
                if (local.equals("table-row")) {
                    row = new RowCells(repeat(xml, "number-rows-repeated"));
                } else if ((local.equals("table-cell") || local.equals("covered-table-cell")) && row != null) {
                    int repeated = repeat(xml, "number-columns-repeated");
                    Cell cell = cell(xml);
                    depth--;
                    row.add(cell, repeated, limits);
                } else if (local.equals("table")) {
                    throw corrupt("The spreadsheet nests a table inside a table, which is not supported.");
                }
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
                if (TABLE.equals(xml.getNamespaceURI()) && xml.getLocalName().equals("table-row") && row != null) {
                    if (row.empty()) {
                        rowNumber += row.repeated;
                    } else {
                        for (int i = 0; i < row.repeated; i++) {
                            rows.row(++rowNumber, row.cells.toArray(String[]::new), row.kinds.toArray(CellKind[]::new));
                        }
                    }
                    row = null;
                }
            } else if (event == XMLStreamConstants.END_DOCUMENT) {
                throw corrupt("The spreadsheet's content.xml ends inside a table: the file is truncated.");
            }
        }
    }

    private static int repeat(XMLStreamReader xml, String attribute) {
        String v = xml.getAttributeValue(TABLE, attribute);
        if (v == null) {
            return 1;
        }
        try {
            int n = Integer.parseInt(v.strip());
            return Math.max(1, n);
        } catch (NumberFormatException e) {
            throw corrupt("The spreadsheet has an invalid table:" + attribute + " value '" + v + "'.");
        }
    }

    /** A cell's value (null when empty) and kind (null = classify the text). */
    private record Cell(String value, CellKind kind) {}

    /** Reads a cell element to its end; the reader is left on the cell's END_ELEMENT. */
    private static Cell cell(XMLStreamReader xml) throws XMLStreamException {
        String type = xml.getAttributeValue(OFFICE, "value-type");
        String value = xml.getAttributeValue(OFFICE, "value");
        String date = xml.getAttributeValue(OFFICE, "date-value");
        String time = xml.getAttributeValue(OFFICE, "time-value");
        String bool = xml.getAttributeValue(OFFICE, "boolean-value");
        String text = text(xml);
        if (type == null) {
            return new Cell(text.isEmpty() ? null : text, null);
        }
        return switch (type) {
            case "float", "percentage", "currency" -> number(value, text);
            case "date" -> {
                String d = date == null ? text : date.replace('T', ' ');
                yield new Cell(d, TypedCells.dateKind(d));
            }
            case "time" -> new Cell(time == null ? text : duration(time), CellKind.TEXT);
            case "boolean" -> new Cell("true".equalsIgnoreCase(bool) ? "True" : "False", CellKind.BOOL);
            default -> new Cell(text.isEmpty() ? null : text, text.isEmpty() ? null : CellKind.TEXT);
        };
    }

    private static Cell number(String value, String text) {
        try {
            double v = Double.parseDouble(value.strip());
            return new Cell(ExcelNumbers.text(v), ExcelNumbers.kind(v));
        } catch (NumberFormatException | NullPointerException e) {
            return new Cell(text.isEmpty() ? null : text, null);
        }
    }

    /** {@code PT10H30M05S} as {@code 10:30:05}, as pandas shows a time. */
    static String duration(String iso) {
        try {
            Duration d = Duration.parse(iso.strip());
            long s = d.getSeconds();
            String base = String.format(Locale.ROOT, "%02d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
            return d.getNano() == 0 ? base : base + String.format(Locale.ROOT, ".%06d", d.getNano() / 1000);
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    /** The text of a cell's paragraphs (joined by new lines), annotations left out; ends on the cell's end tag. */
    private static String text(XMLStreamReader xml) throws XMLStreamException {
        StringBuilder out = new StringBuilder();
        int depth = 1;
        int skip = 0;
        int paragraphs = 0;
        while (depth > 0) {
            int event = xml.next();
            switch (event) {
                case XMLStreamConstants.START_ELEMENT -> {
                    depth++;
                    String local = xml.getLocalName();
                    if (skip > 0 || (OFFICE.equals(xml.getNamespaceURI()) && local.equals("annotation"))) {
                        skip++;
                    } else if (TEXT.equals(xml.getNamespaceURI())) {
                        switch (local) {
                            case "p", "h" -> {
                                if (paragraphs++ > 0) {
                                    out.append('\n');
                                }
                            }
                            case "s" -> {
                                String c = xml.getAttributeValue(TEXT, "c");
                                int n = c == null ? 1 : Math.min(1000, Math.max(1, parse(c)));
                                out.append(" ".repeat(n));
                            }
                            case "tab" -> out.append('\t');
                            case "line-break" -> out.append('\n');
                            default -> {
                                // spans, links: their text is read as characters
                            }
                        }
                    }
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    depth--;
                    if (skip > 0) {
                        skip--;
                    }
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    if (skip == 0 && paragraphs > 0) {
                        out.append(xml.getText());
                    }
                }
                case XMLStreamConstants.END_DOCUMENT -> throw new XMLStreamException("unexpected end inside a cell");
                default -> {
                    // comments, processing instructions
                }
            }
        }
        return out.toString();
    }

    private static int parse(String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** The cells of one row; empty cells are kept only as a count until a value follows them. */
    private static final class RowCells {
        final int repeated;
        final List<String> cells = new ArrayList<>();
        final List<CellKind> kinds = new ArrayList<>();
        long pendingEmpty;

        RowCells(int repeated) {
            this.repeated = repeated;
        }

        void add(Cell cell, int times, TableLimits limits) {
            if (cell.value() == null) {
                pendingEmpty += times;
                return;
            }
            long width = cells.size() + pendingEmpty + times;
            limits.checkColumns((int) Math.min(Integer.MAX_VALUE, width));
            for (long i = 0; i < pendingEmpty; i++) {
                cells.add(null);
                kinds.add(CellKind.NULL);
            }
            pendingEmpty = 0;
            for (int i = 0; i < times; i++) {
                cells.add(cell.value());
                kinds.add(cell.kind());
            }
        }

        boolean empty() {
            return cells.isEmpty();
        }
    }

    /** Caps the bytes inflated from one entry: absolute and relative to its compressed size (zip bombs). */
    private static final class Bounded extends FilterInputStream {
        private final long cap;
        private long read;

        Bounded(InputStream in, long compressed) {
            super(in);
            long ratioCap = compressed > 0 ? compressed * MAX_RATIO + (1L << 20) : MAX_CONTENT_BYTES;
            this.cap = Math.min(MAX_CONTENT_BYTES, ratioCap);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > cap) {
                throw corrupt("The spreadsheet expands to more than " + (cap >> 20) + " MB when unzipped (" + MAX_RATIO
                        + " times its compressed size at most): it looks like a zip bomb.");
            }
        }
    }

    private static ProblemException corrupt(String detail) {
        return new ProblemException(ProblemType.UNREADABLE_FILE, detail);
    }
}
