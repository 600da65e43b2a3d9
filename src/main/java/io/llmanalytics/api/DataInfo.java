package io.llmanalytics.api;

import io.llmanalytics.schema.DatasetSchema;
import java.util.List;
import java.util.Map;

/** The shape of a dataset, with the fields the original design names. */
public record DataInfo(
        long rows,
        int columns,
        List<String> columnNames,
        Map<String, String> dataTypes,
        List<String> numericColumns,
        List<String> categoricalColumns,
        Map<String, Long> nullCounts,
        List<Map<String, Object>> sample) {

    public static DataInfo of(DatasetSchema schema) {
        return new DataInfo(
                schema.rows(),
                schema.columns().size(),
                schema.columnNames(),
                schema.dataTypes(),
                schema.numericColumns(),
                schema.categoricalColumns(),
                schema.nullCounts(),
                schema.sample());
    }
}
