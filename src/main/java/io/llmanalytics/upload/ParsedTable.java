package io.llmanalytics.upload;

import io.llmanalytics.schema.DatasetSchema;
import io.llmanalytics.schema.FoldedIntegers;
import java.nio.file.Path;
import java.util.List;

/**
 * One dataset read from an upload.
 *
 * @param schema its schema, profile and sample
 * @param canonical its canonical CSV, or null when the uploaded file itself is canonical
 * @param naValues the text pandas must read as missing in the canonical file
 * @param integers what the read gathered of the integer columns of the file the dataset is read from (the upload when
 *     it is itself canonical, else its canonical copy) for the dictionary drafts, when that file's lines are its
 *     records; null otherwise (the drafts scan the file)
 */
public record ParsedTable(DatasetSchema schema, Path canonical, List<String> naValues, FoldedIntegers integers) {

    public ParsedTable(DatasetSchema schema, Path canonical, List<String> naValues) {
        this(schema, canonical, naValues, null);
    }
}
