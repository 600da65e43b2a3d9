package io.llmanalytics.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/** Parses a Server-Sent Events body into events (and counts comment lines). */
public final class SseEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One event: its id, name and JSON data. */
    public record Event(String id, String name, JsonNode data) {}

    private final List<Event> events;
    private final int comments;

    private SseEvents(List<Event> events, int comments) {
        this.events = events;
        this.comments = comments;
    }

    public static SseEvents parse(String body) {
        List<Event> events = new ArrayList<>();
        int comments = 0;
        String id = null;
        String name = "message";
        StringBuilder data = new StringBuilder();
        for (String line : (body + "\n\n").split("\r?\n", -1)) {
            if (line.isEmpty()) {
                if (data.length() > 0) {
                    events.add(new Event(id, name, json(data.toString())));
                }
                id = null;
                name = "message";
                data.setLength(0);
            } else if (line.startsWith(":")) {
                comments++;
            } else if (line.startsWith("id:")) {
                id = line.substring(3).strip();
            } else if (line.startsWith("event:")) {
                name = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                if (data.length() > 0) {
                    data.append('\n');
                }
                data.append(line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5));
            }
        }
        return new SseEvents(events, comments);
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("event data is not JSON: " + text, e);
        }
    }

    public List<Event> events() {
        return events;
    }

    public int comments() {
        return comments;
    }

    public List<String> names() {
        return events.stream().map(Event::name).toList();
    }

    /** The names with the stage of status events, e.g. {@code status:generating}. */
    public List<String> sequence() {
        return events.stream()
                .map(e -> e.name().equals("status")
                        ? "status:" + e.data().get("stage").asText()
                        : e.name())
                .toList();
    }

    public List<Event> named(String name) {
        return events.stream().filter(e -> e.name().equals(name)).toList();
    }

    public Event last() {
        return events.get(events.size() - 1);
    }

    public JsonNode done() {
        Event last = last();
        if (!last.name().equals("done")) {
            throw new AssertionError("the stream ended with " + last.name() + ": " + last.data());
        }
        return last.data();
    }

    public String interpretation() {
        StringBuilder text = new StringBuilder();
        for (Event e : named("interpretation")) {
            if (e.data().path("reset").asBoolean(false)) {
                text.setLength(0);
            } else {
                text.append(e.data().path("delta").asText());
            }
        }
        return text.toString();
    }
}
