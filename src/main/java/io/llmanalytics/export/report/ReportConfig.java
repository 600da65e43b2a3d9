package io.llmanalytics.export.report;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Reports of a session (HTML and PDF): how much of each answer they hold. */
@ConfigMapping(prefix = "reports")
public interface ReportConfig {

    /** Rows of one result table a report shows at most; it says how many were left out (REPORT_MAX_TABLE_ROWS). */
    @WithDefault("50")
    int maxTableRows();

    /** Characters of one answer's text or code a report shows at most (REPORT_MAX_TEXT_CHARS). */
    @WithDefault("20000")
    int maxTextChars();

    /**
     * Bytes a report may have at most (REPORT_MAX_BYTES): charts are left out (named as such) once the report would
     * grow past it, so that a session of many large charts still gives a bounded file.
     */
    @WithDefault("52428800")
    long maxBytes();
}
