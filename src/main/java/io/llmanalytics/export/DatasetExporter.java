package io.llmanalytics.export;

import io.llmanalytics.schema.CellClassifier;
import io.llmanalytics.schema.ColumnSchema;
import io.llmanalytics.schema.DatasetSchema;
import io.llmanalytics.schema.DateFormats;
import io.llmanalytics.schema.PandasType;
import io.llmanalytics.session.DatasetDocument;
import io.llmanalytics.upload.CanonicalCsvWriter;
import io.llmanalytics.upload.TableLimits;
import io.llmanalytics.upload.csv.CsvRecords;
import io.llmanalytics.upload.csv.Dialect;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Set;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

/**
 * Writes a dataset, read from its canonical CSV, as CSV or XLSX, streaming (XLSX through POI's SXSSF, so the sheet is
 * never held in memory). Text is neutralised against formula injection. Blocking: call it on a worker thread.
 */
@ApplicationScoped
public class DatasetExporter {

    /** Temporary files hold a dataset: 0600, the service's own user only. */
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private static final TableLimits LIMITS = new TableLimits(Integer.MAX_VALUE, Integer.MAX_VALUE / 8);

    public void write(DatasetDocument dataset, Path canonical, ExportFormat format, OutputStream out)
            throws IOException {
        if (format == ExportFormat.CSV) {
            csv(dataset, canonical, out);
        } else {
            xlsx(dataset, canonical, out);
        }
    }

    private static void csv(DatasetDocument dataset, Path canonical, OutputStream out) throws IOException {
        PandasType[] types = types(dataset.schema());
        Path tmp = Files.createTempFile("export-", ".csv", OWNER_ONLY);
        try {
            try (CsvRecords records = new CsvRecords(canonical, Dialect.CANONICAL, LIMITS);
                    CanonicalCsvWriter writer = new CanonicalCsvWriter(tmp)) {
                records.header();
                writer.header(dataset.schema().columnNames().stream()
                        .map(FormulaGuard::neutralise)
                        .toList());
                String[] record;
                String[] cells = new String[types.length];
                while ((record = records.next()) != null) {
                    for (int i = 0; i < types.length; i++) {
                        String cell = i < record.length ? record[i] : "";
                        cells[i] = missing(cell, dataset)
                                ? null
                                : types[i] == PandasType.OBJECT ? FormulaGuard.neutralise(cell) : cell;
                    }
                    writer.write(cells);
                }
            }
            Files.copy(tmp, out);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void xlsx(DatasetDocument dataset, Path canonical, OutputStream out) throws IOException {
        PandasType[] types = types(dataset.schema());
        try (SXSSFWorkbook workbook = new SXSSFWorkbook(200);
                CsvRecords records = new CsvRecords(canonical, Dialect.CANONICAL, LIMITS)) {
            workbook.setCompressTempFiles(true);
            Sheet sheet = workbook.createSheet(sheetName(dataset.name()));
            CellStyle dates = workbook.createCellStyle();
            dates.setDataFormat(workbook.getCreationHelper().createDataFormat().getFormat("yyyy-mm-dd hh:mm:ss"));
            List<String> names = dataset.schema().columnNames();
            Row header = sheet.createRow(0);
            for (int i = 0; i < names.size(); i++) {
                header.createCell(i).setCellValue(names.get(i));
            }
            records.header();
            String[] record;
            int r = 1;
            while ((record = records.next()) != null) {
                Row row = sheet.createRow(r++);
                for (int i = 0; i < types.length && i < record.length; i++) {
                    String cell = record[i];
                    if (missing(cell, dataset)) {
                        continue;
                    }
                    switch (types[i]) {
                        case INT64, FLOAT64 -> row.createCell(i).setCellValue(CellClassifier.toDouble(cell));
                        case BOOL -> row.createCell(i).setCellValue(CellClassifier.parseBool(cell));
                        case DATETIME64 -> {
                            var c = row.createCell(i);
                            c.setCellValue(LocalDateTime.parse(DateFormats.iso(DateFormats.parse(cell))));
                            c.setCellStyle(dates);
                        }
                        case OBJECT -> row.createCell(i).setCellValue(FormulaGuard.neutralise(cell));
                    }
                }
            }
            workbook.write(out);
            workbook.dispose();
        }
    }

    private static boolean missing(String cell, DatasetDocument dataset) {
        return cell.isEmpty() || dataset.naValues().contains(cell);
    }

    private static PandasType[] types(DatasetSchema schema) {
        return schema.columns().stream().map(ColumnSchema::type).toArray(PandasType[]::new);
    }

    /** A valid sheet name: at most 31 characters, none of {@code : \ / ? * [ ]}. */
    static String sheetName(String name) {
        String clean = name.replaceAll("[:\\\\/?*\\[\\]]", "_");
        clean = clean.isBlank() ? "data" : clean;
        return clean.length() > 31 ? clean.substring(0, 31) : clean;
    }
}
