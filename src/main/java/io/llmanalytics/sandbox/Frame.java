package io.llmanalytics.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One message of the worker protocol: a JSON header and an opaque body. {@code oversized} frames had a body larger
 * than the reader accepts; it was skipped and {@code body} is empty.
 */
record Frame(ObjectNode header, byte[] body, boolean oversized) {

    Frame(ObjectNode header) {
        this(header, new byte[0], false);
    }

    String type() {
        return header.path("type").asText("");
    }

    long id() {
        return header.path("id").asLong(-1);
    }
}
