package io.llmanalytics.upload;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.schema.NonFiniteNumberException;
import io.llmanalytics.schema.ProfileOptions;
import io.llmanalytics.schema.TooManyCellsException;
import io.llmanalytics.sources.SqliteFileTables;
import io.llmanalytics.upload.arrow.ArrowTableReader;
import io.llmanalytics.upload.csv.CsvTableReader;
import io.llmanalytics.upload.excel.XlsTableReader;
import io.llmanalytics.upload.excel.XlsxTableReader;
import io.llmanalytics.upload.json.JsonTableReader;
import io.llmanalytics.upload.jsonl.JsonLinesReader;
import io.llmanalytics.upload.ods.OdsTableReader;
import io.llmanalytics.upload.parquet.ParquetTableReader;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Reads an uploaded file into datasets. Blocking: call it on a worker thread. */
@ApplicationScoped
public class TableParser {

    private final UploadConfig config;

    public TableParser(UploadConfig config) {
        this.config = config;
    }

    /** The upload's format and datasets, with no declared media type; canonical files are created in {@code workDir}. */
    public ParsedUpload parse(Path file, String fileName, Path workDir) {
        return parse(file, fileName, null, workDir);
    }

    /**
     * The upload's format and datasets; canonical files are created in {@code workDir}. The declared media type
     * ({@code Content-Type} of the multipart part, null when none) must agree with the file ({@link DeclaredType}).
     */
    public ParsedUpload parse(Path file, String fileName, String declaredType, Path workDir) {
        return parse(ByteSource.of(file), () -> file, fileName, declaredType, workDir, CanonicalSink.Opener.NONE);
    }

    /**
     * {@link #parse(Path, String, String, Path)} of a file still arriving: delimited text is parsed as its bytes come,
     * other formats (which are read out of order) once it is whole.
     */
    public ParsedUpload parse(ArrivingFile file, String fileName, String declaredType, Path workDir) {
        return parse(file, fileName, declaredType, workDir, CanonicalSink.Opener.NONE);
    }

    /**
     * {@link #parse(ArrivingFile, String, String, Path)}, its Parquet reader sending the canonical file's bytes to
     * {@code sinks} as it writes them (Parquet's columnar route).
     */
    public ParsedUpload parse(
            ArrivingFile file, String fileName, String declaredType, Path workDir, CanonicalSink.Opener sinks) {
        return parse(file::open, file::awaitWhole, fileName, declaredType, workDir, sinks);
    }

    /** The upload's path once it is whole. */
    private interface WholeFile {
        Path await() throws IOException;
    }

    private ParsedUpload parse(
            ByteSource bytes,
            WholeFile whole,
            String fileName,
            String declaredType,
            Path workDir,
            CanonicalSink.Opener sinks) {
        FileFormat format = FileFormat.CSV;
        try {
            byte[] head = new byte[8192];
            int length;
            try (InputStream in = bytes.open()) {
                length = in.readNBytes(head, 0, head.length);
            }
            if (length == 0) {
                throw new ProblemException(ProblemType.EMPTY_FILE, "The file is empty (0 bytes).");
            }
            format = FormatDetector.detect(fileName, head, length);
            DeclaredType.check(declaredType, fileName, format);
            ProfileOptions options = new ProfileOptions(
                    config.sampleRows(), config.distinctExactBound(), config.topValues(), config.maxCells());
            TableLimits limits = new TableLimits(config.maxColumns(), config.maxCellChars());
            String base = baseName(fileName);
            Path file = format == FileFormat.CSV ? null : whole.await(); // delimited text is read as it arrives
            List<ParsedTable> tables = switch (format) {
                case CSV ->
                    List.of(new CsvTableReader(options, limits).read(bytes, base, workDir.resolve("dataset-0.csv")));
                case JSON ->
                    List.of(new JsonTableReader(options, limits).read(file, base, workDir.resolve("dataset-0.csv")));
                case XLSX -> new XlsxTableReader(options, limits).read(file, sheetFiles(workDir));
                case XLS -> new XlsTableReader(options, limits).read(file, sheetFiles(workDir));
                case SQLITE -> new SqliteFileTables(options, limits).read(file, sheetFiles(workDir));
                case ODS -> new OdsTableReader(options, limits).read(file, sheetFiles(workDir));
                case JSONL ->
                    List.of(new JsonLinesReader(options, limits).read(file, base, workDir.resolve("dataset-0.csv")));
                case PARQUET ->
                    List.of(new ParquetTableReader(options, limits)
                            .read(file, base, workDir.resolve("dataset-0.csv"), sinks));
                case ARROW, ARROW_STREAM ->
                    List.of(new ArrowTableReader(options, limits)
                            .read(file, format == FileFormat.ARROW_STREAM, base, workDir.resolve("dataset-0.csv")));
            };
            if (tables.isEmpty()) {
                throw new ProblemException(
                        ProblemType.EMPTY_FILE,
                        format == FileFormat.ODS || format == FileFormat.XLSX || format == FileFormat.XLS
                                ? "The workbook has no sheet with a header row and at least one data row."
                                : "The file holds no table.");
            }
            return new ParsedUpload(format, tables);
        } catch (NonFiniteNumberException e) {
            throw NumberRules.notFinite(where(format, e.row()) + NumberRules.quoted(e.column()), e.value());
        } catch (TooManyCellsException e) {
            throw new ProblemException(
                    ProblemType.TOO_MANY_CELLS,
                    "The dataset has more than " + config.maxCells()
                            + " cells (rows x columns), the limit set by MAX_DATAFRAME_SIZE. Upload fewer rows or columns.");
        } catch (IOException | UncheckedIOException e) {
            throw new ProblemException(ProblemType.UNREADABLE_FILE, "The file could not be read: " + e.getMessage());
        }
    }

    /** Where a data row is, in the words of its format: rows after a header, records of a JSON Lines file, rows. */
    private static String where(FileFormat format, long row) {
        return switch (format) {
            case CSV, XLSX, XLS, ODS -> "Row " + row + " after the header, column ";
            case JSON -> "Record " + row + ", field ";
            case JSONL ->
                "Record " + row + " of the JSON Lines file (line " + row + " when it has no blank lines), field ";
            case PARQUET, ARROW, ARROW_STREAM, SQLITE -> "Row " + row + ", column ";
        };
    }

    private static Function<String, Path> sheetFiles(Path workDir) {
        List<String> names = new ArrayList<>();
        return sheet -> {
            names.add(sheet);
            return workDir.resolve("dataset-" + (names.size() - 1) + ".csv");
        };
    }

    /** A dataset name from a file name: the name without directories and extension. */
    static String baseName(String fileName) {
        if (fileName == null || fileName.isBlank()) {
            return "data";
        }
        String name = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        return base.isBlank() ? "data" : base;
    }
}
