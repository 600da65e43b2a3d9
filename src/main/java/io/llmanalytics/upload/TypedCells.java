package io.llmanalytics.upload;

import io.llmanalytics.schema.CellKind;
import java.util.Locale;

/** Helpers for typed readers: how a typed value's text becomes a canonical cell of the right kind. */
public final class TypedCells {

    /** datetime64[ns] holds 1677-09-21 00:12:43.145224192 to 2262-04-11 23:47:16.854775807. */
    private static final String MIN = "1677-09-21 00:12:43.145224192";

    private static final String MAX = "2262-04-11 23:47:16.854775807";

    private TypedCells() {}

    /**
     * DATE when an ISO date or date-time ({@code yyyy-MM-dd[ HH:mm:ss[.f]]}) lies within datetime64[ns]'s range; TEXT
     * otherwise (pandas cannot hold it as a date, so the column stays text rather than losing the value).
     */
    public static CellKind dateKind(String iso) {
        if (iso.length() < 10 || iso.charAt(4) != '-' || !Character.isDigit(iso.charAt(0))) {
            return CellKind.TEXT;
        }
        if (iso.length() > 10 && iso.charAt(10) != ' ' && iso.charAt(10) != 'T') {
            return CellKind.TEXT;
        }
        String normal = iso.replace('T', ' ');
        if (normal.compareTo(MIN) < 0 || normal.compareTo(MAX) > 0) {
            return CellKind.TEXT;
        }
        return CellKind.DATE;
    }

    /** INT for integers that fit int64, BIG_INT beyond (pandas would not give int64). */
    public static CellKind integer(String text) {
        int digits = text.startsWith("-") ? text.length() - 1 : text.length();
        if (digits < 19) {
            return CellKind.INT;
        }
        try {
            Long.parseLong(text);
            return CellKind.INT;
        } catch (NumberFormatException e) {
            return CellKind.BIG_INT;
        }
    }

    /** The canonical text of a floating value: NaN is missing (null), infinities as pandas writes them. */
    public static String floating(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "nan", "-nan", "+nan" -> null;
            case "inf", "+inf", "infinity", "+infinity" -> "inf";
            case "-inf", "-infinity" -> "-inf";
            default -> text.strip();
        };
    }
}
