package io.llmanalytics.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.llmanalytics.schema.ColumnProfile;
import io.llmanalytics.schema.ColumnSchema;
import io.llmanalytics.session.DatasetDocument;
import io.llmanalytics.sources.DatasetOrigin;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One dataset of a session (a CSV file, or one sheet of a workbook) with its own schema and profile. */
public record DatasetView(
        String name,
        @JsonProperty("default") boolean isDefault,
        long rows,
        int columns,
        List<String> columnNames,
        Map<String, String> dataTypes,
        List<String> numericColumns,
        List<String> categoricalColumns,
        List<String> dateColumns,
        Map<String, Long> nullCounts,
        List<Map<String, Object>> sample,
        Map<String, ColumnProfile> profile,

        @JsonInclude(JsonInclude.Include.NON_NULL) DatasetOrigin source) {

    public static DatasetView of(DatasetDocument d) {
        DataInfo info = DataInfo.of(d.schema());
        return new DatasetView(
                d.name(),
                d.isDefault(),
                info.rows(),
                info.columns(),
                info.columnNames(),
                info.dataTypes(),
                info.numericColumns(),
                info.categoricalColumns(),
                d.schema().dateColumns(),
                info.nullCounts(),
                info.sample(),
                profile(d),
                d.origin());
    }

    static Map<String, ColumnProfile> profile(DatasetDocument d) {
        Map<String, ColumnProfile> profile = new LinkedHashMap<>();
        for (ColumnSchema c : d.schema().columns()) {
            profile.put(c.name(), c.profile());
        }
        return profile;
    }
}
