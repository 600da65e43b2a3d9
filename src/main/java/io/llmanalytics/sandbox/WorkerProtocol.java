package io.llmanalytics.sandbox;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmanalytics.sandbox.WorkerReply.EndOfExecution;
import io.llmanalytics.sandbox.WorkerReply.Evicted;
import io.llmanalytics.sandbox.WorkerReply.LoadFailed;
import io.llmanalytics.sandbox.WorkerReply.Loaded;
import io.llmanalytics.sandbox.WorkerReply.NotLoaded;
import io.llmanalytics.sandbox.WorkerReply.Ready;
import io.llmanalytics.sandbox.WorkerReply.Result;
import io.llmanalytics.sandbox.WorkerRequest.Cancel;
import io.llmanalytics.sandbox.WorkerRequest.Configure;
import io.llmanalytics.sandbox.WorkerRequest.DatasetSpec;
import io.llmanalytics.sandbox.WorkerRequest.Evict;
import io.llmanalytics.sandbox.WorkerRequest.Execute;
import io.llmanalytics.sandbox.WorkerRequest.Insights;
import io.llmanalytics.sandbox.WorkerRequest.Limits;
import io.llmanalytics.sandbox.WorkerRequest.Load;
import io.llmanalytics.sandbox.WorkerRequest.OutputBounds;
import io.llmanalytics.sandbox.WorkerRequest.Shutdown;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The codec of the worker protocol (described once, in {@code worker/protocol.py}): {@link WorkerRequest} records to
 * frame headers and frames to {@link WorkerReply} records. Both directions are written for both kinds, so that a
 * test can round-trip every message; a frame that is not one of the replies (an unknown type, a missing or mistyped
 * field) is a {@link ProtocolException} naming what is wrong.
 */
final class WorkerProtocol {

    private static final TypeReference<Map<String, Object>> OPTIONS = new TypeReference<>() {};

    private WorkerProtocol() {}

    /** The frame of a request. */
    static byte[] encode(WorkerRequest request) {
        return FrameCodec.encode(header(request));
    }

    static ObjectNode header(WorkerRequest request) {
        ObjectNode header = FrameCodec.JSON.createObjectNode();
        switch (request) {
            case Configure c ->
                header.put("op", "configure")
                        .put("allowed_modules", c.allowedModules())
                        .put("memory_budget", c.memoryBudget())
                        .put("allow_unconfined", c.allowUnconfined())
                        .put("landlock", c.landlock())
                        .put("idle_seconds", c.idleSeconds());
            case Load l -> {
                header.put("op", "load")
                        .put("id", l.id())
                        .put("session", l.session())
                        .put("key", l.key());
                ArrayNode specs = header.putArray("datasets");
                l.datasets().forEach(spec -> specs.add(spec(spec)));
            }
            case Execute e -> {
                header.put("op", "exec")
                        .put("id", e.id())
                        .put("session", e.session())
                        .put("key", e.key())
                        .put("code", e.code());
                header.set("limits", limits(e.limits()));
                header.set("output", output(e.output()));
                if (!e.bindings().isEmpty()) {
                    ObjectNode bindings = header.putObject("bindings");
                    e.bindings().forEach(bindings::set);
                }
            }
            case Insights i -> {
                header.put("op", "insights")
                        .put("id", i.id())
                        .put("session", i.session())
                        .put("key", i.key());
                header.set("limits", limits(i.limits()));
                header.set("output", output(i.output()));
                header.set("options", FrameCodec.JSON.valueToTree(i.options()));
            }
            case Cancel c -> header.put("op", "cancel").put("id", c.id());
            case Evict e -> header.put("op", "evict").put("session", e.session());
            case WorkerRequest.Stats s -> header.put("op", "stats").put("id", s.id());
            case Shutdown s -> header.put("op", "shutdown");
        }
        return header;
    }

    /** The request a header carries (the worker's side of the codec; for tests and test workers). */
    static WorkerRequest request(ObjectNode header) throws ProtocolException {
        Fields f = new Fields(header, "request " + header.path("op").asText("without an op"));
        String op = f.text("op");
        return switch (op) {
            case "configure" ->
                new Configure(
                        f.text("allowed_modules"),
                        f.number("memory_budget"),
                        f.decimal("idle_seconds"),
                        f.flag("allow_unconfined"),
                        f.text("landlock"));
            case "load" -> {
                List<DatasetSpec> specs = new ArrayList<>();
                for (JsonNode spec : f.array("datasets")) {
                    specs.add(spec(spec));
                }
                yield new Load(f.number("id"), f.text("session"), f.text("key"), specs);
            }
            case "exec" ->
                new Execute(
                        f.number("id"),
                        f.text("session"),
                        f.text("key"),
                        f.text("code"),
                        limits(f.object("limits")),
                        output(f.object("output")));
            case "insights" ->
                new Insights(
                        f.number("id"),
                        f.text("session"),
                        f.text("key"),
                        limits(f.object("limits")),
                        output(f.object("output")),
                        FrameCodec.JSON.convertValue(f.object("options"), OPTIONS));
            case "cancel" -> new Cancel(f.number("id"));
            case "evict" -> new Evict(f.text("session"));
            case "stats" -> new WorkerRequest.Stats(f.number("id"));
            case "shutdown" -> new Shutdown();
            default -> throw new ProtocolException("unknown request op '" + op + "'");
        };
    }

