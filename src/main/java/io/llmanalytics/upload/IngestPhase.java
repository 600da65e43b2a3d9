package io.llmanalytics.upload;

/**
 * The phases of an upload's ingest, as reported in the upload response's {@code Server-Timing} header and in the
 * {@code upload.phase} timer. Phases may overlap: the original is stored while the file is parsed, the dictionary drafts
 * are made while the canonical copy is stored.
 */
public enum IngestPhase {
    /** The HTTP body received and written to the multipart file on disk (request arrival to the resource). */
    RECEIVE("receive"),
    /** The file read: format detection, parse, schema and profile, and the canonical copy written when needed. */
    PARSE("parse"),
    /** The uploaded file stored in GridFS (hashed on the way). */
    STORE_ORIGINAL("store-original"),
    /** The canonical copies stored in GridFS. */
    STORE_CANONICAL("store-canonical"),
    /** The dictionary drafts made from the profile and the integer columns. */
    DRAFTS("drafts"),
    /** The join keys between a workbook's sheets measured. */
    JOIN_KEYS("join-keys"),
    /** The session document saved. */
    SESSION("session"),
    /** The new session announced ({@code SessionCreated} observers: prefetch and insights started). */
    EVENT("event"),
    /** The work directory deleted. */
    CLEANUP("cleanup"),
    /** The whole ingest after the body was received, from work directory to cleanup. */
    INGEST("ingest");

    private final String metric;

    IngestPhase(String metric) {
        this.metric = metric;
    }

    /** Its name in {@code Server-Timing} and in the {@code phase} tag. */
    public String metric() {
        return metric;
    }
}
