package io.llmanalytics.upload;

import io.llmanalytics.problem.Problem;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Decides what an upload is from its content first (Parquet, Arrow, zip and OLE2 signatures, JSON) and its name
 * second. The two must agree: a file named for a binary format without that format's signature, or a file with a
 * binary signature named for another format, is refused with a message saying what the content is.
 */
public final class FormatDetector {

    /** "SQLite format 3" and a NUL: the first 16 bytes of every SQLite 3 database. */
    private static final int[] SQLITE_MAGIC = {
        'S', 'Q', 'L', 'i', 't', 'e', ' ', 'f', 'o', 'r', 'm', 'a', 't', ' ', '3', 0
    };

    private FormatDetector() {}

    public static FileFormat detect(String fileName, byte[] head, int length) {
        String ext = extension(fileName);
        String content = signature(head, length);
        if (content != null) {
            return byContent(fileName, ext, content, head, length);
        }
        if (startsWith(head, length, 0x50, 0x4B, 0x03, 0x04)) {
            if (ext.equals("ods")) {
                throw mismatch(fileName, ext, "a zip archive that is not an OpenDocument spreadsheet");
            }
            if (ext.isEmpty() || ext.equals("xlsx") || ext.equals("xlsm") || ext.equals("csv") || ext.equals("xls")) {
                return FileFormat.XLSX;
            }
            if (NAMED.containsKey(ext)) {
                throw mismatch(fileName, ext, "a zip archive");
            }
            throw unsupported(fileName, "a zip archive");
        }
        if (startsWith(head, length, 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1)) {
            if (ext.isEmpty() || ext.equals("xls") || ext.equals("xlsx") || ext.equals("csv")) {
                return FileFormat.XLS;
            }
            if (NAMED.containsKey(ext)) {
                throw mismatch(fileName, ext, "an OLE2 (Microsoft Office 97) document");
            }
            throw unsupported(fileName, "an OLE2 (Microsoft Office 97) document");
        }
        if (startsWith(head, length, SQLITE_MAGIC)) {
            if (ext.isEmpty() || ext.equals("sqlite") || ext.equals("sqlite3") || ext.equals("db")) {
                return FileFormat.SQLITE;
            }
            throw unsupported(fileName, "an SQLite database named ." + ext + " (name it .sqlite or .db)");
        }
        return switch (ext) {
            case "csv", "tsv", "txt", "tab", "dat" -> FileFormat.CSV;
            case "json" -> FileFormat.JSON;
            case "jsonl", "ndjson" -> {
                if (!startsWithObject(head, length)) {
                    throw mismatch(fileName, ext, describeText(head, length));
                }
                yield FileFormat.JSONL;
            }
            case "xlsx", "xlsm", "xls" ->
                throw new ProblemException(
                        ProblemType.UNREADABLE_FILE,
                        "The file is named ." + ext + " but is not an Excel workbook (no workbook signature): it may be"
                                + " corrupt, or another format renamed.");
            case "sqlite", "sqlite3", "db" ->
                throw new ProblemException(
                        ProblemType.UNREADABLE_FILE,
                        "The file is named ." + ext
                                + " but is not an SQLite database (no 'SQLite format 3' header): it may"
                                + " be corrupt, encrypted, or another format renamed.");
            case "parquet", "arrow", "feather", "ipc", "arrows", "ods" ->
                throw mismatch(fileName, ext, describeText(head, length));
            case "" -> looksLikeJson(head, length) ? FileFormat.JSON : FileFormat.CSV;
            default -> throw unsupported(fileName, "." + ext);
        };
    }

    /** What each binary-format extension promises. */
    private static final Map<String, String> NAMED = Map.of(
            "parquet",
            "a Parquet file",
            "arrow",
            "an Arrow IPC file",
            "feather",
            "a Feather (Arrow IPC) file",
            "ipc",
            "an Arrow IPC file or stream",
            "arrows",
            "an Arrow IPC stream",
            "ods",
            "an OpenDocument spreadsheet",
            "jsonl",
            "a JSON Lines file",
            "ndjson",
            "a JSON Lines file");

    /** The binary format the content's signature names, or null. */
    private static String signature(byte[] head, int length) {
        if (startsWith(head, length, 'P', 'A', 'R', '1')) {
            return "parquet";
        }
        if (startsWith(head, length, 'P', 'A', 'R', 'E')) {
            return "parquet-encrypted";
        }
        if (startsWith(head, length, 'A', 'R', 'R', 'O', 'W', '1')) {
            return "arrow";
        }
        if (startsWith(head, length, 0xFF, 0xFF, 0xFF, 0xFF) && length >= 8) {
            return "arrow-stream";
        }
        if (startsWith(head, length, 'F', 'E', 'A', '1')) {
            return "feather-v1";
        }
        if (startsWith(head, length, 0x50, 0x4B, 0x03, 0x04)
                && length >= 38 + ODS_MIME.length
                && Arrays.equals(head, 30, 38, MIMETYPE, 0, 8)
                && Arrays.equals(head, 38, 38 + ODS_MIME.length, ODS_MIME, 0, ODS_MIME.length)) {
            return "ods";
        }
        return null;
    }

