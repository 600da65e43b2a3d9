package io.llmanalytics.dictionary;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How large a dataset's data dictionary may be, and what the drafts made at upload may list. */
@ConfigMapping(prefix = "dictionary")
public interface DictionaryConfig {

    /** Longest description of a dataset, in characters ({@code DICTIONARY_MAX_DATASET_DESCRIPTION}). */
    @WithDefault("1000")
    int maxDatasetDescription();

    /** Longest description of a column, in characters ({@code DICTIONARY_MAX_DESCRIPTION}). */
    @WithDefault("500")
    int maxDescription();

    /** Longest unit of a column ("€", "%", "kg"), in characters. */
    @WithDefault("16")
    int maxUnit();

    /** Synonyms a column may have at most ({@code DICTIONARY_MAX_SYNONYMS}). */
    @WithDefault("10")
    int maxSynonyms();

    /** Longest synonym, in characters. */
    @WithDefault("60")
    int maxSynonymLength();

    /** Labelled codes a column may have at most ({@code DICTIONARY_MAX_VALUES}). */
    @WithDefault("50")
    int maxValues();

    /** Longest code or label of a value, in characters. */
    @WithDefault("80")
    int maxValueLength();

    /** Largest dictionary file accepted by {@code POST .../dictionary}, in bytes. */
    @WithDefault("1048576")
    long maxFileBytes();

    /** A column with at most this many distinct values is drafted as a code column (its codes listed, unlabelled). */
    @WithDefault("12")
    int draftMaxCodes();
}
