package io.llmanalytics.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A matplotlib figure the code left open, as a base64-encoded image ({@code format} is {@code png}), and the data
 * behind it ({@code plot}: {@code {axes: [{kind, title, x_label, y_label, series: [{label, kind, x, y}]}],
 * truncated}}, read from the figure's artists; null when it could not be read).
 */
@RegisterForReflection
public record Chart(String format, int width, int height, String data, JsonNode plot) {

    public Chart(String format, int width, int height, String data) {
        this(format, width, height, data, null);
    }
}
