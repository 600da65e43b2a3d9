package io.llmanalytics.sandbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

    private static ByteArrayInputStream stream(byte[]... parts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.write(part);
        }
        return new ByteArrayInputStream(out.toByteArray());
    }

    private static byte[] raw(int total, int headLength, String head) {
        byte[] h = head.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length)
                .putInt(total)
                .putInt(headLength)
                .put(h)
                .array();
    }

    @Test
    void roundTrip() throws IOException {
        ObjectNode header = FrameCodec.JSON
                .createObjectNode()
                .put("type", "result")
                .put("id", 7)
                .put("t", "é");
        ByteArrayInputStream in = stream(FrameCodec.encode(header, "{\"a\":1}".getBytes()), FrameCodec.encode(header));
        Frame first = FrameCodec.read(in, 1024);
        assertEquals("result", first.type());
        assertEquals(7, first.id());
        assertEquals("é", first.header().path("t").asText());
        assertArrayEquals("{\"a\":1}".getBytes(), first.body());
        assertEquals(0, FrameCodec.read(in, 1024).body().length);
        assertNull(FrameCodec.read(in, 1024));
    }

    @Test
    void oversizedBodiesAreSkippedKeepingTheHeader() throws IOException {
        ObjectNode header =
                FrameCodec.JSON.createObjectNode().put("type", "result").put("id", 1);
        ByteArrayInputStream in = stream(FrameCodec.encode(header, new byte[5000]), FrameCodec.encode(header));
        Frame big = FrameCodec.read(in, 1000);
        assertTrue(big.oversized());
        assertEquals(1, big.id());
        assertEquals(0, big.body().length);
        assertEquals("result", FrameCodec.read(in, 1000).type());
    }

    @Test
    void malformedFramesAreProtocolErrors() {
        assertThrows(ProtocolException.class, () -> FrameCodec.read(stream(raw(2, 0, "")), 1000));
        assertThrows(ProtocolException.class, () -> FrameCodec.read(stream(raw(10, 100, "")), 1000));
        assertThrows(
                ProtocolException.class,
                () -> FrameCodec.read(stream(raw(100, FrameCodec.MAX_HEADER + 1, "")), Integer.MAX_VALUE));
        assertThrows(ProtocolException.class, () -> FrameCodec.read(stream(raw(7, 3, "{x}")), 1000));
        assertThrows(ProtocolException.class, () -> FrameCodec.read(stream(raw(6, 2, "[]")), 1000));
        assertThrows(EOFException.class, () -> FrameCodec.read(stream(raw(50, 2, "{}")), 1000));
        assertThrows(EOFException.class, () -> FrameCodec.read(stream(raw(5000, 2, "{}")), 1000));
    }

    @Test
    void deeplyNestedBodiesAreRefusedWhenParsed() {
        String nested = "[".repeat(100) + "]".repeat(100);
        assertThrows(IOException.class, () -> FrameCodec.JSON.readTree(nested));
    }
}
