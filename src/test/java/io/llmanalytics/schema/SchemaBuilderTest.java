package io.llmanalytics.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaBuilderTest {

    private static final ProfileOptions OPTIONS = new ProfileOptions(2, 5, 3, 1000);

    private static DatasetSchema build(List<String> header, String[]... rows) {
        SchemaBuilder builder = new SchemaBuilder(header, OPTIONS);
        for (String[] row : rows) {
            builder.add(row);
        }
        return builder.build("t");
    }

    @Test
    void dtypesFollowPandas() {
        DatasetSchema s = build(
                List.of("i", "in", "f", "b", "bn", "d", "o", "empty", "code"),
                new String[] {"1", "1", "1.5", "True", "True", "2024-01-01", "x", "", "007"},
                new String[] {"2", "", "2", "false", "", "2024-01-02", "3", "NA", "12"});
        assertEquals(
                List.of(
                        "int64",
                        "float64",
                        "float64",
                        "bool",
                        "object",
                        "datetime64[ns]",
                        "object",
                        "float64",
                        "object"),
                s.columns().stream().map(ColumnSchema::dtype).toList());
        assertEquals(List.of("i", "in", "f", "empty"), s.numericColumns());
        assertEquals(List.of("b", "bn", "o", "code"), s.categoricalColumns());
        assertEquals(2, s.rows());
        assertEquals(1, s.nullCounts().get("in"));
        assertEquals(2, s.nullCounts().get("empty"));
    }

    @Test
    void profileFigures() {
        DatasetSchema s = build(
                List.of("n", "t", "d"),
                new String[] {"1", "a", "2024-03-01"},
                new String[] {"2", "b", "2024-01-01"},
                new String[] {"3", "a", ""},
                new String[] {"6", "a", "2024-02-01 10:30"});
        ColumnProfile n = s.column("n").orElseThrow().profile();
        assertEquals(1.0, n.min());
        assertEquals(6.0, n.max());
        assertEquals(3.0, n.mean());
        assertEquals(Math.sqrt(14.0 / 3), n.std(), 1e-12);
        ColumnProfile t = s.column("t").orElseThrow().profile();
        assertEquals(2, t.distinct());
        assertNull(t.distinctEstimated());
        assertEquals(new ValueCount("a", 3), t.topValues().get(0));
        ColumnProfile d = s.column("d").orElseThrow().profile();
        assertEquals("2024-01-01T00:00:00", d.minDate());
        assertEquals("2024-03-01T00:00:00", d.maxDate());
        assertEquals(2, s.sample().size());
        assertEquals(1L, s.sample().get(0).get("n"));
    }

    @Test
    void distinctCountsBeyondTheBoundAreEstimated() {
        SchemaBuilder builder = new SchemaBuilder(List.of("t"), new ProfileOptions(0, 100, 3, 10_000_000));
        for (int i = 0; i < 50_000; i++) {
            builder.add(new String[] {"v" + (i % 20_000)});
        }
        ColumnProfile p = builder.build("x").columns().get(0).profile();
        assertTrue(p.distinctEstimated());
        assertTrue(Math.abs(p.distinct() - 20_000) < 1_000, "HLL estimate " + p.distinct());
    }

    @Test
    void shortRowsArePaddedLongEmptyOnesTrimmedLongFullOnesRefused() {
        SchemaBuilder builder = new SchemaBuilder(List.of("a", "b"), OPTIONS);
        assertEquals(2, builder.add(new String[] {"1"}).length);
        assertEquals(2, builder.add(new String[] {"1", "2", "", " "}).length);
        RaggedRowException e = assertThrows(RaggedRowException.class, () -> builder.add(new String[] {"1", "2", "3"}));
        assertEquals(3, e.fields());
        assertEquals(2, e.columns());
    }

    @Test
    void tooManyCellsAreRefused() {
        SchemaBuilder builder = new SchemaBuilder(List.of("a", "b"), new ProfileOptions(0, 10, 1, 10));
        assertThrows(TooManyCellsException.class, () -> {
            for (int i = 0; i < 6; i++) {
                builder.add(new String[] {"1", "2"});
            }
        });
    }

    @Test
    void namesAreMangledLikePandas() {
        assertEquals(
                List.of("id", "name", "id.1", "age", "id.2"),
                ColumnNames.normalise(Arrays.asList("id", "name", "id", "age", "id")));
        assertEquals(
                List.of("a", "Unnamed: 1", "a.1", "a.1.1"), ColumnNames.normalise(Arrays.asList("a", "", "a", "a.1")));
        assertEquals(List.of("x", "Unnamed: 1"), ColumnNames.normalise(Arrays.asList("x", null)));
    }

    @Test
    void excelBooleansCountAsNumbersWhenMixed() {
        SchemaBuilder builder = new SchemaBuilder(List.of("b", "bi", "only"), OPTIONS, CellConventions.EXCEL);
        builder.add(
                new String[] {"True", "True", "True"}, new CellKind[] {CellKind.BOOL, CellKind.BOOL, CellKind.BOOL});
        builder.add(new String[] {"", "5", "False"}, new CellKind[] {CellKind.NULL, null, CellKind.BOOL});
        DatasetSchema s = builder.build("x");
        assertEquals(
                List.of("float64", "int64", "bool"),
                s.columns().stream().map(ColumnSchema::dtype).toList());
        assertTrue(builder.needsRewrite());
        assertEquals("1", SampleValues.canonical("True", PandasType.INT64, CellConventions.EXCEL));
        assertEquals(1.0, SampleValues.typed("True", PandasType.FLOAT64));
    }
}
