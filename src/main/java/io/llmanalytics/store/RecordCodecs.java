package io.llmanalytics.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.BsonReader;
import org.bson.BsonType;
import org.bson.BsonValue;
import org.bson.BsonWriter;
import org.bson.codecs.Codec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.EncoderContext;
import org.bson.codecs.configuration.CodecProvider;
import org.bson.codecs.configuration.CodecRegistry;
import org.bson.codecs.record.RecordCodecProvider;

/**
 * Lets the driver store Java records (the schema and profile records inside session documents), including fields
 * declared as {@code Object} (sample values: numbers, text, booleans, nulls, lists and maps).
 */
public class RecordCodecs implements CodecProvider {

    private final RecordCodecProvider records = new RecordCodecProvider();

    @Override
    @SuppressWarnings("unchecked")
    public <T> Codec<T> get(Class<T> clazz, CodecRegistry registry) {
        if (clazz == Object.class) {
            return (Codec<T>) new ObjectCodec(registry);
        }
        return records.get(clazz, registry);
    }

    /** Encodes by the value's runtime class; decodes by BSON type into plain Java values. */
    static final class ObjectCodec implements Codec<Object> {

        private final CodecRegistry registry;

        ObjectCodec(CodecRegistry registry) {
            this.registry = registry;
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public void encode(BsonWriter writer, Object value, EncoderContext context) {
            if (value == null) {
                writer.writeNull();
            } else if (value instanceof Map<?, ?> map) {
                writer.writeStartDocument();
                map.forEach((k, v) -> {
                    writer.writeName(String.valueOf(k));
                    encode(writer, v, context);
                });
                writer.writeEndDocument();
            } else if (value instanceof List<?> list) {
                writer.writeStartArray();
                list.forEach(v -> encode(writer, v, context));
                writer.writeEndArray();
            } else {
                Codec codec = registry.get(value.getClass());
                context.encodeWithChildContext(codec, writer, value);
            }
        }

        @Override
        public Object decode(BsonReader reader, DecoderContext context) {
            BsonType type = reader.getCurrentBsonType();
            return switch (type) {
                case NULL -> {
                    reader.readNull();
                    yield null;
                }
                case INT32 -> (long) reader.readInt32();
                case INT64 -> reader.readInt64();
                case DOUBLE -> reader.readDouble();
                case BOOLEAN -> reader.readBoolean();
                case STRING -> reader.readString();
                case DATE_TIME -> Instant.ofEpochMilli(reader.readDateTime());
                case DOCUMENT -> {
                    Map<String, Object> map = new LinkedHashMap<>();
                    reader.readStartDocument();
                    while (reader.readBsonType() != BsonType.END_OF_DOCUMENT) {
                        String name = reader.readName();
                        map.put(name, decode(reader, context));
                    }
                    reader.readEndDocument();
                    yield map;
                }
                case ARRAY -> {
                    List<Object> list = new ArrayList<>();
                    reader.readStartArray();
                    while (reader.readBsonType() != BsonType.END_OF_DOCUMENT) {
                        list.add(decode(reader, context));
                    }
                    reader.readEndArray();
                    yield list;
                }
                default -> registry.get(BsonValue.class).decode(reader, context);
            };
        }

        @Override
        public Class<Object> getEncoderClass() {
            return Object.class;
        }
    }
}
