package io.llmanalytics.upload.arrow;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.schema.CellKind;
import io.llmanalytics.schema.ProfileOptions;
import io.llmanalytics.schema.TooManyCellsException;
import io.llmanalytics.upload.ParsedTable;
import io.llmanalytics.upload.TableLimits;
import io.llmanalytics.upload.TypedCells;
import io.llmanalytics.upload.TypedTableWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.Decimal256Vector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.Float2Vector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.LargeVarBinaryVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.BaseListVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.util.ValueVectorUtility;

/**
 * Reads Arrow IPC files (Feather v2, {@code ARROW1} magic) and Arrow IPC streams record batch by record batch with
 * Apache Arrow Java (bounds-checked buffers, an allocator capped at {@link #MAX_BATCH_BYTES}), so a fuzzed or hostile
 * file fails with a 400 instead of exhausting memory. Columns become what {@code pd.read_feather} gives, within the
 * dtypes a canonical dataset has: integers int64 (float64 with NaN), floats and decimals float64, booleans bool,
 * dates and timestamps datetime64[ns] (zoned ones in UTC; out of datetime64[ns]'s range the column stays text),
 * dictionary-encoded columns as their values, text as text, binary as UTF-8 text (hex when not UTF-8), lists and
 * structs as their JSON text. Blocking: call it on a worker thread.
 */
public final class ArrowTableReader {

    /** Most memory one record batch (with its dictionaries) may take. */
    static final long MAX_BATCH_BYTES = 512L << 20;

    private final ProfileOptions options;
    private final TableLimits limits;

    public ArrowTableReader(ProfileOptions options, TableLimits limits) {
        this.options = options;
        this.limits = limits;
    }

    /** Reads an IPC file ({@code stream = false}) or an IPC stream. */
    public ParsedTable read(Path file, boolean stream, String name, Path canonicalOut) throws IOException {
        try (BufferAllocator allocator = new RootAllocator(MAX_BATCH_BYTES);
                SeekableByteChannel channel = Files.newByteChannel(file);
                ArrowReader reader =
                        stream ? new ArrowStreamReader(channel, allocator) : new ArrowFileReader(channel, allocator)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            if (reader instanceof ArrowFileReader fileReader) {
                checkBlocks(fileReader, Files.size(file));
            }
            List<Field> fields = root.getSchema().getFields();
            limits.checkColumns(fields.size());
            List<String> names = new ArrayList<>(fields.size());
            for (Field f : fields) {
                names.add(f.getName());
            }
            try (TypedTableWriter out = new TypedTableWriter(names, options, limits, canonicalOut)) {
                int width = fields.size();
                String[] cells = new String[width];
                CellKind[] kinds = new CellKind[width];
                long row = 0;
                while (reader.loadNextBatch()) {
                    validate(root, reader);
                    List<Column> columns = new ArrayList<>(width);
                    for (int c = 0; c < width; c++) {
                        columns.add(decoded(root.getVector(c), reader));
                    }
                    int count = root.getRowCount();
                    for (int r = 0; r < count; r++) {
                        row++;
                        for (int c = 0; c < width; c++) {
                            cell(columns.get(c), r, cells, kinds, c);
                        }
                        out.add(cells, kinds, row);
                    }
                }
                return out.finish(name);
            }
        } catch (OutOfMemoryException | OutOfMemoryError e) {
            // OutOfMemoryError: one allocation sized by a damaged length field was refused; nothing else was held.
            throw new ProblemException(
                    ProblemType.UNREADABLE_FILE,
                    "A record batch of the Arrow file needs more than " + (MAX_BATCH_BYTES >> 20)
                            + " MB; write it with smaller batches, or the file is corrupt.");
        } catch (ProblemException | TooManyCellsException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ProblemException(
                    ProblemType.UNREADABLE_FILE,
                    "The Arrow file cannot be read (it may be"
                            + " truncated, corrupt or use a feature this reader lacks): " + brief(e));
        }
    }

    /** Every block the footer lists must lie inside the file (a damaged length would size a huge buffer). */
    private static void checkBlocks(ArrowFileReader reader, long size) throws IOException {
        List<ArrowBlock> blocks = new ArrayList<>(reader.getRecordBlocks());
        blocks.addAll(reader.getDictionaryBlocks());
        for (var b : blocks) {
            if (b.getOffset() < 0
                    || b.getMetadataLength() < 0
                    || b.getBodyLength() < 0
                    || b.getOffset() + b.getMetadataLength() + b.getBodyLength() > size) {
                throw new IllegalStateException("a record batch lies outside the file (offset " + b.getOffset() + ")");
            }
        }
    }

    /** Structural validation (buffer sizes against value counts) before any value is read. */
    private static void validate(VectorSchemaRoot root, DictionaryProvider provider) {
        for (FieldVector v : root.getFieldVectors()) {
            ValueVectorUtility.validate(v);
            DictionaryEncoding encoding = v.getField().getDictionary();
            if (encoding != null && provider.lookup(encoding.getId()) != null) {
                ValueVectorUtility.validate(provider.lookup(encoding.getId()).getVector());
            }
        }
    }

    private static String brief(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.length() > 300 ? m.substring(0, 300) + "..." : m;
    }

    /** One column of a batch: its values, and for a dictionary-encoded column the indices into them (else null). */
    private record Column(ValueVector values, BaseIntVector indices) {}

    private static Column decoded(FieldVector vector, DictionaryProvider provider) {
        DictionaryEncoding encoding = vector.getField().getDictionary();
        if (encoding == null) {
            return new Column(vector, null);
        }
        Dictionary dictionary = provider.lookup(encoding.getId());
        if (dictionary == null || !(vector instanceof BaseIntVector indices)) {
            throw new IllegalStateException(
                    "dictionary " + encoding.getId() + " is missing or its indices are not integers");
        }
        return new Column(dictionary.getVector(), indices);
    }

