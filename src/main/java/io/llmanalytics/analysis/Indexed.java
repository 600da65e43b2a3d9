package io.llmanalytics.analysis;

/**
 * An event of a batch's stream: an event of question {@code index} (0-based, in the order asked), or (index null) the
 * batch's own closing {@link AnalysisEvent.BatchDone}. The index is added to the event's data when it is written.
 */
public record Indexed(Integer index, AnalysisEvent event) {}
