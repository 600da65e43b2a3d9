package io.llmanalytics.upload.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.schema.CellKind;
import io.llmanalytics.schema.ProfileOptions;
import io.llmanalytics.schema.SchemaBuilder;
import io.llmanalytics.upload.CanonicalCsvWriter;
import io.llmanalytics.upload.NumberRules;
import io.llmanalytics.upload.ParsedTable;
import io.llmanalytics.upload.TableLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a JSON array of records ({@code [{"a": 1, "b": "x"}, ...]}) as {@code pd.DataFrame(records)} would: columns
 * in order of first appearance, JSON types kept (strings stay text, even when they look like numbers), nested values
 * kept as their JSON text; ISO date strings become dates. Two streaming passes (columns, then rows), so memory stays
 * bounded. Blocking: call it on a worker thread.
 *
 * <p>Numbers: what is accepted is what the worker loads. A number that is not a finite 64-bit float ({@code 1e999999},
 * {@code -1e999999}, and the non-standard tokens {@code NaN}, {@code Infinity}, {@code -Infinity}) is refused with a
 * 400 naming the record, the field and the value ({@link NumberRules}), as is a number longer than
 * {@value JsonNumbers#MAX_NUMBER_LENGTH} characters. A number that underflows ({@code 1e-999999}) is 0.0, as in Python's
 * {@code json} and pandas' {@code read_csv}; integers beyond int64 are text (an {@code object} column), as pandas
 * reads them from the canonical CSV.
 */
public final class JsonTableReader {

    private static final int MAX_DEPTH = JsonNumbers.MAX_DEPTH;
    private static final JsonFactory FACTORY = JsonNumbers.FACTORY;

    private final ProfileOptions options;
    private final TableLimits limits;

    public JsonTableReader(ProfileOptions options, TableLimits limits) {
        this.options = options;
        this.limits = limits;
    }

    public ParsedTable read(Path file, String name, Path canonicalOut) throws IOException {
        try {
            List<String> columns = columns(file);
            if (columns.isEmpty()) {
                throw new ProblemException(ProblemType.NO_COLUMNS, "The JSON records have no fields.");
            }
            SchemaBuilder builder = new SchemaBuilder(columns, options);
            Map<String, Integer> index = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                index.put(columns.get(i), i);
            }
            try (InputStream in = Files.newInputStream(file);
                    JsonParser parser = FACTORY.createParser(in);
                    CanonicalCsvWriter writer = new CanonicalCsvWriter(canonicalOut)) {
                writer.header(builder.names());
                parser.nextToken();
                String[] cells = new String[columns.size()];
                CellKind[] kinds = new CellKind[columns.size()];
                long record = 0;
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                    record++;
                    Arrays.fill(cells, "");
                    Arrays.fill(kinds, CellKind.NULL);
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String field = parser.currentName();
                        int i = index.get(field);
                        JsonToken token = parser.nextToken();
                        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                            checkNumber(parser, record, field);
                        }
                        value(parser, cells, kinds, i);
                    }
                    limits.checkCells(cells, parser.currentLocation().getLineNr());
                    builder.add(cells, kinds);
                    String[] out = cells.clone();
                    for (int i = 0; i < out.length; i++) {
                        if (kinds[i] == CellKind.NULL) {
                            out[i] = null;
                        }
                    }
                    writer.write(out);
                }
            }
            return new ParsedTable(builder.build(name), canonicalOut, List.of(""));
        } catch (StreamConstraintsException e) {
            String message = String.valueOf(e.getOriginalMessage());
            if (message.contains("nesting depth")) {
                throw new ProblemException(
                        ProblemType.UNREADABLE_FILE,
                        "The JSON is nested more than " + MAX_DEPTH + " levels deep; upload a flat array of records.");
            }
            throw new ProblemException(
                    ProblemType.UNREADABLE_FILE,
                    "The JSON holds a value larger than this service "
                            + "reads (" + message.replaceAll(" \\(from `.*`\\)", "") + ", line "
                            + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ").");
        } catch (JsonProcessingException e) {
            throw new ProblemException(
                    ProblemType.UNREADABLE_FILE,
                    "The file is not valid JSON: " + e.getOriginalMessage() + " (line "
                            + e.getLocation().getLineNr() + ").");
        }
    }

    /** Refuses a number that is too long or not a finite double, naming its record, line and field. */
    private static void checkNumber(JsonParser parser, long record, String field) throws IOException {
        JsonNumbers.check(
                parser,
                "record " + record + " (line " + parser.currentLocation().getLineNr() + "), field "
                        + NumberRules.quoted(field));
    }

    private static void value(JsonParser parser, String[] cells, CellKind[] kinds, int i) throws IOException {
        JsonCells.read(parser, cells, kinds, i, "");
    }

    /** First pass: checks the shape and collects the field names in order of first appearance. */
    private List<String> columns(Path file) throws IOException {
        Map<String, Boolean> seen = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(file);
                JsonParser parser = FACTORY.createParser(in)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new ProblemException(
                        ProblemType.UNREADABLE_FILE,
                        "A JSON upload must be an array of records, like [{\"region\": \"North\", \"sales\": 10}, ...].");
            }
            long records = 0;
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.START_OBJECT) {
                records++;
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    if (seen.putIfAbsent(parser.currentName(), Boolean.TRUE) == null) {
                        limits.checkColumns(seen.size());
                    }
                    parser.nextToken();
                    parser.skipChildren();
                }
            }
            if (token != JsonToken.END_ARRAY) {
                throw new ProblemException(
                        ProblemType.UNREADABLE_FILE,
                        "Every element of the JSON array must be an" + " object (a record); element " + (records + 1)
                                + " is " + describe(token) + ".");
            }
            if (records == 0) {
                throw new ProblemException(ProblemType.EMPTY_FILE, "The JSON array holds no records.");
            }
            if (parser.nextToken() != null) {
                throw new ProblemException(ProblemType.UNREADABLE_FILE, "Unexpected content after the JSON array.");
            }
        }
        return new ArrayList<>(seen.keySet());
    }

    private static String describe(JsonToken token) {
        return token == null
                ? "missing (the file ends early)"
                : switch (token) {
                    case START_ARRAY -> "an array";
                    case VALUE_STRING -> "a string";
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
                    case VALUE_TRUE, VALUE_FALSE -> "a boolean";
                    case VALUE_NULL -> "null";
                    default -> token.asString();
                };
    }
}
