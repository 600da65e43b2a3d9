package io.llmanalytics.analyst;

import io.llmanalytics.dataset.SharedColumn;
import io.llmanalytics.dictionary.DataDictionary;
import io.llmanalytics.schema.DatasetSchema;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What code generation needs for one attempt.
 *
 * @param question the user's question (trimmed, 1..1000 characters)
 * @param datasets the session's datasets; the first is {@code df}, all are in {@code dfs} by name
 * @param context previous interactions, oldest first (the prompt keeps the last {@code CONTEXT_LOOKBACK})
 * @param privacy whether no cell value may reach the LLM (names, dtypes and counts only)
 * @param attempt the attempt number, from 1
 * @param previous the failed attempt to repair, or null on the first attempt
 * @param sharedColumns candidate join keys between the datasets, with their measured value overlap
 * @param examples verified questions close to this one and their code, shown to the model as data (at most three)
 * @param dictionaries the datasets' data dictionaries by dataset name (datasets without one are left out)
 */
public record CodeRequest(
        String question,
        List<DatasetSchema> datasets,
        List<Interaction> context,
        boolean privacy,
        int attempt,
        PreviousAttempt previous,
        List<SharedColumn> sharedColumns,
        List<VerifiedExample> examples,
        Map<String, DataDictionary> dictionaries) {

    /** A request without verified examples or dictionaries. */
    public CodeRequest(
            String question,
            List<DatasetSchema> datasets,
            List<Interaction> context,
            boolean privacy,
            int attempt,
            PreviousAttempt previous,
            List<SharedColumn> sharedColumns) {
        this(question, datasets, context, privacy, attempt, previous, sharedColumns, List.of(), Map.of());
    }

    /** A request without join keys (a session with one dataset). */
    public CodeRequest(
            String question,
            List<DatasetSchema> datasets,
            List<Interaction> context,
            boolean privacy,
            int attempt,
            PreviousAttempt previous) {
        this(question, datasets, context, privacy, attempt, previous, List.of());
    }

    public CodeRequest {
        Objects.requireNonNull(question, "question");
        if (datasets == null || datasets.isEmpty()) {
            throw new IllegalArgumentException("a code request needs at least one dataset");
        }
        datasets = List.copyOf(datasets);
        context = context == null ? List.of() : List.copyOf(context);
        sharedColumns = sharedColumns == null ? List.of() : List.copyOf(sharedColumns);
        examples = examples == null ? List.of() : List.copyOf(examples);
        dictionaries = dictionaries == null ? Map.of() : Map.copyOf(dictionaries);
        attempt = Math.max(1, attempt);
    }

    /** A first attempt. */
    public static CodeRequest first(
            String question, List<DatasetSchema> datasets, List<Interaction> context, boolean privacy) {
        return new CodeRequest(question, datasets, context, privacy, 1, null);
    }

    /** The next attempt, repairing {@code failed}. */
    public CodeRequest retry(PreviousAttempt failed) {
        return new CodeRequest(
                question, datasets, context, privacy, attempt + 1, failed, sharedColumns, examples, dictionaries);
    }

    /** This request with the session's candidate join keys. */
    public CodeRequest withSharedColumns(List<SharedColumn> shared) {
        return new CodeRequest(question, datasets, context, privacy, attempt, previous, shared, examples, dictionaries);
    }

    /** This request with verified examples close to its question. */
    public CodeRequest withExamples(List<VerifiedExample> verified) {
        return new CodeRequest(
                question, datasets, context, privacy, attempt, previous, sharedColumns, verified, dictionaries);
    }

    /** This request with the datasets' data dictionaries. */
    public CodeRequest withDictionaries(Map<String, DataDictionary> byDataset) {
        return new CodeRequest(
                question, datasets, context, privacy, attempt, previous, sharedColumns, examples, byDataset);
    }

    /** The dictionary of a dataset; empty when it has none. */
    public DataDictionary dictionary(String dataset) {
        return dictionaries.getOrDefault(dataset, DataDictionary.EMPTY);
    }

    /** The dataset bound to {@code df}. */
    public DatasetSchema primary() {
        return datasets.get(0);
    }
}
