package io.llmanalytics.upload.csv;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.schema.CellClassifier;
import io.llmanalytics.schema.CellConventions;
import io.llmanalytics.schema.DatasetSchema;
import io.llmanalytics.schema.FoldedIntegers;
import io.llmanalytics.schema.ProfileOptions;
import io.llmanalytics.schema.RaggedRowException;
import io.llmanalytics.schema.SchemaBuilder;
import io.llmanalytics.upload.ByteSource;
import io.llmanalytics.upload.ParsedTable;
import io.llmanalytics.upload.TableLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Reads delimited text: the dialect is sniffed from the first 64 KiB, then one streaming pass (records split by
 * {@link RecordSplitter}, fields parsed by OpenCSV's RFC 4180 parser, or its escape-aware parser when the file uses
 * backslash escapes) builds the schema and profile; the records are parsed on a thread of their own while the ones
 * before them are profiled ({@link RecordBatches}), in the same order. The same pass gathers what the dictionary drafts
 * need of the integer columns ({@link FoldedIntegers}) when the file's lines are its records, so that no second scan of
 * an upload that is already canonical is needed. When the file is not already canonical, a second pass writes the
 * canonical CSV with the final dtypes known (decimal commas, booleans and dates normalised). Blocking: call it on a
 * worker thread.
 */
public final class CsvTableReader {

    static final int SAMPLE_BYTES = 64 * 1024;
    private static final List<String> PANDAS_NA =
            CellClassifier.NA_TOKENS.stream().sorted().toList();
    private static final List<String> EMPTY_ONLY = List.of("");

    private final ProfileOptions options;
    private final TableLimits limits;

    public CsvTableReader(ProfileOptions options, TableLimits limits) {
        this.options = options;
        this.limits = limits;
    }

    public ParsedTable read(Path file, String name, Path canonicalOut) throws IOException {
        return read(ByteSource.of(file), name, canonicalOut);
    }

    /** {@link #read(Path, String, Path)} from a source opened once per pass (a file that may still be arriving). */
    public ParsedTable read(ByteSource file, String name, Path canonicalOut) throws IOException {
        byte[] head = new byte[SAMPLE_BYTES];
        int length;
        try (InputStream in = file.open()) {
            length = in.readNBytes(head, 0, head.length);
        }
        if (length == 0) {
            throw new ProblemException(ProblemType.EMPTY_FILE, "The file is empty (0 bytes).");
        }
        TextEncoding.Detected encoding = TextEncoding.detect(head, length);
        String sample = new String(head, encoding.bomBytes(), length - encoding.bomBytes(), encoding.charset());
        Dialect dialect = DialectSniffer.sniff(sample, length < SAMPLE_BYTES, encoding);
        try {
            return readWith(file, name, canonicalOut, dialect);
        } catch (CharacterCodingException e) {
            return readWith(file, name, canonicalOut, dialect.withCharset(TextEncoding.WINDOWS_1252));
        }
    }

    private ParsedTable readWith(ByteSource file, String name, Path canonicalOut, Dialect dialect) throws IOException {
        Profiled profiled = profile(file, name, dialect);
        if (dialect.canonical() && !profiled.reshaped) {
            return new ParsedTable(profiled.schema, null, PANDAS_NA, profiled.integers);
        }
        writeCanonical(file, dialect, profiled.schema, canonicalOut);
        return new ParsedTable(profiled.schema, canonicalOut, EMPTY_ONLY);
    }

    /**
     * The schema, whether any row had to be reshaped (trimmed, or NUL characters removed), and the integer columns'
     * values when the file's lines are its records (null otherwise).
     */
    private record Profiled(DatasetSchema schema, boolean reshaped, FoldedIntegers integers) {}

    private Profiled profile(ByteSource file, String name, Dialect dialect) throws IOException {
        try (CsvRecords records = new CsvRecords(file, dialect, limits)) {
            String[] header = records.header();
            SchemaBuilder builder = new SchemaBuilder(Arrays.asList(header), options, conventions(dialect));
            boolean reshaped = records.reshaped();
            try (RecordBatches batches = new RecordBatches(records)) {
                RecordBatches.Batch batch;
                while ((batch = batches.next()) != null) {
                    for (int i = 0; i < batch.size; i++) {
                        String[] record = batch.rows[i];
                        try {
                            reshaped |= builder.add(record).length < record.length;
                        } catch (RaggedRowException e) {
                            throw ragged(e, batch.lines[i], record, builder.width());
                        }
                    }
                    batches.finish(batch);
                }
            }
            if (builder.rows() == 0) {
                throw new ProblemException(
                        ProblemType.EMPTY_FILE,
                        "The file has a header (" + preview(builder.names()) + ") but no data rows.");
            }
            FoldedIntegers integers =
                    records.linesAreRecords() ? new FoldedIntegers(builder.integers(), records.blankLines()) : null;
            return new Profiled(builder.build(name), reshaped || records.reshaped(), integers);
        }
    }

    private void writeCanonical(ByteSource file, Dialect dialect, DatasetSchema schema, Path out) throws IOException {
        try (CsvRecords records = new CsvRecords(file, dialect, limits)) {
            CanonicalRewriter.write(records, schema, conventions(dialect), out);
        }
    }

    private static CellConventions conventions(Dialect dialect) {
        return dialect.decimalComma() ? CellConventions.DECIMAL_COMMA : CellConventions.TEXT;
    }

    static ProblemException ragged(RaggedRowException e, long line, String[] record, int width) {
        String extra = String.join(
                ", ",
                Arrays.asList(record).subList(width, record.length).stream()
                        .filter(s -> !s.isBlank())
                        .limit(3)
                        .map(s -> "'" + abbreviate(s) + "'")
                        .toList());
        return new ProblemException(
                ProblemType.UNREADABLE_FILE,
                "Line " + line + " has " + e.fields()
                        + " fields but the header has " + e.columns() + " columns, and the extra fields hold data ("
                        + extra
                        + "). Fix that row (or add the missing header names) and upload again; rows with too few fields are"
                        + " accepted and padded with missing values.");
    }

    static String preview(List<String> names) {
        String joined = String.join(", ", names.subList(0, Math.min(5, names.size())));
        return names.size() > 5 ? joined + ", ..." : joined;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
