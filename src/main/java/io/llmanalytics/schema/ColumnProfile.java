package io.llmanalytics.schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Figures about one column. Numeric columns have min/max/mean/std; text and boolean columns have distinct and
 * top_values; date columns have min_date/max_date. Figures that do not apply are null and left out of JSON.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ColumnProfile(
        String dtype,
        long nulls,
        Double min,
        Double max,
        Double mean,
        Double std,
        Long distinct,
        Boolean distinctEstimated,
        List<ValueCount> topValues,
        String minDate,
        String maxDate) {

    /** The profile of a date column: its nulls and the first and last date (epoch milliseconds, written ISO). */
    public static ColumnProfile dates(String dtype, long nulls, long first, long last) {
        return new ColumnProfile(
                dtype, nulls, null, null, null, null, null, null, null, DateFormats.iso(first), DateFormats.iso(last));
    }
}
