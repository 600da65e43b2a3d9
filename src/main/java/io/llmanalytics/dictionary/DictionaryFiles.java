package io.llmanalytics.dictionary;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import com.opencsv.RFC4180ParserBuilder;
import com.opencsv.exceptions.CsvException;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a dictionary file: CSV with a header {@code column,description,unit,synonyms,values} (synonyms separated by
 * {@code ;}, values written {@code code=label;code=label}; only {@code column} is required) or JSON of the same shape
 * as {@code PUT .../dictionary}. Anything else is a 415.
 */
public final class DictionaryFiles {

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private DictionaryFiles() {}

    /** The dictionary in {@code file}, whose format comes from its media type or else its name. */
    public static DataDictionary read(Path file, String fileName, String contentType, long maxBytes) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        String name = fileName == null ? "" : fileName.toLowerCase(Locale.ROOT);
        try {
            if (Files.size(file) > maxBytes) {
                throw new ProblemException(
                        ProblemType.PAYLOAD_TOO_LARGE,
                        "A dictionary file may have at most " + maxBytes + " bytes; this one has " + Files.size(file)
                                + ".");
            }
            if (type.startsWith("application/json")
                    || type.isEmpty() && name.endsWith(".json")
                    || type.equals("application/octet-stream") && name.endsWith(".json")) {
                return json(file);
            }
            if (type.startsWith("text/csv")
                    || type.isEmpty() && name.endsWith(".csv")
                    || (type.equals("application/octet-stream") || type.startsWith("text/plain"))
                            && name.endsWith(".csv")) {
                return csv(file);
            }
        } catch (IOException e) {
            throw new ProblemException(
                    ProblemType.BAD_REQUEST, "The dictionary file could not be read: " + e.getMessage());
        }
        throw new ProblemException(
                ProblemType.UNSUPPORTED_MEDIA_TYPE,
                "A dictionary file is CSV (text/csv, columns column,description,unit,synonyms,values) or JSON"
                        + " (application/json, the body of PUT .../dictionary); this one was declared '"
                        + (contentType == null ? "" : contentType) + "' and named '" + fileName + "'.");
    }

    static DataDictionary json(Path file) {
        try {
            return JSON.readValue(file.toFile(), DataDictionary.class);
        } catch (IOException e) {
            throw new ProblemException(
                    ProblemType.BAD_REQUEST,
                    "The dictionary file is not JSON of the form {description, columns: {<column>: {description, unit,"
                            + " synonyms: [...], values: {<code>: <label>}}}}: " + firstLine(e.getMessage()));
        }
    }

    static DataDictionary csv(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVReader reader = new CSVReaderBuilder(in)
                        .withCSVParser(new RFC4180ParserBuilder().build())
                        .build()) {
            List<String[]> rows = reader.readAll();
            if (rows.isEmpty()) {
                throw new ProblemException(ProblemType.BAD_REQUEST, "The dictionary file is empty.");
            }
            Map<String, Integer> header = new LinkedHashMap<>();
            String[] names = rows.get(0);
            for (int i = 0; i < names.length; i++) {
                header.put(names[i].replace("\uFEFF", "").strip().toLowerCase(Locale.ROOT), i);
            }
            List<String> unknown = new ArrayList<>(header.keySet());
            unknown.removeAll(List.of("column", "description", "unit", "synonyms", "values"));
            if (!header.containsKey("column") || !unknown.isEmpty()) {
                throw new ProblemException(
                        ProblemType.BAD_REQUEST,
                        "A dictionary CSV has the header column,description,unit,synonyms,values (only column is"
                                + " required); this one has " + header.keySet() + ".");
            }
            Map<String, ColumnEntry> columns = new LinkedHashMap<>();
            for (int r = 1; r < rows.size(); r++) {
                String[] row = rows.get(r);
                String column = cell(row, header, "column");
                if (column == null) {
                    if (String.join("", row).isBlank()) {
                        continue;
                    }
                    throw new ProblemException(ProblemType.BAD_REQUEST, "Row " + (r + 1) + " names no column.");
                }
                if (columns.containsKey(column)) {
                    throw new ProblemException(
                            ProblemType.BAD_REQUEST, "Row " + (r + 1) + " describes column '" + column + "' again.");
                }
                List<String> synonyms = new ArrayList<>();
                String s = cell(row, header, "synonyms");
                if (s != null) {
                    for (String part : s.split(";")) {
                        if (!part.isBlank()) {
                            synonyms.add(part.strip());
                        }
                    }
                }
                Map<String, String> values = new LinkedHashMap<>();
                String v = cell(row, header, "values");
                if (v != null) {
                    for (String part : v.split(";")) {
                        if (part.isBlank()) {
                            continue;
                        }
                        int eq = part.indexOf('=');
                        if (eq <= 0) {
                            throw new ProblemException(
                                    ProblemType.BAD_REQUEST,
                                    "Row " + (r + 1) + ": values are written code=label;code=label, not '"
                                            + part.strip() + "'.");
                        }
                        values.put(
                                part.substring(0, eq).strip(),
                                part.substring(eq + 1).strip());
                    }
                }
                columns.put(
                        column,
                        new ColumnEntry(
                                cell(row, header, "description"), cell(row, header, "unit"), synonyms, values, null));
            }
            return new DataDictionary(null, columns);
        } catch (CsvException e) {
            throw new ProblemException(
                    ProblemType.BAD_REQUEST, "The dictionary CSV could not be parsed: " + firstLine(e.getMessage()));
        }
    }

    private static String cell(String[] row, Map<String, Integer> header, String name) {
        Integer i = header.get(name);
        if (i == null || i >= row.length || row[i].isBlank()) {
            return null;
        }
        return row[i].strip();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        String line = message.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
