package io.llmanalytics.upload;

import io.llmanalytics.problem.Problem;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The media types an upload's declared {@code Content-Type} may name for each format, and the check that the declared
 * type agrees with what the file is. Generic types (none, {@code application/octet-stream}...) always agree: curl
 * sends {@code application/octet-stream} for every extension it does not know, and browsers send an empty type for
 * those their platform does not know. A specific type agrees when it is one of the detected format's types, or one of
 * the types of the format the file's name says (the name and the content were already reconciled by
 * {@link FormatDetector}, and browsers derive the type from the name). Parameters ({@code ; charset=utf-8}) and case
 * are ignored.
 */
public final class DeclaredType {

    /** Types that say nothing about the content. */
    static final Set<String> GENERIC = Set.of(
            "application/octet-stream",
            "binary/octet-stream",
            "application/x-binary",
            "application/binary",
            "application/unknown",
            "application/x-unknown",
            "*/*");

    // Browsers take the type from the extension (Chromium and Firefox: their own table, then the platform's:
    // shared-mime-info / /etc/mime.types on Linux, the registry on Windows, where Excel installed maps .csv to
    // application/vnd.ms-excel); httpie from Python's mimetypes (text/csv, text/tab-separated-values, text/plain,
    // application/json, the Excel types); curl -F sends application/octet-stream unless told (;type=...).
    private static final Set<String> DELIMITED = Set.of(
            "text/csv",
            "text/plain",
            "application/csv",
            "application/x-csv",
            "text/x-csv",
            "text/comma-separated-values",
            "text/x-comma-separated-values",
            "application/vnd.ms-excel",
            "text/tab-separated-values",
            "text/tsv",
            "text/x-tsv");
    private static final Set<String> EXCEL = Set.of(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.ms-excel",
            "application/vnd.ms-excel.sheet.macroenabled.12",
            "application/x-excel",
            "application/x-msexcel",
            "application/x-ms-excel",
            "application/excel",
            "application/msexcel",
            "application/zip",
            "application/x-zip-compressed");
    private static final Set<String> ODS = Set.of(
            "application/vnd.oasis.opendocument.spreadsheet",
            "application/x-vnd.oasis.opendocument.spreadsheet",
            "application/zip",
            "application/x-zip-compressed");
    private static final Set<String> JSON = Set.of("application/json", "text/json", "application/x-json", "text/plain");
    private static final Set<String> JSON_LINES = Set.of(
            "application/x-ndjson",
            "application/ndjson",
            "application/jsonl",
            "application/x-jsonl",
            "application/jsonlines",
            "application/x-jsonlines",
            "application/json",
            "text/plain");
    private static final Set<String> PARQUET = Set.of("application/vnd.apache.parquet", "application/x-parquet");
    private static final Set<String> ARROW = Set.of(
            "application/vnd.apache.arrow.file",
            "application/vnd.apache.arrow.stream",
            "application/x-feather",
            "application/x-apache-arrow");
    private static final Set<String> SQLITE =
            Set.of("application/vnd.sqlite3", "application/x-sqlite3", "application/x-sqlite");

    private DeclaredType() {}

    /** The specific media types accepted for {@code format}. */
    public static Set<String> accepted(FileFormat format) {
        return switch (format) {
            case CSV -> DELIMITED;
            case XLSX, XLS -> EXCEL;
            case ODS -> ODS;
            case JSON -> JSON;
            case JSONL -> JSON_LINES;
            case PARQUET -> PARQUET;
            case ARROW, ARROW_STREAM -> ARROW;
            case SQLITE -> SQLITE;
        };
    }

    /** The type without parameters, trimmed and in lower case; empty when none was declared. */
    static String essence(String declared) {
        if (declared == null) {
            return "";
        }
        int semicolon = declared.indexOf(';');
        return (semicolon < 0 ? declared : declared.substring(0, semicolon))
                .trim()
                .toLowerCase(Locale.ROOT);
    }

