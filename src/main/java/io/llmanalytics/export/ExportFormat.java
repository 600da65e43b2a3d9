package io.llmanalytics.export;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import java.util.Locale;

/** The formats a dataset can be exported in. */
public enum ExportFormat {
    CSV("text/csv; charset=UTF-8", "csv"),
    XLSX("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx");

    private final String mediaType;
    private final String extension;

    ExportFormat(String mediaType, String extension) {
        this.mediaType = mediaType;
        this.extension = extension;
    }

    public String mediaType() {
        return mediaType;
    }

    public String extension() {
        return extension;
    }

    public static ExportFormat of(String name) {
        try {
            return valueOf((name == null || name.isBlank() ? "csv" : name.strip()).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "format must be csv or xlsx, not '" + name + "'.");
        }
    }
}
