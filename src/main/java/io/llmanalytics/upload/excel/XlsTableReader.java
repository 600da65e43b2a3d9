package io.llmanalytics.upload.excel;

import io.llmanalytics.schema.CellKind;
import io.llmanalytics.schema.ProfileOptions;
import io.llmanalytics.upload.ParsedTable;
import io.llmanalytics.upload.TableLimits;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.poi.EncryptedDocumentException;
import org.apache.poi.hssf.OldExcelFormatException;
import org.apache.poi.hssf.usermodel.HSSFWorkbook;
import org.apache.poi.poifs.filesystem.NotOLE2FileException;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.util.RecordFormatException;

/**
 * Reads legacy {@code .xls} (BIFF8) workbooks with POI's HSSF. Such files hold at most 65,536 rows per sheet, so the
 * sheet model fits in memory. Numbers that are whole become integers (as pandas' xlrd reader does), cached formula
 * results are used, error cells are missing values. Blocking: call it on a worker thread.
 */
public final class XlsTableReader {

    private final ProfileOptions options;
    private final TableLimits limits;

    public XlsTableReader(ProfileOptions options, TableLimits limits) {
        this.options = options;
        this.limits = limits;
    }

    public List<ParsedTable> read(Path file, Function<String, Path> canonicalFor) throws IOException {
        try (POIFSFileSystem fs = new POIFSFileSystem(file.toFile(), true)) {
            if (fs.getRoot().hasEntryCaseInsensitive("EncryptionInfo")) {
                throw SheetRows.corrupt("The workbook is password-protected; remove the password and upload again.");
            }
            return read(fs, canonicalFor);
        } catch (NotOLE2FileException e) {
            throw SheetRows.corrupt("The file is not a readable .xls workbook: " + e.getMessage());
        }
    }

    private List<ParsedTable> read(POIFSFileSystem fs, Function<String, Path> canonicalFor) throws IOException {
        try (HSSFWorkbook workbook = new HSSFWorkbook(fs.getRoot(), false)) {
            List<ParsedTable> tables = new ArrayList<>();
            for (Sheet sheet : workbook) {
                SheetRows rows =
                        new SheetRows(sheet.getSheetName(), canonicalFor.apply(sheet.getSheetName()), options, limits);
                try {
                    for (Row row : sheet) {
                        read(row, rows);
                    }
                    ParsedTable table = rows.finish();
                    if (table != null) {
                        tables.add(table);
                    }
                } finally {
                    rows.abandon();
                }
            }
            return tables;
        } catch (EncryptedDocumentException e) {
            throw SheetRows.corrupt("The workbook is password-protected; remove the password and upload again.");
        } catch (OldExcelFormatException e) {
            throw SheetRows.corrupt("The workbook uses an Excel format older than Excel 97 (BIFF5 or earlier);"
                    + " save it as .xlsx and upload again.");
        } catch (NotOLE2FileException
                | RecordFormatException
                | IllegalArgumentException
                | IllegalStateException
                | IndexOutOfBoundsException e) {
            throw SheetRows.corrupt("The file is not a readable .xls workbook: " + e.getMessage());
        }
    }

    private static void read(Row row, SheetRows rows) throws IOException {
        int width = Math.max(0, row.getLastCellNum());
        String[] cells = new String[width];
        CellKind[] kinds = new CellKind[width];
        for (Cell cell : row) {
            int i = cell.getColumnIndex();
            CellType type =
                    cell.getCellType() == CellType.FORMULA ? cell.getCachedFormulaResultType() : cell.getCellType();
            switch (type) {
                case NUMERIC -> {
                    if (DateUtil.isCellDateFormatted(cell)) {
                        LocalDateTime t = cell.getLocalDateTimeCellValue();
                        cells[i] = t.toString().length() == 16 ? t + ":00" : t.toString();
                        kinds[i] = CellKind.DATE;
                    } else {
                        double v = cell.getNumericCellValue();
                        cells[i] = ExcelNumbers.text(v);
                        kinds[i] = ExcelNumbers.kind(v);
                    }
                }
                case STRING -> cells[i] = cell.getStringCellValue();
                case BOOLEAN -> {
                    cells[i] = cell.getBooleanCellValue() ? "True" : "False";
                    kinds[i] = CellKind.BOOL;
                }
                default -> kinds[i] = CellKind.NULL;
            }
        }
        rows.row(row.getRowNum() + 1L, cells, kinds);
    }
}
