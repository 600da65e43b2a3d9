package io.llmanalytics.export.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmanalytics.session.DatasetDocument;
import java.time.Instant;
import java.util.List;

/**
 * What a report shows of a session, read from the store (nothing is run again): its datasets and every finished
 * interaction in order. Both the HTML and the PDF report are written from this one record.
 *
 * @param title the session's name (its file name)
 * @param createdAt when the session was created
 * @param datasets the datasets with their profiles
 * @param entries the finished interactions, oldest first
 */
public record Report(String title, Instant createdAt, List<DatasetDocument> datasets, List<Entry> entries) {

    public Report {
        datasets = List.copyOf(datasets);
        entries = List.copyOf(entries);
    }

    /**
     * One finished interaction.
     *
     * @param number its position in the report, from 1
     * @param question the question asked
     * @param reading how the question was read (may be null)
     * @param answer the answer's text (the interpretation), or the problem that ended it
     * @param failed whether it ended without an answer
     * @param code the code that computed the answer (may be null)
     * @param result the typed result as stored (may be null)
     * @param charts the charts it drew, in drawing order
     */
    public record Entry(
            int number,
            String question,
            String reading,
            String answer,
            boolean failed,
            String code,
            JsonNode result,
            List<ChartImage> charts) {

        public Entry {
            charts = List.copyOf(charts);
        }
    }

    /**
     * One chart: its image (PNG bytes, or empty when it is not kept) and its interactive form (a Plotly figure as JSON
     * text, or null).
     */
    public record ChartImage(String mime, byte[] image, int width, int height, String specJson) {

        public boolean hasImage() {
            return image.length > 0 && mime != null && mime.startsWith("image/");
        }

        public boolean hasSpec() {
            return specJson != null && !specJson.isBlank();
        }
    }
}
