package io.llmanalytics.upload.formats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.testing.Corpus;
import io.llmanalytics.upload.ParsedUpload;
import io.llmanalytics.upload.TableParser;
import io.llmanalytics.upload.UploadConfig;
import io.quarkus.runtime.configuration.MemorySize;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Shared by the format tests: what every file of the corpus's formats/ folder must become, fixtures written by
 * Debian's Python (odfpy for ODS, plain text for JSON Lines) and pandas' own reading of them.
 */
public final class FormatFixtures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FormatFixtures() {}

    /**
     * One corpus file: the name it is uploaded as, and either the dataset it must give (rows; dtypes by column, in
     * order) or the 4xx status it must get. Rows, names and types come from the files' documentation (the
     * parquet-testing and Arrow integration descriptions, int96_from_spark.md, the *_expect.csv files); dtypes are
     * pandas' for those Parquet/Arrow types under the service's canonical dtypes (integers int64, float64 when a
     * value is missing; floats and decimals float64; nested values and text object; timestamps datetime64[ns]
     * unless a value lies outside its range, then object).
     */
    public record Expected(String path, String uploadName, int status, long rows, Map<String, String> dtypes) {
        public static Expected table(String path, long rows, String... nameTypePairs) {
            Map<String, String> types = new LinkedHashMap<>();
            for (int i = 0; i < nameTypePairs.length; i += 2) {
                types.put(nameTypePairs[i], nameTypePairs[i + 1]);
            }
            return new Expected(
                    path, Path.of(path).getFileName().toString().replace(".arrow_file", ".arrow"), 201, rows, types);
        }

        public static Expected refused(String path, String uploadName, int status) {
            return new Expected(path, uploadName, status, 0, Map.of());
        }

        public Path file() {
            return Corpus.file(path);
        }

        @Override
        public String toString() {
            return uploadName;
        }
    }

    private static final String I = "int64";
    private static final String F = "float64";
    private static final String O = "object";
    private static final String B = "bool";
    private static final String D = "datetime64[ns]";

    public static List<Expected> corpus() {
        List<Expected> all = new ArrayList<>();
        String[] alltypes = {
            "id",
            I,
            "bool_col",
            B,
            "tinyint_col",
            I,
            "smallint_col",
            I,
            "int_col",
            I,
            "bigint_col",
            I,
            "float_col",
            F,
            "double_col",
            F,
            "date_string_col",
            O,
            "string_col",
            O,
            "timestamp_col",
            D
        };
        all.add(Expected.table("formats/parquet/alltypes_plain.parquet", 8, alltypes));
        all.add(Expected.table("formats/parquet/alltypes_plain.snappy.parquet", 2, alltypes));
        all.add(Expected.table("formats/parquet/alltypes_dictionary.parquet", 2, alltypes));
        all.add(Expected.table("formats/parquet/byte_array_decimal.parquet", 24, "value", F));
        all.add(Expected.table("formats/parquet/byte_stream_split.zstd.parquet", 300, "f32", F, "f64", F));
        all.add(Expected.table(
                "formats/parquet/datapage_v2.snappy.parquet", 5, "a", O, "b", I, "c", F, "d", B, "e", O));
        all.add(Expected.table("formats/parquet/delta_encoding_optional_column.parquet", 100, deltaColumns("", true)));
        all.add(Expected.table(
                "formats/parquet/delta_encoding_required_column.parquet", 100, deltaColumns(":", false)));
        // Its year-290000 INT96 value cannot be decoded faithfully (DuckDB, like pyarrow, wraps it): refused.
        all.add(Expected.refused("formats/parquet/int96_from_spark.parquet", "int96_from_spark.parquet", 400));
        all.add(Expected.table("formats/parquet/lz4_raw_compressed.parquet", 4, "c0", I, "c1", O, "v11", F));
        all.add(Expected.table(
                "formats/parquet/nation.dict-malformed.parquet",
                25,
                "nation_key",
                I,
                "name",
                O,
                "region_key",
                I,
                "comment_col",
                O));
        all.add(Expected.table("formats/parquet/nested_lists.snappy.parquet", 3, "a", O, "b", I));
        all.add(Expected.table(
                "formats/parquet/nonnullable.impala.parquet",
                1,
                "ID",
                I,
                "Int_Array",
                O,
                "int_array_array",
                O,
                "Int_Map",
                O,
                "int_map_array",
                O,
                "nested_Struct",
                O));
        all.add(Expected.table("formats/parquet/nulls.snappy.parquet", 8, "b_struct", O));
        all.add(Expected.table(
                "formats/parquet/rle-dict-uncompressed-corrupt-checksum.parquet",
                1000,
                "long_field",
                I,
                "binary_field",
                O));
        // Map values of hundreds of MB each once decompressed: refused within DuckDB's memory cap.
        all.add(Expected.refused(
                "formats/parquet/large_string_map.brotli.parquet", "large_string_map.brotli.parquet", 400));
        all.add(Expected.refused(
                "formats/parquet/uniform_encryption.parquet.encrypted", "uniform_encryption.parquet", 400));
        for (String fuzz : List.of("4778515122946048", "4983476816314368", "5125323032887296")) {
            String name = "clusterfuzz-testcase-arrow-ipc-file-fuzz-" + fuzz;
            all.add(Expected.refused("formats/arrow/" + name, name + ".arrow", 400));
        }
        // Dates and timestamps in year 1 (outside datetime64[ns]) keep those columns text; pandas itself refuses them.
        all.add(Expected.table(
                "formats/arrow/generated_datetime.arrow_file",
                17,
                "f0",
                O,
                "f1",
                O,
                "f2",
                O,
                "f3",
                O,
                "f4",
                O,
                "f5",
                O,
                "f6",
                O,
                "f7",
                O,
                "f8",
                O,
                "f9",
                D,
                "f10",
                O,
                "f11",
                O,
                "f12",
                O,
                "f13",
                O,
                "f14",
                D));
        String[] decimals = new String[72];
        for (int i = 0; i < 36; i++) {
            decimals[2 * i] = "f" + i;
            decimals[2 * i + 1] = F;
        }
        all.add(Expected.table("formats/arrow/generated_decimal.arrow_file", 306, decimals));
        all.add(Expected.table(
                "formats/arrow/generated_dictionary.arrow_file", 17, "dict0", O, "dict1", O, "dict2", F));
        all.add(Expected.table(
                "formats/arrow/generated_nested.arrow_file",
                17,
                "list_nullable",
                O,
                "fixedsizelist_nullable",
                O,
                "struct_nullable",
                O));
        all.add(Expected.table(
                "formats/arrow/generated_primitive.arrow_file",
                37,
                "bool_nullable",
                O,
                "bool_nonnullable",
                B,
                "int8_nullable",
                F,
                "int8_nonnullable",
                I,
                "int16_nullable",
                F,
                "int16_nonnullable",
                I,
                "int32_nullable",
                F,
                "int32_nonnullable",
                I,
                "int64_nullable",
                F,
                "int64_nonnullable",
                I,
                "uint8_nullable",
                F,
                "uint8_nonnullable",
                I,
                "uint16_nullable",
                F,
                "uint16_nonnullable",
                I,
                "uint32_nullable",
                F,
                "uint32_nonnullable",
                I,
                "uint64_nullable",
                F,
                "uint64_nonnullable",
                I,
                "float32_nullable",
                F,
                "float32_nonnullable",
                F,
                "float64_nullable",
                F,
                "float64_nonnullable",
                F,
                "binary_nullable",
                O,
                "binary_nonnullable",
                O,
                "utf8_nullable",
                O,
                "utf8_nonnullable",
                O,
                "fixedsizebinary_19_nullable",
                O,
                "fixedsizebinary_19_nonnullable",
                O,
                "fixedsizebinary_120_nullable",
                O,
                "fixedsizebinary_120_nonnullable",
                O));
        // A schema and no record batch: no rows, refused like a CSV with a header only.
        all.add(Expected.refused(
                "formats/arrow/generated_primitive_zerolength.arrow_file",
                "generated_primitive_zerolength.arrow",
                400));
        return all;
    }

    /** The delta files' columns: names with the file's suffix; in the optional file, nullable ints are float64. */
    private static String[] deltaColumns(String suffix, boolean optional) {
        String[] ints = {
            "c_customer_sk",
            "c_current_cdemo_sk",
            "c_current_hdemo_sk",
            "c_current_addr_sk",
            "c_first_shipto_date_sk",
            "c_first_sales_date_sk",
            "c_birth_day",
            "c_birth_month",
            "c_birth_year"
        };
        String[] texts = {
            "c_customer_id",
            "c_salutation",
            "c_first_name",
            "c_last_name",
            "c_preferred_cust_flag",
            "c_birth_country",
            "c_email_address",
            "c_last_review_date"
        };
        // Columns of the optional file that hold a null somewhere (its _expect.csv has empty fields there).
        List<String> withNulls = List.of(
                "c_current_cdemo_sk",
                "c_current_hdemo_sk",
                "c_first_shipto_date_sk",
                "c_first_sales_date_sk",
                "c_birth_day",
                "c_birth_month",
                "c_birth_year");
        List<String> out = new ArrayList<>();
        for (String c : ints) {
            out.add(c + suffix);
            out.add(optional && withNulls.contains(c) ? F : I);
        }
        for (String c : texts) {
            out.add(c + suffix);
            out.add(O);
        }
        return out.toArray(String[]::new);
    }

    /** One CSV of the shared corpus's {@code files/} folder as the parser reads it. */
    public record ParsedCsv(Path file, ParsedUpload parsed) {}

    /**
     * Every CSV of the shared corpus's {@code files/} folder the parser accepts (refused ones left out), in name order,
     * each parsed with its work files in a directory of its own under {@code workDir}.
     */
    public static List<ParsedCsv> corpusCsvs(Path workDir) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(Corpus.file("files"))) {
            files = list.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
        }
        List<ParsedCsv> out = new ArrayList<>();
        for (Path file : files) {
            try {
                out.add(new ParsedCsv(
                        file,
                        parser().parse(file, file.getFileName().toString(), Files.createTempDirectory(workDir, "w"))));
            } catch (ProblemException refused) {
                // a file the service refuses has no dataset to compare
            }
        }
        return out;
    }

    public static TableParser parser() {
        return new TableParser(new TestUploadConfig(100_000_000L, 10_000, 1_000_000));
    }

    public static TableParser parser(long maxCells) {
        return new TableParser(new TestUploadConfig(maxCells, 10_000, 1_000_000));
    }

    /** Upload settings for tests that run the readers without the application. */
    public record TestUploadConfig(long maxCells, int maxColumns, int maxCellChars) implements UploadConfig {
        @Override
        public MemorySize maxSize() {
            return new MemorySize(java.math.BigInteger.valueOf(100L << 20));
        }

        @Override
        public int sampleRows() {
            return 5;
        }

        @Override
        public int distinctExactBound() {
            return 10_000;
        }

        @Override
        public int topValues() {
            return 5;
        }

        @Override
        public Optional<Path> workDir() {
            return Optional.empty();
        }

        @Override
        public int streamingReceives() {
            return 16;
        }
    }

    /** Runs Debian's Python 3 on a script with arguments; returns its standard output as JSON. */
    public static JsonNode python(String script, String... args) throws IOException, InterruptedException {
        Path file = Files.createTempFile("fixture", ".py");
        try {
            Files.writeString(file, script);
            List<String> command = new ArrayList<>(List.of("/usr/bin/python3", file.toString()));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("python failed: " + new String(err, StandardCharsets.UTF_8));
            }
            return JSON.readTree(out);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Writes an ODS workbook with odfpy: {sheet: [[cell, ...], ...]}, cells typed by their JSON type. */
    public static final String WRITE_ODS = """
            import json, sys, datetime
            from odf.opendocument import OpenDocumentSpreadsheet
            from odf.table import Table, TableRow, TableCell
            from odf.text import P
            book = json.loads(sys.argv[2])
            doc = OpenDocumentSpreadsheet()
            for name, rows in book.items():
                t = Table(name=name)
                for row in rows:
                    tr = TableRow()
                    for v in row:
                        if v is None:
                            c = TableCell()
                        elif isinstance(v, bool):
                            c = TableCell(valuetype='boolean', booleanvalue='true' if v else 'false')
                            c.addElement(P(text='TRUE' if v else 'FALSE'))
                        elif isinstance(v, (int, float)):
                            c = TableCell(valuetype='float', value=str(v))
                            c.addElement(P(text=str(v)))
                        elif isinstance(v, str) and v.startswith('date:'):
                            c = TableCell(valuetype='date', datevalue=v[5:])
                            c.addElement(P(text=v[5:]))
                        else:
                            c = TableCell(valuetype='string')
                            c.addElement(P(text=v))
                        tr.addElement(c)
                    t.addElement(tr)
                doc.spreadsheet.addElement(t)
            doc.save(sys.argv[1])
            print('{}')
            """;

    /** What pandas reads from a file: {name: {rows, columns, dtypes}} for every sheet, or one "data" entry. */
    public static final String PANDAS_SHAPE = """
            import json, sys
            import pandas as pd
            kind, path = sys.argv[1], sys.argv[2]
            if kind == 'ods':
                frames = pd.read_excel(path, engine='odf', sheet_name=None)
            else:
                frames = {'data': pd.read_json(path, lines=True, dtype=False, convert_dates=False)}
            out = {}
            for name, df in frames.items():
                if df.shape[0] == 0 and df.shape[1] == 0:
                    continue
                out[name] = {'rows': int(df.shape[0]), 'columns': [str(c) for c in df.columns],
                             'dtypes': [str(t) for t in df.dtypes],
                             'sums': {str(c): float(df[c].sum()) for c in df.columns
                                      if pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])}}
            print(json.dumps(out))
            """;
}
