package io.llmanalytics.upload;

import java.util.Locale;

import io.llmanalytics.problem.Problem;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;

/** Decides what an upload is from its content first (zip and OLE2 signatures, JSON) and its name second. */
public final class FormatDetector {

    /** "SQLite format 3" and a NUL: the first 16 bytes of every SQLite 3 database. */
    private static final int[] SQLITE_MAGIC = { 'S', 'Q', 'L', 'i', 't', 'e', ' ', 'f', 'o', 'r', 'm', 'a', 't', ' ', '3', 0 };

    private FormatDetector() {
    }

    public static FileFormat detect(String fileName, byte[] head, int length) {
        String ext = extension(fileName);
        if (startsWith(head, length, 0x50, 0x4B, 0x03, 0x04)) {
            if (ext.isEmpty() || ext.equals("xlsx") || ext.equals("xlsm") || ext.equals("csv") || ext.equals("xls")) {
                return FileFormat.XLSX;
            }
            throw unsupported(fileName, "a zip archive");
        }
        if (startsWith(head, length, 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1)) {
            if (ext.isEmpty() || ext.equals("xls") || ext.equals("xlsx") || ext.equals("csv")) {
                return FileFormat.XLS;
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
            case "xlsx", "xlsm", "xls" -> throw new ProblemException(ProblemType.UNREADABLE_FILE,
                    "The file is named ." + ext + " but is not an Excel workbook (no workbook signature): it may be"
                            + " corrupt, or another format renamed.");
            case "sqlite", "sqlite3", "db" -> throw new ProblemException(ProblemType.UNREADABLE_FILE,
                    "The file is named ." + ext + " but is not an SQLite database (no 'SQLite format 3' header): it may"
                            + " be corrupt, encrypted, or another format renamed.");
            case "" -> looksLikeJson(head, length) ? FileFormat.JSON : FileFormat.CSV;
            default -> throw unsupported(fileName, "." + ext);
        };
    }

    private static ProblemException unsupported(String fileName, String what) {
        return new ProblemException(Problem.of(ProblemType.UNSUPPORTED_MEDIA_TYPE,
                "'" + fileName + "' is " + what + ", which is not supported. Accepted: " + FileFormat.ACCEPTED + ".")
                .with("accepted", java.util.List.of(".csv", ".tsv", ".txt", ".xlsx", ".xls", ".json", ".sqlite", ".sqlite3", ".db")));
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
