package io.llmanalytics.session;

import java.util.List;

/**
 * Fired once datasets were added to a session and stored, so that the worker can load the new set.
 *
 * @param session the session with all its datasets, the new ones included
 * @param added the new datasets
 */
public record SessionDatasetsAdded(SessionDocument session, List<DatasetDocument> added) {}
