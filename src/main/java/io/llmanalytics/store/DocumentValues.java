package io.llmanalytics.store;

import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.wire.BsonConstants;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.ObjectDataType;

/**
 * How the embedded store's H2 file holds its documents: as BSON, the way they came over the wire, instead of H2's
 * default for a value it does not know (Java serialisation). Serialising a GridFS chunk of 1 MiB went through an
 * {@code ObjectOutputStream} 1 KiB at a time into a buffer that doubled as it grew, and reading one back (a delete, a
 * download) through an {@code ObjectInputStream}: the thread that saves the store spent a third of its samples
 * growing buffers during 100 MB uploads (issue 20).
 *
 * <p>A value is written as BSON only when it reads back equal, of the same classes: a {@link Document} whose values are
 * null, strings, {@code Integer}, {@code Long}, {@code Double}, {@code Boolean}, object ids, generic binary data,
 * UUIDs, instants of whole milliseconds, and documents and {@link ArrayList}s of these, with keys BSON can hold (no
 * NUL), up to BSON's size limit. Anything else is written as before, by H2's own type. A value written as BSON starts
 * with {@link #BSON}, a tag H2's type never writes; a value without it is read by H2's type, so a store written before
 * (every value serialised) reads as it did.
 */
final class DocumentValues extends BasicDataType<Object> {

    /** The first byte of a value written as BSON: H2's {@link ObjectDataType} starts its values with 0 to 119. */
    static final byte BSON = (byte) 0xB5;

    /** H2's type, for the values BSON would not give back exactly, and for every value written before. */
    private final ObjectDataType other = new ObjectDataType();

    @Override
    public Object[] createStorage(int size) {
        return new Object[size];
    }

    @Override
    public int getMemory(Object value) {
        if (value instanceof Document document) {
            long bytes = estimate(document, 0);
            if (bytes >= 0) {
                return (int) Math.min(Integer.MAX_VALUE, bytes * 2 + 64);
            }
        }
        return other.getMemory(value);
    }

    @Override
    public void write(WriteBuffer buffer, Object value) {
        long estimate = value instanceof Document document ? estimate(document, 0) : -1;
        if (estimate < 0 || estimate > BsonConstants.MAX_BSON_OBJECT_SIZE) {
            other.write(buffer, value);
            return;
        }
        ByteBuf bson = Unpooled.buffer((int) estimate);
        try {
            BsonEncoder.encodeDocument((Document) value, bson);
            buffer.put(BSON);
            buffer.put(bson.array(), bson.arrayOffset() + bson.readerIndex(), bson.readableBytes());
        } finally {
            bson.release();
        }
    }

    @Override
    public Object read(ByteBuffer buffer) {
        int at = buffer.position();
        if (buffer.get(at) != BSON) {
            return other.read(buffer);
        }
        int length = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(at + 1);
        ByteBuf bson;
        if (buffer.hasArray()) {
            bson = Unpooled.wrappedBuffer(buffer.array(), buffer.arrayOffset() + at + 1, length);
        } else {
            byte[] copy = new byte[length];
            buffer.get(at + 1, copy);
            bson = Unpooled.wrappedBuffer(copy);
        }
        Document document = BsonDecoder.decodeBson(bson);
        buffer.position(at + 1 + length);
        return document;
    }

    /**
     * At least the size of {@code document} in BSON (strings and keys counted at 3 bytes a character, numbers at 8),
     * so that the buffer it is encoded into never grows and a document under BSON's size limit by this count is under
     * it encoded; or -1 when it holds a value that would not read back exactly.
     */
    static long estimate(Document document, int depth) {
        if (depth > 32) {
            return -1; // deeper than anything the service stores: left to H2's type
        }
        long bytes = 5;
        for (Map.Entry<String, Object> entry : document.entrySet()) {
            String key = entry.getKey();
            if (key.indexOf('\0') >= 0 || !plainUtf16(key)) {
                return -1;
            }
            long value = estimate(entry.getValue(), depth);
            if (value < 0) {
                return -1;
            }
            bytes += 2 + key.length() * 3L + value;
        }
        return bytes;
    }

    private static long estimate(Object value, int depth) {
        if (value == null || value instanceof Boolean) {
            return 1;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Double) {
            return 8;
        }
        if (value instanceof String s) {
            return plainUtf16(s) ? 5 + s.length() * 3L : -1;
        }
        if (value instanceof ObjectId) {
            return 12;
        }
        if (value instanceof BinData data) {
            return 5 + data.getData().length;
        }
        if (value instanceof UUID) {
            return 21;
        }
        if (value instanceof Instant instant) {
            return instant.getNano() % 1_000_000 == 0 && inMillis(instant) ? 8 : -1;
        }
        if (value instanceof Document nested) {
            return estimate(nested, depth + 1);
        }
        if (value.getClass() == ArrayList.class) {
            long bytes = 5;
            List<?> list = (List<?>) value;
            for (int i = 0; i < list.size(); i++) {
                long item = estimate(list.get(i), depth + 1);
                if (item < 0) {
                    return -1;
                }
                bytes += 2 + String.valueOf(i).length() + item;
            }
            return bytes;
        }
        return -1;
    }

    /** Whether {@code instant} has a BSON date: milliseconds since the epoch in a {@code long}. */
    private static boolean inMillis(Instant instant) {
        try {
            instant.toEpochMilli();
            return true;
        } catch (ArithmeticException tooFar) {
            return false;
        }
    }

    /**
     * Whether {@code s} has no surrogate characters: UTF-8 (BSON's strings) cannot hold a lone one, which would come
     * back as {@code ?}; a string with a surrogate pair is left to H2's type too, rather than checked pair by pair.
     */
    private static boolean plainUtf16(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
