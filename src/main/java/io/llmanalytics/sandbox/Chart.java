package io.llmanalytics.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A figure the code drew (matplotlib) or built (Plotly), as a base64-encoded image ({@code format} is {@code png}),
 * the data behind a matplotlib figure ({@code plot}: {@code {axes: [{kind, title, x_label, y_label, series: [{label,
 * kind, x, y}]}], truncated}}, read from the figure's artists; null when it could not be read or for Plotly figures),
 * and its interactive form ({@code spec}: a Plotly figure {@code {data, layout}}, at most {@link #MAX_SPEC_CHARS}
 * characters of JSON; null when there is none, {@code specNote} then says why, or what was cut).
 */
@RegisterForReflection
public record Chart(String format, int width, int height, String data, JsonNode plot, JsonNode spec, String specNote) {

    /**
     * The largest spec kept, in characters of JSON: the worker's own bound ({@code chartspec.MAX_SPEC_BYTES}, 512 KiB)
     * checked again on this side of the pipe.
     */
    public static final int MAX_SPEC_CHARS = 512 * 1024;

    public Chart(String format, int width, int height, String data) {
        this(format, width, height, data, null, null, null);
    }

    public Chart(String format, int width, int height, String data, JsonNode plot) {
        this(format, width, height, data, plot, null, null);
    }
}