    /** The reply a frame carries; a ProtocolException when it is none of the replies. */
    static WorkerReply decode(Frame frame) throws ProtocolException {
        ObjectNode header = frame.header();
        Fields f = new Fields(header, "reply " + header.path("type").asText("without a type"));
        String type = f.text("type");
        return switch (type) {
            case "ready" ->
                new Ready(
                        f.number("pid"),
                        f.text("python"),
                        f.text("pandas"),
                        header.path("numpy").asText(""),
                        Confinement.of(header.get("confinement")));
            case "loaded" ->
                new Loaded(
                        f.number("id"),
                        f.text("session"),
                        f.text("key"),
                        f.number("bytes"),
                        f.number("cached_bytes"),
                        (int) f.number("sessions"));
            case "load_failed" ->
                new LoadFailed(
                        f.number("id"),
                        header.path("session").asText(""),
                        header.path("key").asText(""),
                        header.path("error").asText("unknown error"));
            case "not_loaded" -> new NotLoaded(f.number("id"));
            case "result" ->
                new Result(
                        f.number("id"),
                        f.text("outcome"),
                        header.path("duration_ms").asDouble(0),
                        header.path("signal").isInt() ? header.path("signal").asInt() : null,
                        header.path("exit_code").isInt()
                                ? header.path("exit_code").asInt()
                                : null,
                        header.path("error").isTextual() ? header.path("error").asText() : null,
                        frame.body(),
                        frame.oversized());
            case "end_of_execution" -> new EndOfExecution(f.number("id"));
            case "evicted" ->
                new Evicted(
                        f.text("session"),
                        header.path("reason").asText(""),
                        header.path("cached_bytes").asLong(0),
                        header.path("sessions").asInt(0));
            case "stats" ->
                new WorkerReply.Stats(
                        f.number("id"), header.path("cached_bytes").asLong(0), header.path("sessions"));
            default -> throw new ProtocolException("unknown reply type '" + type + "'");
        };
    }

    /** The frame of a reply (the worker's side of the codec; for tests and test workers). */
    static Frame frame(WorkerReply reply) {
        ObjectNode header = FrameCodec.JSON.createObjectNode();
        byte[] body = new byte[0];
        switch (reply) {
            case Ready r -> {
                header.put("type", "ready")
                        .put("pid", r.pid())
                        .put("python", r.python())
                        .put("pandas", r.pandas())
                        .put("numpy", r.numpy());
                Confinement c = r.confinement();
                header.putObject("confinement")
                        .put("confined", c.confined())
                        .put("landlock_abi", c.landlockAbi())
                        .put("filesystem", c.filesystem())
                        .put("network", c.network())
                        .put("signals", c.signals())
                        .put("problem", c.problem())
                        .put("allow_unconfined", c.allowUnconfined());
            }
            case Loaded l ->
                header.put("type", "loaded")
                        .put("id", l.id())
                        .put("session", l.session())
                        .put("key", l.key())
                        .put("bytes", l.bytes())
                        .put("cached_bytes", l.cachedBytes())
                        .put("sessions", l.sessions());
            case LoadFailed l ->
                header.put("type", "load_failed")
                        .put("id", l.id())
                        .put("session", l.session())
                        .put("key", l.key())
                        .put("error", l.error());
            case NotLoaded n -> header.put("type", "not_loaded").put("id", n.id());
            case Result r -> {
                header.put("type", "result")
                        .put("id", r.id())
                        .put("outcome", r.outcome())
                        .put("duration_ms", r.durationMs());
                if (r.signal() != null) {
                    header.put("signal", r.signal());
                }
                if (r.exitCode() != null) {
                    header.put("exit_code", r.exitCode());
                }
                if (r.error() != null) {
                    header.put("error", r.error());
                }
                body = r.body();
            }
            case EndOfExecution e -> header.put("type", "end_of_execution").put("id", e.id());
            case Evicted e ->
                header.put("type", "evicted")
                        .put("session", e.session())
                        .put("reason", e.reason())
                        .put("cached_bytes", e.cachedBytes())
                        .put("sessions", e.sessions());
            case WorkerReply.Stats s -> {
                header.put("type", "stats").put("id", s.id()).put("cached_bytes", s.cachedBytes());
                header.set("sessions", s.sessions());
            }
        }
        return new Frame(header, body, false);
    }

