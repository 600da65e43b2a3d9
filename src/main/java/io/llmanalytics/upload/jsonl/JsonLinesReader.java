package io.llmanalytics.upload.jsonl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.schema.CellKind;
import io.llmanalytics.schema.ProfileOptions;
import io.llmanalytics.upload.NumberRules;
import io.llmanalytics.upload.ParsedTable;
import io.llmanalytics.upload.TableLimits;
import io.llmanalytics.upload.TypedTableWriter;
import io.llmanalytics.upload.json.JsonCells;
import io.llmanalytics.upload.json.JsonNumbers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON Lines ({@code .jsonl}, {@code .ndjson}): one JSON object per line, blank lines skipped, as
 * {@code pd.read_json(path, lines=True)} reads the records: columns in order of first appearance, a field missing from
 * a record is a missing value. Cells follow the service's JSON conventions (the same as for a JSON array upload): JSON
 * types kept (strings stay text), nested values as their JSON text, ISO date strings as dates, non-finite numbers
 * refused. A line that is not exactly one JSON object is a 400 naming the line. Two streaming passes (columns, then
 * rows), so memory stays bounded. Blocking: call it on a worker thread.
 */
public final class JsonLinesReader {

    private static final int MAX_DEPTH = JsonNumbers.MAX_DEPTH;
    private static final JsonFactory FACTORY = JsonNumbers.FACTORY;

    private final ProfileOptions options;
    private final TableLimits limits;
    private final long maxLineChars;

    public JsonLinesReader(ProfileOptions options, TableLimits limits) {
        this.options = options;
        this.limits = limits;
        this.maxLineChars = Math.max(1L << 20, (long) limits.maxCellChars() * 4);
    }

    public ParsedTable read(Path file, String name, Path canonicalOut) throws IOException {
        List<String> columns = columns(file);
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            index.put(columns.get(i), i);
        }
        try (Lines lines = new Lines(file, maxLineChars);
                TypedTableWriter out = new TypedTableWriter(columns, options, limits, canonicalOut)) {
            String[] cells = new String[columns.size()];
            CellKind[] kinds = new CellKind[columns.size()];
            String line;
            while ((line = lines.next()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                Arrays.fill(cells, null);
                Arrays.fill(kinds, CellKind.NULL);
                try (JsonParser parser = FACTORY.createParser(line)) {
                    parser.nextToken();
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String field = parser.currentName();
                        int i = index.get(field);
                        if (parser.nextToken().isNumeric()) {
                            JsonNumbers.check(
                                    parser,
                                    "Line " + lines.number() + " of the JSON Lines file, field "
                                            + NumberRules.quoted(field));
                        }
                        value(parser, cells, kinds, i);
                    }
                }
                out.add(cells, kinds, lines.number());
            }
            return out.finish(name);
        }
    }

    /** First pass: checks every line and collects the field names in order of first appearance. */
    private List<String> columns(Path file) throws IOException {
        Map<String, Boolean> seen = new LinkedHashMap<>();
        long records = 0;
        try (Lines lines = new Lines(file, maxLineChars)) {
            String line;
            while ((line = lines.next()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                records++;
                try (JsonParser parser = FACTORY.createParser(line)) {
                    JsonToken first = parser.nextToken();
                    if (first != JsonToken.START_OBJECT) {
                        throw bad(
                                lines.number(),
                                "is " + describe(first) + ", not a JSON object (a record such as"
                                        + " {\"region\": \"North\", \"sales\": 10})");
                    }
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        if (seen.putIfAbsent(parser.currentName(), Boolean.TRUE) == null) {
                            limits.checkColumns(seen.size());
                        }
                        parser.nextToken();
                        parser.skipChildren();
                    }
                    if (parser.nextToken() != null) {
                        throw bad(lines.number(), "holds more than one JSON value; put one record on each line");
                    }
                } catch (StreamConstraintsException e) {
                    throw bad(lines.number(), "is nested more than " + MAX_DEPTH + " levels deep");
                } catch (JsonProcessingException e) {
                    throw bad(
                            lines.number(),
                            "is not valid JSON: " + e.getOriginalMessage() + " (column "
                                    + e.getLocation().getColumnNr() + ")");
                }
            }
        }
        if (records == 0) {
            throw new ProblemException(ProblemType.EMPTY_FILE, "The JSON Lines file holds no records.");
        }
        if (seen.isEmpty()) {
            throw new ProblemException(ProblemType.NO_COLUMNS, "The JSON Lines records have no fields.");
        }
        return new ArrayList<>(seen.keySet());
    }

    private static ProblemException bad(long line, String what) {
        return new ProblemException(
                ProblemType.UNREADABLE_FILE,
                "Line " + line + " of the JSON Lines file " + what + ". Fix that line and upload again.");
    }

    private static void value(JsonParser parser, String[] cells, CellKind[] kinds, int i) throws IOException {
        JsonCells.read(parser, cells, kinds, i, null);
    }

    private static String describe(JsonToken token) {
        return token == null
                ? "empty"
                : switch (token) {
                    case START_ARRAY -> "an array";
                    case VALUE_STRING -> "a string";
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
                    case VALUE_TRUE, VALUE_FALSE -> "a boolean";
                    case VALUE_NULL -> "null";
                    default -> token.asString();
                };
    }

    /** Lines of a UTF-8 file (BOM skipped), numbered from 1, each at most {@code maxChars} long. */
    private static final class Lines implements AutoCloseable {
        private final BufferedReader in;
        private final long maxChars;
        private final StringBuilder line = new StringBuilder();
        private long number;

        Lines(Path file, long maxChars) throws IOException {
            this.in = new BufferedReader(
                    new InputStreamReader(
                            Files.newInputStream(file),
                            StandardCharsets.UTF_8
                                    .newDecoder()
                                    .onMalformedInput(CodingErrorAction.REPORT)
                                    .onUnmappableCharacter(CodingErrorAction.REPORT)),
                    1 << 16);
            this.maxChars = maxChars;
        }

        String next() throws IOException {
            line.setLength(0);
            int c;
            try {
                c = in.read();
                if (c < 0) {
                    return null;
                }
                number++;
                if (number == 1 && c == '\uFEFF') {
                    c = in.read();
                }
                while (c >= 0 && c != '\n') {
                    if (line.length() >= maxChars) {
                        throw bad(number, "is longer than " + maxChars + " characters");
                    }
                    line.append((char) c);
                    c = in.read();
                }
            } catch (CharacterCodingException e) {
                throw bad(number, "is not UTF-8 text");
            }
            int end = line.length();
            if (end > 0 && line.charAt(end - 1) == '\r') {
                line.setLength(end - 1);
            }
            return line.toString();
        }

        long number() {
            return number;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
