package io.llmanalytics.analyst.openai;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/**
 * Splits a Server-Sent Events byte stream into events (event name, data), across arbitrary chunk boundaries and
 * multi-byte characters. Comments and {@code id}/{@code retry} fields are ignored.
 */
final class SseParser {

    private final BiConsumer<String, String> onEvent;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean afterNewline;

    SseParser(BiConsumer<String, String> onEvent) {
        this.onEvent = onEvent;
    }

    /** Feeds the next bytes; complete events are delivered before this returns. */
    void feed(byte[] bytes) {
        for (byte b : bytes) {
            if (b == '\r') {
                continue;
            }
            pending.write(b);
            if (b != '\n') {
                afterNewline = false;
            } else if (!afterNewline) {
                afterNewline = true;
            } else {
                afterNewline = false;
                String block = pending.toString(StandardCharsets.UTF_8);
                pending.reset();
                dispatch(block);
            }
        }
    }

    /** Delivers a last event that was not followed by a blank line. */
    void finish() {
        if (pending.size() > 0) {
            String block = pending.toString(StandardCharsets.UTF_8);
            pending.reset();
            dispatch(block);
        }
    }

    private void dispatch(String block) {
        String event = null;
        StringBuilder data = null;
        for (String line : block.split("\n")) {
            if (line.isEmpty() || line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            if (field.equals("data")) {
                data = data == null
                        ? new StringBuilder(value)
                        : data.append('\n').append(value);
            } else if (field.equals("event")) {
                event = value;
            }
        }
        if (data != null) {
            onEvent.accept(event, data.toString());
        }
    }
}
