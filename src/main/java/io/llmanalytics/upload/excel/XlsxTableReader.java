package io.llmanalytics.upload.excel;

import io.llmanalytics.schema.CellKind;
import io.llmanalytics.schema.ProfileOptions;
import io.llmanalytics.upload.ParsedTable;
import io.llmanalytics.upload.TableLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.poi.EncryptedDocumentException;
import org.apache.poi.ooxml.POIXMLException;
import org.apache.poi.openxml4j.exceptions.InvalidFormatException;
import org.apache.poi.openxml4j.exceptions.NotOfficeXmlFileException;
import org.apache.poi.openxml4j.exceptions.OpenXML4JException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.openxml4j.opc.PackagePart;
import org.apache.poi.openxml4j.util.ZipSecureFile;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.model.StylesTable;
import org.apache.poi.xssf.usermodel.XSSFCellStyle;
import org.apache.poi.xssf.usermodel.XSSFRelation;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Reads {@code .xlsx} workbooks sheet by sheet with a SAX parser over each sheet's XML, so a large workbook never
 * needs its sheet model in memory. Cells keep their stored values: numbers as written (integers stay integers),
 * booleans, dates (numbers in a date format), shared and inline strings, cached formula results; error cells are
 * missing values. Blocking: call it on a worker thread.
 */
public final class XlsxTableReader {

    /** Largest uncompressed part (a sheet's XML) accepted; zip bombs beyond POI's 1:100 ratio guard stop earlier. */
    static final long MAX_PART_BYTES = 1L << 30;
    /** Largest shared-strings table: POI keeps it in memory while the sheets are read. */
    static final long MAX_SHARED_STRINGS_BYTES = 64L << 20;

    static {
        ZipSecureFile.setMaxEntrySize(MAX_PART_BYTES);
    }

    private final ProfileOptions options;
    private final TableLimits limits;

    public XlsxTableReader(ProfileOptions options, TableLimits limits) {
        this.options = options;
        this.limits = limits;
    }

    /** One dataset per non-empty sheet, in workbook order; {@code canonicalFor} names each sheet's canonical file. */
    public List<ParsedTable> read(Path file, Function<String, Path> canonicalFor) throws IOException {
        try (OPCPackage pkg = OPCPackage.open(file.toFile(), PackageAccess.READ)) {
            XSSFReader reader = new XSSFReader(pkg);
            checkSharedStrings(pkg);
            ReadOnlySharedStringsTable strings = new ReadOnlySharedStringsTable(pkg, false);
            StylesTable styles = reader.getStylesTable();
            boolean date1904 = uses1904(reader);
            List<ParsedTable> tables = new ArrayList<>();
            XSSFReader.SheetIterator sheets = (XSSFReader.SheetIterator) reader.getSheetsData();
            while (sheets.hasNext()) {
                try (InputStream sheet = sheets.next()) {
                    String name = sheets.getSheetName();
                    SheetRows rows = new SheetRows(name, canonicalFor.apply(name), options, limits);
                    try {
                        parse(sheet, new SheetHandler(rows, strings, styles, date1904));
                        ParsedTable table = rows.finish();
                        if (table != null) {
                            tables.add(table);
                        }
                    } finally {
                        rows.abandon();
                    }
                }
            }
            return tables;
        } catch (EncryptedDocumentException e) {
            throw SheetRows.corrupt("The workbook is password-protected; remove the password and upload again.");
        } catch (NotOfficeXmlFileException | InvalidFormatException e) {
            throw SheetRows.corrupt("The file is not a valid .xlsx workbook: " + e.getMessage());
        } catch (OpenXML4JException | SAXException | ParserConfigurationException e) {
            throw SheetRows.corrupt("The workbook is corrupt and cannot be read: " + e.getMessage());
        } catch (POIXMLException | IllegalArgumentException | IllegalStateException e) {
            throw SheetRows.corrupt("The workbook cannot be read: " + e.getMessage());
        }
    }

    private static void checkSharedStrings(OPCPackage pkg) {
        for (PackagePart part : pkg.getPartsByContentType(XSSFRelation.SHARED_STRINGS.getContentType())) {
            if (part.getSize() > MAX_SHARED_STRINGS_BYTES) {
                throw SheetRows.corrupt("The workbook's shared-strings table is " + part.getSize() / (1 << 20)
                        + " MB; at most " + MAX_SHARED_STRINGS_BYTES / (1 << 20) + " MB is supported. Save the data as"
                        + " CSV and upload that instead.");
            }
        }
    }

    private static boolean uses1904(XSSFReader reader) {
        try (InputStream wb = reader.getWorkbookData()) {
            String xml = new String(wb.readNBytes(64 * 1024), StandardCharsets.UTF_8);
            return xml.contains("date1904=\"1\"") || xml.contains("date1904=\"true\"");
        } catch (IOException | OpenXML4JException e) {
            return false;
        }
    }

