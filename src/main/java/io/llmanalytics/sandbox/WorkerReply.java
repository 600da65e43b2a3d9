package io.llmanalytics.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A reply of the worker protocol, from the supervisor to the service (see {@code worker/protocol.py}, the one
 * description of the messages). {@link WorkerProtocol} decodes frames into these records and refuses anything else.
 */
sealed interface WorkerReply
        permits WorkerReply.Ready,
                WorkerReply.Loaded,
                WorkerReply.LoadFailed,
                WorkerReply.NotLoaded,
                WorkerReply.Result,
                WorkerReply.EndOfExecution,
                WorkerReply.Evicted,
                WorkerReply.Stats {

    /** The request this reply answers; -1 for the unasked ones ({@code ready}, {@code evicted}). */
    long id();

    /** The supervisor imported its libraries and tested its confinement. */
    record Ready(long pid, String python, String pandas, String numpy, Confinement confinement) implements WorkerReply {
        @Override
        public long id() {
            return -1;
        }
    }

    /** A session's datasets are in memory ({@code bytes} of its zygote's own memory). */
    record Loaded(long id, String session, String key, long bytes, long cachedBytes, int sessions)
            implements WorkerReply {}

    /** A session's datasets could not be loaded; {@code error} says why. */
    record LoadFailed(long id, String session, String key, String error) implements WorkerReply {}

    /** The execution's session is not (or not yet) loaded with that key: nothing ran. */
    record NotLoaded(long id) implements WorkerReply {}

    /**
     * How an execution ended. {@code outcome} is one of the worker's outcomes ({@code OUTCOMES} in protocol.py);
     * {@code body} is the child's JSON result, untouched, empty unless {@code completed}; {@code oversized} when the
     * body was larger than the service reads (it was skipped). Always followed by {@link EndOfExecution}.
     */
    record Result(
            long id,
            String outcome,
            double durationMs,
            Integer signal,
            Integer exitCode,
            String error,
            byte[] body,
            boolean oversized)
            implements WorkerReply {

        Result(long id, String outcome, double durationMs) {
            this(id, outcome, durationMs, null, null, null, new byte[0], false);
        }
    }

    /** The last message of an execution: its result was sent and nothing more comes for {@code id}. */
    record EndOfExecution(long id) implements WorkerReply {}

    /** The supervisor dropped a session's datasets ({@code reason}: requested, memory budget, idle, stopped...). */
    record Evicted(String session, String reason, long cachedBytes, int sessions) implements WorkerReply {
        @Override
        public long id() {
            return -1;
        }
    }

    /** What the supervisor holds, as {@code stats} reports it. */
    record Stats(long id, long cachedBytes, JsonNode sessions) implements WorkerReply {}
}