    private static final byte[] MIMETYPE = "mimetype".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ODS_MIME =
            "application/vnd.oasis.opendocument.spreadsheet".getBytes(StandardCharsets.US_ASCII);

    private static FileFormat byContent(String fileName, String ext, String content, byte[] head, int length) {
        return switch (content) {
            case "parquet" -> expect(fileName, ext, FileFormat.PARQUET, "a Parquet file", "parquet");
            case "parquet-encrypted" ->
                throw new ProblemException(
                        ProblemType.UNREADABLE_FILE,
                        "'" + fileName
                                + "' is a Parquet file with an encrypted footer; the service holds no keys. Upload it without"
                                + " encryption.");
            case "arrow" ->
                expect(
                        fileName,
                        ext,
                        FileFormat.ARROW,
                        "an Arrow IPC (Feather v2) file",
                        "arrow",
                        "feather",
                        "ipc",
                        "arrows");
            case "arrow-stream" ->
                expect(
                        fileName,
                        ext,
                        FileFormat.ARROW_STREAM,
                        "an Arrow IPC stream",
                        "arrows",
                        "ipc",
                        "arrow",
                        "feather");
            case "feather-v1" ->
                throw new ProblemException(
                        ProblemType.UNREADABLE_FILE,
                        "'" + fileName
                                + "' is a Feather version 1 file, which is no longer supported; save it again as Feather v2"
                                + " (pandas: df.to_feather(path) with pyarrow 0.17 or later) or as Parquet.");
            case "ods" -> expect(fileName, ext, FileFormat.ODS, "an OpenDocument spreadsheet", "ods");
            default -> throw new IllegalStateException(content);
        };
    }

    private static FileFormat expect(String fileName, String ext, FileFormat format, String what, String... names) {
        if (ext.isEmpty()) {
            return format;
        }
        for (String n : names) {
            if (n.equals(ext)) {
                return format;
            }
        }
        throw new ProblemException(Problem.of(
                        ProblemType.UNREADABLE_FILE,
                        "'" + fileName + "' is named ." + ext
                                + " but its content is " + what + " (by its signature bytes). Rename it ." + names[0]
                                + " if that is what it is, or upload the intended file.")
                .with("detected", format.name().toLowerCase(Locale.ROOT)));
    }

    private static ProblemException mismatch(String fileName, String ext, String actual) {
        return new ProblemException(
                ProblemType.UNREADABLE_FILE,
                "'" + fileName + "' is named ." + ext + ", which"
                        + " promises " + NAMED.getOrDefault(ext, "another format") + ", but its content is " + actual
                        + " (the signature bytes do not match). Upload the file in the format its name says, or rename it.");
    }

    private static String describeText(byte[] head, int length) {
        int printable = 0;
        for (int i = 0; i < length; i++) {
            int b = head[i] & 0xff;
            if (b >= 0x20 || b == '\n' || b == '\r' || b == '\t') {
                printable++;
            }
        }
        if (length > 0 && printable == length) {
            if (looksLikeJson(head, length)) {
                return "JSON text";
            }
            return startsWithObject(head, length) ? "JSON text" : "text (such as CSV)";
        }
        return "unrecognised binary data";
    }

    private static boolean startsWithObject(byte[] head, int length) {
        for (int i = 0; i < length; i++) {
            int b = head[i] & 0xff;
            if (b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == 0xEF || b == 0xBB || b == 0xBF) {
                continue;
            }
            return b == '{';
        }
        return true;
    }

    private static ProblemException unsupported(String fileName, String what) {
        return new ProblemException(Problem.of(
                        ProblemType.UNSUPPORTED_MEDIA_TYPE,
                        "'" + fileName + "' is " + what + ", which is not supported. Accepted: " + FileFormat.ACCEPTED
                                + ".")
                .with("accepted", FileFormat.EXTENSIONS));
    }

    static String extension(String fileName) {
        if (fileName == null) {
            return "";
        }
        String name = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static boolean looksLikeJson(byte[] head, int length) {
        for (int i = 0; i < length; i++) {
            int b = head[i] & 0xff;
            if (b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == 0xEF || b == 0xBB || b == 0xBF) {
                continue;
            }
            return b == '[';
        }
        return false;
    }

    private static boolean startsWith(byte[] head, int length, int... signature) {
        if (length < signature.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            if ((head[i] & 0xff) != signature[i]) {
                return false;
            }
        }
        return true;
    }
}
