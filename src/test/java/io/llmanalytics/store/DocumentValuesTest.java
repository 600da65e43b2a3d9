package io.llmanalytics.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Decimal128;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.LegacyUUID;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;
import org.junit.jupiter.api.Test;

/**
 * Documents go into the H2 file as BSON only when they come back equal and of the same classes; everything else is
 * written by H2's own type, and values H2's type wrote before are read as they were.
 */
class DocumentValuesTest {

    final DocumentValues values = new DocumentValues();

    /** Writes {@code value} and reads it back; the first byte written is returned in {@code first[0]}. */
    Object roundTrip(Object value, byte[] first) {
        WriteBuffer out = new WriteBuffer();
        out.put((byte) 7); // not at the start of the buffer, as in a page
        values.write(out, value);
        int end = out.position();
        out.put((byte) 9); // and followed by the next value
        ByteBuffer in = out.getBuffer().duplicate().flip();
        in.position(1);
        first[0] = in.get(1);
        if (first[0] == DocumentValues.BSON) {
            assertTrue(
                    DocumentValues.estimate((Document) value, 0) >= end - 2,
                    "the estimate bounds the BSON written: " + (end - 2) + " bytes");
        }
        Object back = values.read(in);
        assertEquals(end, in.position(), "the read stops where the value ends");
        return back;
    }

    static Document chunk(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return new Document("_id", new ObjectId())
                .append("files_id", new ObjectId())
                .append("n", 3)
                .append("data", new BinData(data));
    }

    @Test
    void aGridFsChunkIsWrittenAsBsonAndReadBackEqual() {
        Document chunk = chunk(1 << 20);
        byte[] first = new byte[1];
        Document back = (Document) roundTrip(chunk, first);
        assertEquals(DocumentValues.BSON, first[0]);
        assertEquals(chunk.keySet().stream().toList(), back.keySet().stream().toList(), "the keys, in order");
        assertEquals(chunk.get("_id"), back.get("_id"));
        assertEquals(chunk.get("files_id"), back.get("files_id"));
        assertEquals(3, back.get("n"));
        assertArrayEquals(((BinData) chunk.get("data")).getData(), ((BinData) back.get("data")).getData());
    }

    @Test
    void documentsOfPlainValuesComeBackEqualAndOfTheSameClasses() {
        List<Object> list = new ArrayList<>(List.of("a", 1, 2L));
        list.add(null);
        Document nested =
                new Document("when", Instant.ofEpochMilli(1_700_000_000_123L)).append("id", UUID.randomUUID());
        Document document = new Document("text", "héllo wörld, ✓")
                .append("nul", "a\0b")
                .append("int", Integer.MIN_VALUE)
                .append("long", Long.MAX_VALUE)
                .append("double", -0.0)
                .append("nan", Double.NaN)
                .append("yes", Boolean.TRUE)
                .append("none", null)
                .append("nested", nested)
                .append("list", list)
                .append("", "an empty key");
        byte[] first = new byte[1];
        Object back = roundTrip(document, first);
        assertEquals(DocumentValues.BSON, first[0]);
        assertEquals(document, back);
        Document d = (Document) back;
        for (Map.Entry<String, Object> e : document.entrySet()) {
            Object got = d.get(e.getKey());
            assertEquals(
                    e.getValue() == null ? null : e.getValue().getClass(),
                    got == null ? null : got.getClass(),
                    e.getKey());
        }
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits((Double) d.get("double")));
        assertEquals(ArrayList.class, d.get("list").getClass());
        assertEquals(Document.class, d.get("nested").getClass());
    }

    @Test
    void valuesBsonWouldChangeAreWrittenByH2sOwnType() {
        List<Object> others = List.of(
                new Document("when", Instant.ofEpochSecond(1_700_000_000L, 123_456_789)), // below a millisecond
                new Document("emoji", "a 😀 pair"),
                new Document("far", Instant.MAX),
                new Document("lone", "a \uD800 surrogate"),
                new Document("a\0key", 1),
                new Document("linked", new LinkedList<>(List.of(1, 2))),
                new Document("immutable", List.of(1, 2)),
                new Document("legacy", new LegacyUUID(1L, 2L)),
                new Document("decimal", new Decimal128(1L, 2L)),
                new Document("timestamp", new BsonTimestamp(42L)),
                new Document("bytes", new byte[] {1, 2, 3}),
                new Document("deep", new Document("deeper", new Document("float", 1.5f))),
                "not a document",
                42L);
        for (Object value : others) {
            byte[] first = new byte[1];
            Object back = roundTrip(value, first);
            assertNotEquals(DocumentValues.BSON, first[0], String.valueOf(value));
            if (value instanceof Document d && d.get("bytes") instanceof byte[] bytes) {
                assertArrayEquals(bytes, (byte[]) ((Document) back).get("bytes"));
            } else {
                assertEquals(value, back, String.valueOf(value));
            }
            assertEquals(value.getClass(), back.getClass());
        }
    }

    @Test
    void aDocumentNestedDeeperThanTheLimitIsWrittenByH2sOwnType() {
        Document deep = new Document("leaf", 1);
        for (int i = 0; i < 40; i++) {
            deep = new Document("level", deep);
        }
        byte[] first = new byte[1];
        assertEquals(deep, roundTrip(deep, first));
        assertNotEquals(DocumentValues.BSON, first[0]);
    }

    @Test
    void valuesWrittenByH2sOwnTypeAreReadAsBefore() {
        ObjectDataType h2 = new ObjectDataType();
        List<Object> written = List.of(chunk(4096), new Document("name", "a session").append("rows", 12L), "text", 7);
        WriteBuffer out = new WriteBuffer();
        for (Object value : written) {
            h2.write(out, value);
        }
        ByteBuffer in = out.getBuffer().duplicate().flip();
        for (Object value : written) {
            Object back = values.read(in);
            if (value instanceof Document d && d.get("data") instanceof BinData data) {
                assertArrayEquals(data.getData(), ((BinData) ((Document) back).get("data")).getData());
                assertEquals(d.get("_id"), ((Document) back).get("_id"));
            } else {
                assertEquals(value, back);
            }
        }
        assertEquals(0, in.remaining());
    }

    @Test
    void aValueIsReadFromADirectBufferToo() {
        Document chunk = chunk(1000);
        WriteBuffer out = new WriteBuffer();
        values.write(out, chunk);
        ByteBuffer heap = out.getBuffer().duplicate().flip();
        ByteBuffer direct =
                ByteBuffer.allocateDirect(heap.remaining()).put(heap).flip();
        Document back = (Document) values.read(direct);
        assertArrayEquals(((BinData) chunk.get("data")).getData(), ((BinData) back.get("data")).getData());
        assertEquals(0, direct.remaining());
    }

    @Test
    void theMemoryOfAChunkIsAtLeastItsBytes() {
        assertTrue(values.getMemory(chunk(1 << 20)) >= 1 << 20);
        assertInstanceOf(Integer.class, values.getMemory("text"));
    }
}
