package io.llmanalytics.session;

/**
 * A file kept in GridFS.
 *
 * @param id its GridFS id (hex ObjectId)
 * @param length its size in bytes
 * @param sha256 hex SHA-256 of its content
 */
public record StoredFile(String id, long length, String sha256) {}