    /**
     * Refuses with a 415 problem an upload whose declared type contradicts both its detected format and the format
     * its name says.
     */
    public static void check(String declared, String fileName, FileFormat detected) {
        String type = essence(declared);
        if (type.isEmpty() || GENERIC.contains(type) || accepted(detected).contains(type)) {
            return;
        }
        String ext = FormatDetector.extension(fileName);
        FileFormat named = named(ext);
        if (named != null && accepted(named).contains(type)) {
            return;
        }
        List<String> types =
                new ArrayList<>(accepted(detected).stream().sorted().toList());
        types.add("application/octet-stream");
        String name = fileName == null || fileName.isBlank() ? "The file" : "'" + fileName + "'";
        String nameSays = ext.isEmpty()
                ? "its name has no extension"
                : "its name (." + ext + ") says " + (named == null ? "no format the service reads" : what(named));
        throw new ProblemException(Problem.of(
                        ProblemType.UNSUPPORTED_MEDIA_TYPE,
                        name + " was sent with Content-Type " + type + ", which " + says(type) + ", but " + nameSays
                                + " and its content is " + what(detected) + ". Send it with its own type ("
                                + preferred(detected) + ") or as application/octet-stream"
                                + (claimed(type).isEmpty()
                                        ? "."
                                        : "; if you meant to send " + String.join(" or ", claimed(type))
                                                + ", upload that file instead."))
                .with("declared_type", type)
                .with("detected", detected.name().toLowerCase(Locale.ROOT))
                .with("accepted_types", types));
    }

    /** The format a file extension names, or null. */
    static FileFormat named(String ext) {
        return switch (ext) {
            case "csv", "tsv", "txt", "tab", "dat" -> FileFormat.CSV;
            case "json" -> FileFormat.JSON;
            case "jsonl", "ndjson" -> FileFormat.JSONL;
            case "xlsx", "xlsm" -> FileFormat.XLSX;
            case "xls" -> FileFormat.XLS;
            case "ods" -> FileFormat.ODS;
            case "parquet" -> FileFormat.PARQUET;
            case "arrow", "feather", "ipc" -> FileFormat.ARROW;
            case "arrows" -> FileFormat.ARROW_STREAM;
            case "sqlite", "sqlite3", "db" -> FileFormat.SQLITE;
            default -> null;
        };
    }

    private static String says(String type) {
        List<String> formats = claimed(type);
        return formats.isEmpty() ? "names no table format the service reads" : "says " + String.join(" or ", formats);
    }

    /** The formats whose types include {@code type}, in words. */
    private static List<String> claimed(String type) {
        List<String> formats = new ArrayList<>();
        for (FileFormat f : FileFormat.values()) {
            String w = what(f);
            if (accepted(f).contains(type) && !formats.contains(w)) {
                formats.add(w);
            }
        }
        return formats;
    }

    private static String preferred(FileFormat format) {
        return switch (format) {
            case CSV -> "text/csv";
            case XLSX -> "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
            case XLS -> "application/vnd.ms-excel";
            case ODS -> "application/vnd.oasis.opendocument.spreadsheet";
            case JSON -> "application/json";
            case JSONL -> "application/x-ndjson";
            case PARQUET -> "application/vnd.apache.parquet";
            case ARROW -> "application/vnd.apache.arrow.file";
            case ARROW_STREAM -> "application/vnd.apache.arrow.stream";
            case SQLITE -> "application/vnd.sqlite3";
        };
    }

    private static String what(FileFormat format) {
        return switch (format) {
            case CSV -> "delimited text (CSV)";
            case XLSX, XLS -> "an Excel workbook";
            case ODS -> "an OpenDocument spreadsheet";
            case JSON -> "JSON";
            case JSONL -> "JSON Lines";
            case PARQUET -> "a Parquet file";
            case ARROW, ARROW_STREAM -> "Arrow IPC (Feather v2)";
            case SQLITE -> "an SQLite database";
        };
    }
}
