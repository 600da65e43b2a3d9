package io.llmanalytics.sandbox;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A matplotlib figure the code left open, as a base64-encoded image ({@code format} is {@code png}). */
@RegisterForReflection
public record Chart(String format, int width, int height, String data) {
}
