package io.llmanalytics.upload;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import java.nio.file.Path;
import java.util.Optional;

/** Uploads: what is accepted and how much of it is kept as sample and profile. */
@ConfigMapping(prefix = "upload")
public interface UploadConfig {

    /** Largest accepted upload ({@code MAX_UPLOAD_SIZE}), e.g. {@code 100M} or a number of bytes. */
    @WithDefault("100M")
    MemorySize maxSize();

    /** Most cells (rows x columns) a dataset may have ({@code MAX_DATAFRAME_SIZE}). */
    @WithDefault("100000000")
    @Positive long maxCells();

    /** Rows kept as a dataset's sample ({@code DEFAULT_SAMPLE_ROWS}). */
    @WithDefault("5")
    @Min(0) @Max(1000) int sampleRows();

    /** Most columns a dataset may have. */
    @WithDefault("10000")
    @Positive int maxColumns();

    /** Longest cell accepted, in characters. */
    @WithDefault("1000000")
    @Positive int maxCellChars();

    /** Distinct values counted exactly per text column before the count is estimated. */
    @WithDefault("10000")
    @Positive int distinctExactBound();

    /** Most frequent values reported per text column. */
    @WithDefault("5")
    @Min(0) @Max(100) int topValues();

    /** Directory for temporary files while ingesting; the system temp directory when absent. */
    Optional<Path> workDir();

    /**
     * New sessions' uploads parsed while they arrive, at most, at once ({@code UPLOAD_STREAMING_RECEIVES}): each holds a
     * worker thread while its body arrives, so slow clients cannot take the whole pool. An upload beyond them is read
     * first and parsed after, without holding a thread; 0 reads every upload that way.
     */
    @WithDefault("16")
    @Min(0) int streamingReceives();
}
