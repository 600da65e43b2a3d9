package io.llmanalytics.upload.excel;

import io.llmanalytics.schema.CellKind;

/** Excel stores every number as a double; pandas' readers make whole ones integers ({@code convert_float}). */
public final class ExcelNumbers {

    private static final double MAX_EXACT = 9.007199254740992E15;

    private ExcelNumbers() {}

    static boolean whole(double v) {
        return v == Math.rint(v) && Math.abs(v) < MAX_EXACT;
    }

    public static String text(double v) {
        return whole(v) ? Long.toString((long) v) : Double.toString(v);
    }

    public static CellKind kind(double v) {
        return whole(v) ? CellKind.INT : CellKind.FLOAT;
    }
}