    private static void cell(Column column, int r, String[] cells, CellKind[] kinds, int c) {
        ValueVector values = column.values();
        int index = r;
        if (column.indices() != null) {
            if (((ValueVector) column.indices()).isNull(r)) {
                cells[c] = null;
                kinds[c] = CellKind.NULL;
                return;
            }
            long at = column.indices().getValueAsLong(r);
            if (at < 0 || at >= values.getValueCount()) {
                throw new IllegalStateException("dictionary index " + at + " out of range in row " + (r + 1));
            }
            index = (int) at;
        }
        if (values.isNull(index)) {
            cells[c] = null;
            kinds[c] = CellKind.NULL;
            return;
        }
        String text;
        CellKind kind;
        switch (values) {
            case BitVector v -> {
                text = v.get(index) == 1 ? "True" : "False";
                kind = CellKind.BOOL;
            }
            case UInt8Vector v -> {
                text = Long.toUnsignedString(v.get(index));
                kind = TypedCells.integer(text);
            }
            case UInt1Vector v -> {
                text = Integer.toString(Byte.toUnsignedInt(v.get(index)));
                kind = CellKind.INT;
            }
            case UInt2Vector v -> {
                text = Integer.toString(v.get(index));
                kind = CellKind.INT;
            }
            case UInt4Vector v -> {
                text = Integer.toUnsignedString(v.get(index));
                kind = CellKind.INT;
            }
            case BaseIntVector v -> {
                text = Long.toString(v.getValueAsLong(index));
                kind = CellKind.INT;
            }
            case Float2Vector v -> {
                text = TypedCells.floating(Float.toString(v.getValueAsFloat(index)));
                kind = CellKind.FLOAT;
            }
            case Float4Vector v -> {
                text = TypedCells.floating(Float.toString(v.get(index)));
                kind = CellKind.FLOAT;
            }
            case Float8Vector v -> {
                text = TypedCells.floating(Double.toString(v.get(index)));
                kind = CellKind.FLOAT;
            }
            case DecimalVector v -> {
                text = plain(v.getObject(index));
                kind = CellKind.FLOAT;
            }
            case Decimal256Vector v -> {
                text = plain(v.getObject(index));
                kind = CellKind.FLOAT;
            }
            case DateDayVector v -> {
                text = LocalDate.ofEpochDay(v.get(index)).toString();
                kind = TypedCells.dateKind(text);
            }
            case DateMilliVector v -> {
                text = timestamp(Instant.ofEpochMilli(v.get(index)));
                kind = TypedCells.dateKind(text);
            }
            case TimeStampVector v -> {
                text = timestamp(instant(
                        v.get(index), ((ArrowType.Timestamp) v.getField().getType()).getUnit()));
                kind = TypedCells.dateKind(text);
            }
            case VarBinaryVector v -> {
                text = binary(v.get(index));
                kind = CellKind.TEXT;
            }
            case LargeVarBinaryVector v -> {
                text = binary(v.get(index));
                kind = CellKind.TEXT;
            }
            case FixedSizeBinaryVector v -> {
                text = binary(v.get(index));
                kind = CellKind.TEXT;
            }
            case BaseListVector v -> {
                checkNested(v, index);
                text = json(v.getObject(index));
                kind = CellKind.TEXT;
            }
            case StructVector v -> {
                text = json(v.getObject(index));
                kind = CellKind.TEXT;
            }
            default -> {
                Object o = values.getObject(index);
                text = o instanceof Map<?, ?> || o instanceof List<?> ? json(o) : String.valueOf(o);
                kind = CellKind.TEXT;
            }
        }
        cells[c] = text;
        kinds[c] = text == null ? CellKind.NULL : kind;
    }

    /** Most values one list cell may hold before it is refused (its JSON text would exceed any cell limit). */
    static final int MAX_LIST_VALUES = 100_000;

    private static void checkNested(BaseListVector v, int index) {
        long count = v instanceof FixedSizeListVector fixed
                ? fixed.getListSize()
                : v.getElementEndIndex(index) - v.getElementStartIndex(index);
        if (count > MAX_LIST_VALUES) {
            throw new ProblemException(
                    ProblemType.UNREADABLE_FILE,
                    "A list value of column '" + v.getName() + "' holds " + count + " elements; at most "
                            + MAX_LIST_VALUES + " per cell are supported.");
        }
    }

    private static String plain(BigDecimal d) {
        return d.toPlainString();
    }

    private static Instant instant(long value, TimeUnit unit) {
        return switch (unit) {
            case SECOND -> Instant.ofEpochSecond(value);
            case MILLISECOND -> Instant.ofEpochMilli(value);
            case MICROSECOND ->
                Instant.ofEpochSecond(Math.floorDiv(value, 1_000_000L), Math.floorMod(value, 1_000_000L) * 1000L);
            case NANOSECOND ->
                Instant.ofEpochSecond(Math.floorDiv(value, 1_000_000_000L), Math.floorMod(value, 1_000_000_000L));
        };
    }

    /** ISO text of a UTC instant ({@code yyyy-MM-dd HH:mm:ss[.fffffffff]}); years beyond 9999 keep their sign. */
    private static String timestamp(Instant t) {
        LocalDateTime local = LocalDateTime.ofInstant(t, ZoneOffset.UTC);
        String s = local.toString().replace('T', ' ');
        return s.length() == 16 ? s + ":00" : s;
    }

    private static String binary(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return "0x" + HexFormat.of().formatHex(bytes);
        }
    }

    private static String json(Object o) {
        return o == null ? null : o.toString();
    }
}