    private static ObjectNode spec(DatasetSpec spec) {
        ObjectNode node = FrameCodec.JSON
                .createObjectNode()
                .put("name", spec.name())
                .put("default", spec.isDefault())
                .put("path", spec.path());
        ArrayNode columns = node.putArray("columns");
        spec.columns().forEach(columns::add);
        ObjectNode dtypes = node.putObject("dtypes");
        spec.dtypes().forEach(dtypes::put);
        ArrayNode dates = node.putArray("date_columns");
        spec.dateColumns().forEach(dates::add);
        ArrayNode naValues = node.putArray("na_values");
        spec.naValues().forEach(naValues::add);
        return node;
    }

    private static DatasetSpec spec(JsonNode node) throws ProtocolException {
        if (!(node instanceof ObjectNode object)) {
            throw new ProtocolException("a dataset of a load request is not an object");
        }
        Fields f = new Fields(object, "dataset");
        Map<String, String> dtypes = new LinkedHashMap<>();
        f.object("dtypes")
                .properties()
                .forEach(e -> dtypes.put(e.getKey(), e.getValue().asText()));
        return new DatasetSpec(
                f.text("name"),
                f.flag("default"),
                f.text("path"),
                f.texts("columns"),
                dtypes,
                f.texts("date_columns"),
                f.texts("na_values"));
    }

    private static ObjectNode limits(Limits limits) {
        return FrameCodec.JSON
                .createObjectNode()
                .put("timeout_ms", limits.timeoutMs())
                .put("cpu_seconds", limits.cpuSeconds())
                .put("address_space_headroom", limits.addressSpaceHeadroom())
                .put("max_open_files", limits.maxOpenFiles());
    }

    private static Limits limits(ObjectNode node) throws ProtocolException {
        Fields f = new Fields(node, "limits");
        return new Limits(
                f.number("timeout_ms"),
                f.number("cpu_seconds"),
                f.number("address_space_headroom"),
                f.number("max_open_files"));
    }

    private static ObjectNode output(OutputBounds output) {
        return FrameCodec.JSON
                .createObjectNode()
                .put("max_output", output.maxOutput())
                .put("max_sample_rows", output.maxSampleRows())
                .put("max_series_items", output.maxSeriesItems())
                .put("max_figures", output.maxFigures())
                .put("max_figure_bytes", output.maxFigureBytes());
    }

    private static OutputBounds output(ObjectNode node) throws ProtocolException {
        Fields f = new Fields(node, "output");
        return new OutputBounds(
                f.number("max_output"),
                f.number("max_sample_rows"),
                f.number("max_series_items"),
                f.number("max_figures"),
                f.number("max_figure_bytes"));
    }

    /** Typed reads of a header's fields; a missing or mistyped one is a ProtocolException naming it. */
    private record Fields(ObjectNode node, String what) {

        String text(String name) throws ProtocolException {
            JsonNode value = node.get(name);
            if (value == null || !value.isTextual()) {
                throw missing(name, "a string");
            }
            return value.asText();
        }

        long number(String name) throws ProtocolException {
            JsonNode value = node.get(name);
            if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
                throw missing(name, "an integer");
            }
            return value.asLong();
        }

        double decimal(String name) throws ProtocolException {
            JsonNode value = node.get(name);
            if (value == null || !value.isNumber()) {
                throw missing(name, "a number");
            }
            return value.asDouble();
        }

        boolean flag(String name) throws ProtocolException {
            JsonNode value = node.get(name);
            if (value == null || !value.isBoolean()) {
                throw missing(name, "a boolean");
            }
            return value.asBoolean();
        }

        ObjectNode object(String name) throws ProtocolException {
            if (node.get(name) instanceof ObjectNode object) {
                return object;
            }
            throw missing(name, "an object");
        }

        ArrayNode array(String name) throws ProtocolException {
            if (node.get(name) instanceof ArrayNode array) {
                return array;
            }
            throw missing(name, "a list");
        }

        List<String> texts(String name) throws ProtocolException {
            List<String> texts = new ArrayList<>();
            for (JsonNode item : array(name)) {
                if (!item.isTextual()) {
                    throw missing(name, "a list of strings");
                }
                texts.add(item.asText());
            }
            return texts;
        }

        private ProtocolException missing(String name, String kind) {
            return new ProtocolException(what + ": '" + name + "' is not " + kind);
        }
    }
}
