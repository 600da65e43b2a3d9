package io.llmanalytics.sandbox;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * The worker protocol's framing (described in {@code worker/protocol.py}; the messages are {@link WorkerProtocol}'s):
 * {@code uint32 total}, then {@code uint32 header length}, a UTF-8 JSON header and an opaque body, all big-endian.
 * Reading is bounded: frames beyond {@code maxFrame} are skipped (their header is kept), headers beyond
 * {@link #MAX_HEADER} and non-JSON headers are protocol errors.
 */
final class FrameCodec {

    static final int MAX_HEADER = 4 * 1024 * 1024;

    /** Parses worker JSON with bounds on nesting and sizes; nothing else is ever done with what a child wrote. */
    static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(64)
                            .maxStringLength(32 * 1024 * 1024)
                            .maxNumberLength(400)
                            .build())
                    .build())
            .build();

    private FrameCodec() {}

    static byte[] encode(ObjectNode header, byte[] body) {
        byte[] head;
        try {
            head = JSON.writeValueAsBytes(header);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("header cannot be written as JSON", e);
        }
        ByteBuffer buffer = ByteBuffer.allocate(8 + head.length + body.length);
        buffer.putInt(4 + head.length + body.length)
                .putInt(head.length)
                .put(head)
                .put(body);
        return buffer.array();
    }

    static byte[] encode(ObjectNode header) {
        return encode(header, new byte[0]);
    }

    /** Reads one frame; null at a clean end of stream. */
    static Frame read(InputStream stream, int maxFrame) throws IOException {
        DataInputStream in = stream instanceof DataInputStream d ? d : new DataInputStream(stream);
        int first = in.read();
        if (first < 0) {
            return null;
        }
        long total = ((long) first << 24)
                | (in.readUnsignedByte() << 16)
                | (in.readUnsignedByte() << 8)
                | in.readUnsignedByte();
        if (total < 4) {
            throw new ProtocolException("frame of " + total + " bytes is shorter than its header length");
        }
        long headLength = in.readInt() & 0xffffffffL;
        if (headLength > MAX_HEADER || headLength > total - 4) {
            throw new ProtocolException("header of " + headLength + " bytes in a frame of " + total + " bytes");
        }
        byte[] head = new byte[(int) headLength];
        in.readFully(head);
        ObjectNode header = parseHeader(head);
        long bodyLength = total - 4 - headLength;
        if (total > maxFrame) {
            skip(in, bodyLength);
            return new Frame(header, new byte[0], true);
        }
        byte[] body = new byte[(int) bodyLength];
        in.readFully(body);
        return new Frame(header, body, false);
    }

    private static ObjectNode parseHeader(byte[] head) throws ProtocolException {
        try {
            JsonNode node = JSON.readTree(head);
            if (node instanceof ObjectNode object) {
                return object;
            }
            throw new ProtocolException("frame header is not a JSON object");
        } catch (ProtocolException e) {
            throw e;
        } catch (IOException e) {
            throw new ProtocolException("frame header is not JSON: " + originalMessage(e));
        }
    }

    private static void skip(DataInputStream in, long n) throws IOException {
        byte[] sink = new byte[64 * 1024];
        while (n > 0) {
            int read = in.read(sink, 0, (int) Math.min(sink.length, n));
            if (read < 0) {
                throw new EOFException("stream ended inside a frame");
            }
            n -= read;
        }
    }

    private static String originalMessage(IOException e) {
        if (e instanceof JsonProcessingException j) {
            return j.getOriginalMessage();
        }
        return e.getMessage();
    }
}
