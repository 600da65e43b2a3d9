package io.llmanalytics.schema;

/** Cell text as the JSON value pandas would show for it in a column of the given dtype. */
public final class SampleValues {

    private SampleValues() {}

    /** Cell text as the canonical CSV writes it for a column of the given dtype (null = missing). */
    public static String canonical(String cell, PandasType type, CellConventions conventions) {
        if (CellClassifier.isNa(cell)) {
            return null;
        }
        if (type.numeric() && CellClassifier.isBool(cell)) {
            return CellClassifier.parseBool(cell) ? "1" : "0";
        }
        return switch (type) {
            case INT64 -> cell.strip();
            case FLOAT64 -> conventions.decimalComma() ? cell.strip().replace(',', '.') : cell.strip();
            case BOOL -> CellClassifier.parseBool(cell) ? "True" : "False";
            case DATETIME64 -> DateFormats.iso(DateFormats.parse(cell)).replace('T', ' ');
            case OBJECT -> cell;
        };
    }

    public static Object typed(String cell, PandasType type) {
        return typed(cell, type, CellConventions.TEXT);
    }

    public static Object typed(String cell, PandasType type, CellConventions conventions) {
        boolean decimalComma = conventions.decimalComma();
        if (CellClassifier.isNa(cell)) {
            return null;
        }
        return switch (type) {
            case INT64 ->
                CellClassifier.isBool(cell) ? (CellClassifier.parseBool(cell) ? 1L : 0L) : CellClassifier.toLong(cell);
            case FLOAT64 -> {
                double v = CellClassifier.isBool(cell)
                        ? (CellClassifier.parseBool(cell) ? 1 : 0)
                        : CellClassifier.toDouble(cell, decimalComma);
                yield Double.isInfinite(v) ? (v > 0 ? "inf" : "-inf") : v;
            }
            case BOOL -> CellClassifier.parseBool(cell);
            case DATETIME64 -> DateFormats.iso(DateFormats.parse(cell));
            case OBJECT -> cell;
        };
    }
}
