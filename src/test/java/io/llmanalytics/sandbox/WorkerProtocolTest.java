package io.llmanalytics.sandbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The worker protocol's codec: every request and every reply survives encoding and decoding through real frames, and
 * what is none of the protocol's messages is a ProtocolException that names the problem.
 */
class WorkerProtocolTest {

    private static final Limits LIMITS = new Limits(5000, 6, 1L << 30, 64);
    private static final OutputBounds OUTPUT = new OutputBounds(10_000, 50, 100, 5, 2_000_000);

    /** One of each request; the compiler checks in {@link WorkerProtocol#header} that none is missing. */
    static List<WorkerRequest> everyRequest() {
        Map<String, String> dtypes = new LinkedHashMap<>();
        dtypes.put("x", "int64");
        dtypes.put("name", "object");
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("min_correlation", 0.7);
        options.put("kinds", List.of("outliers"));
        return List.of(
                new Configure("pandas\nnumpy # tables\n", 2L << 30, 600.0, false, "auto"),
                new Load(
                        3,
                        "s-1",
                        "k",
                        List.of(new DatasetSpec(
                                "sales",
                                true,
                                "/tmp/a.csv",
                                List.of("x", "name", "when"),
                                dtypes,
                                List.of("when"),
                                List.of("", "NA")))),
                new Execute(4, "s-1", "k", "result = df.x.sum()  # é", LIMITS, OUTPUT),
                new Insights(5, "s-1", "k", LIMITS, OUTPUT, options),
                new Cancel(4),
                new Evict("s-1"),
                new WorkerRequest.Stats(6),
                new Shutdown());
    }

    /** One of each reply. */
    static List<WorkerReply> everyReply() {
        ObjectNode session =
                FrameCodec.JSON.createObjectNode().put("session", "s-1").put("pid", 42);
        return List.of(
                new Ready(17, "3.11.2", "1.5.3", "1.24.2", new Confinement(true, 7, true, true, true, null, false)),
                new Loaded(3, "s-1", "k", 1234, 5678, 1),
                new LoadFailed(3, "s-1", "k", "ValueError: bad column"),
                new NotLoaded(4),
                new Result(
                        4,
                        "completed",
                        12,
                        null,
                        0,
                        null,
                        "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8),
                        false),
                new Result(4, "killed", 30, 9, null, "stopped", new byte[0], false),
                new EndOfExecution(4),
                new Evicted("s-1", "memory budget", 0, 0),
                new WorkerReply.Stats(6, 1234, FrameCodec.JSON.createArrayNode().add(session)));
    }

    @Test
    void everyRequestRoundTripsThroughAFrame() throws IOException {
        for (WorkerRequest request : everyRequest()) {
            Frame frame = FrameCodec.read(new ByteArrayInputStream(WorkerProtocol.encode(request)), 1 << 20);
            assertEquals(request, WorkerProtocol.request(frame.header()), request.toString());
        }
    }

    @Test
    void everyReplyRoundTripsThroughAFrame() throws IOException {
        for (WorkerReply reply : everyReply()) {
            Frame written = WorkerProtocol.frame(reply);
            Frame frame = FrameCodec.read(
                    new ByteArrayInputStream(FrameCodec.encode(written.header(), written.body())), 1 << 20);
            WorkerReply decoded = WorkerProtocol.decode(frame);
            if (reply instanceof Result result) {
                Result back = assertInstanceOf(Result.class, decoded);
                assertArrayEquals(result.body(), back.body());
                assertEquals(
                        new Result(
                                result.id(),
                                result.outcome(),
                                result.durationMs(),
                                result.signal(),
                                result.exitCode(),
                                result.error(),
                                back.body(),
                                false),
                        back);
            } else {
                assertEquals(reply, decoded, reply.toString());
            }
        }
    }

    @Test
    void theHeadersUseTheNamesOfProtocolPy() {
        ObjectNode exec = WorkerProtocol.header(everyRequest().get(2));
        assertEquals("exec", exec.path("op").asText());
        assertEquals(5000, exec.path("limits").path("timeout_ms").asLong());
        assertEquals(50, exec.path("output").path("max_sample_rows").asLong());
        ObjectNode load = WorkerProtocol.header(everyRequest().get(1));
        assertEquals(
                List.of("when"),
                List.of(load.path("datasets").get(0).path("date_columns").get(0).asText()));
        assertTrue(load.path("datasets").get(0).path("default").asBoolean());
        assertEquals(
                "end_of_execution",
                WorkerProtocol.frame(new EndOfExecution(9))
                        .header()
                        .path("type")
                        .asText());
    }

    @Test
    void anUnknownReplyTypeIsAProtocolErrorNamingIt() {
        ProtocolException e = assertThrows(
                ProtocolException.class, () -> WorkerProtocol.decode(frame("{\"type\": \"surprise\", \"id\": 1}")));
        assertTrue(e.getMessage().contains("unknown reply type 'surprise'"), e.getMessage());
        ProtocolException none =
                assertThrows(ProtocolException.class, () -> WorkerProtocol.decode(frame("{\"id\": 1}")));
        assertTrue(none.getMessage().contains("'type' is not a string"), none.getMessage());
    }

    @Test
    void missingOrMistypedFieldsAreProtocolErrorsNamingTheField() {
        Map<String, String> cases = Map.of(
                "{\"type\": \"result\", \"outcome\": \"completed\"}", "reply result: 'id' is not an integer",
                "{\"type\": \"result\", \"id\": 1}", "reply result: 'outcome' is not a string",
                "{\"type\": \"end_of_execution\", \"id\": \"1\"}", "reply end_of_execution: 'id' is not an integer",
                "{\"type\": \"loaded\", \"id\": 1, \"session\": \"s\", \"key\": \"k\"}",
                        "reply loaded: 'bytes' is not an integer",
                "{\"type\": \"ready\", \"pid\": 1.5}", "reply ready: 'pid' is not an integer");
        cases.forEach((header, message) -> {
            ProtocolException e = assertThrows(ProtocolException.class, () -> WorkerProtocol.decode(frame(header)));
            assertEquals(message, e.getMessage(), header);
        });
    }

    @Test
    void anUnknownRequestIsAProtocolError() {
        ObjectNode header = FrameCodec.JSON.createObjectNode().put("op", "format-disk");
        ProtocolException e = assertThrows(ProtocolException.class, () -> WorkerProtocol.request(header));
        assertTrue(e.getMessage().contains("unknown request op 'format-disk'"), e.getMessage());
    }

    @Test
    void aReadyWithoutConfinementIsNotConfined() throws ProtocolException {
        Ready ready = assertInstanceOf(
                Ready.class,
                WorkerProtocol.decode(
                        frame("{\"type\": \"ready\", \"pid\": 1, \"python\": \"3\", \"pandas\": \"1\"}")));
        assertEquals(false, ready.confinement().mayRun());
    }

    private static Frame frame(String header) {
        try {
            return new Frame((ObjectNode) FrameCodec.JSON.readTree(header));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
