package io.llmanalytics.upload;

import io.llmanalytics.schema.DatasetSchema;
import java.nio.file.Path;
import java.util.List;

/**
 * One dataset read from an upload.
 *
 * @param schema its schema, profile and sample
 * @param canonical its canonical CSV, or null when the uploaded file itself is canonical
 * @param naValues the text pandas must read as missing in the canonical file
 */
public record ParsedTable(DatasetSchema schema, Path canonical, List<String> naValues) {}
