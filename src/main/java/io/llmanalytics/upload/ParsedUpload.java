package io.llmanalytics.upload;

import java.util.List;

/** What an upload turned out to be: its format and its datasets (one for text and JSON, one per sheet else). */
public record ParsedUpload(FileFormat format, List<ParsedTable> tables) {}