    private static void parse(InputStream sheet, DefaultHandler handler)
            throws IOException, SAXException, ParserConfigurationException {
        XMLReader xml = XMLHelper.newXMLReader();
        xml.setContentHandler(handler);
        xml.parse(new InputSource(sheet));
    }

    /** SAX handler for one worksheet's {@code sheetData}. */
    private static final class SheetHandler extends DefaultHandler {

        private final SheetRows rows;
        private final ReadOnlySharedStringsTable strings;
        private final StylesTable styles;
        private final boolean date1904;
        private final List<String> cells = new ArrayList<>();
        private final List<CellKind> kinds = new ArrayList<>();
        private final StringBuilder text = new StringBuilder();
        private long rowNumber;
        private int column;
        private String type;
        private int style;
        private boolean inValue;
        private boolean inInline;

        SheetHandler(SheetRows rows, ReadOnlySharedStringsTable strings, StylesTable styles, boolean date1904) {
            this.rows = rows;
            this.strings = strings;
            this.styles = styles;
            this.date1904 = date1904;
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes attributes) {
            switch (localName) {
                case "row" -> {
                    cells.clear();
                    kinds.clear();
                    String r = attributes.getValue("r");
                    rowNumber = r == null ? rowNumber + 1 : Long.parseLong(r);
                }
                case "c" -> {
                    String ref = attributes.getValue("r");
                    column = ref == null ? cells.size() : columnIndex(ref);
                    type = attributes.getValue("t");
                    String s = attributes.getValue("s");
                    style = s == null ? -1 : Integer.parseInt(s);
                    text.setLength(0);
                }
                case "v" -> {
                    inValue = true;
                    text.setLength(0);
                }
                case "is" -> {
                    inInline = true;
                    text.setLength(0);
                }
                default -> {
                    // other elements carry nothing we read
                }
            }
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            if (inValue || inInline) {
                text.append(ch, start, length);
            }
        }

        @Override
        public void endElement(String uri, String localName, String qName) throws SAXException {
            switch (localName) {
                case "v" -> inValue = false;
                case "is" -> inInline = false;
                case "c" -> cell();
                case "row" -> {
                    try {
                        rows.row(rowNumber, cells.toArray(String[]::new), kinds.toArray(CellKind[]::new));
                    } catch (IOException e) {
                        throw new SAXException(e);
                    }
                }
                default -> {
                    // nothing to do
                }
            }
        }

        private void cell() {
            String raw = text.toString();
            String value;
            CellKind kind;
            if (raw.isEmpty() && !"inlineStr".equals(type)) {
                return;
            }
            if (type == null || type.equals("n")) {
                if (isDate()) {
                    LocalDateTime t = DateUtil.getLocalDateTime(Double.parseDouble(raw), date1904);
                    value = t.toString().length() == 16 ? t + ":00" : t.toString();
                    kind = CellKind.DATE;
                } else {
                    double number = parseNumber(raw);
                    if (Double.isNaN(number)) {
                        value = raw;
                        kind = null;
                    } else {
                        value = ExcelNumbers.text(number);
                        kind = ExcelNumbers.kind(number);
                    }
                }
            } else {
                switch (type) {
                    case "s" -> {
                        value = strings.getItemAt(Integer.parseInt(raw.trim())).getString();
                        kind = null;
                    }
                    case "inlineStr", "str" -> {
                        value = raw;
                        kind = null;
                    }
                    case "b" -> {
                        value = "1".equals(raw.trim()) ? "True" : "False";
                        kind = CellKind.BOOL;
                    }
                    case "e" -> {
                        value = "";
                        kind = CellKind.NULL;
                    }
                    default -> {
                        value = raw;
                        kind = null;
                    }
                }
            }
            if (column < cells.size()) {
                return;
            }
            while (cells.size() < column) {
                cells.add(null);
                kinds.add(CellKind.NULL);
            }
            cells.add(value);
            kinds.add(kind);
        }

        private static double parseNumber(String raw) {
            try {
                return Double.parseDouble(raw.trim());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }

        private boolean isDate() {
            if (style < 0 || style >= styles.getNumCellStyles()) {
                return false;
            }
            XSSFCellStyle cellStyle = styles.getStyleAt(style);
            return DateUtil.isADateFormat(cellStyle.getDataFormat(), cellStyle.getDataFormatString());
        }

        private static int columnIndex(String ref) {
            int col = 0;
            for (int i = 0; i < ref.length(); i++) {
                char c = ref.charAt(i);
                if (c < 'A' || c > 'Z') {
                    break;
                }
                col = col * 26 + (c - 'A' + 1);
            }
            return col - 1;
        }
    }
}
