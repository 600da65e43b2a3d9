package io.llmanalytics.api;

import io.llmanalytics.dataset.SharedColumn;
import io.llmanalytics.session.DatasetDocument;
import io.llmanalytics.upload.SessionDatasets;
import java.util.List;

/**
 * The answer to adding a file to a session: the new datasets, every dataset name of the session, and the candidate
 * join keys between them.
 */
public record DatasetsAddedResponse(
        String sessionId,
        String message,
        List<DatasetView> datasets,
        List<String> datasetNames,
        List<SharedColumn> sharedColumns) {

    public static DatasetsAddedResponse of(SessionDatasets.Added added) {
        List<String> names =
                added.session().datasets.stream().map(DatasetDocument::name).toList();
        String message = "Added "
                + added.datasets().stream()
                        .map(d -> "'" + d.name() + "' (" + d.schema().rows() + " rows x "
                                + d.schema().columns().size() + " columns)")
                        .toList()
                + "; the session has "
                + names.size() + " datasets, in dfs by name.";
        return new DatasetsAddedResponse(
                added.session().id,
                message,
                added.datasets().stream().map(DatasetView::of).toList(),
                names,
                added.session().sharedColumns);
    }
}
