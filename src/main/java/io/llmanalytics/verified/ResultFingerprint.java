package io.llmanalytics.verified;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The fingerprint of a result: SHA-256 of its canonical JSON (object keys sorted, no spaces, every number written
 * as a decimal rounded to {@code digits} significant digits without trailing zeros, so {@code 3}, {@code 3.0} and
 * {@code 3.0000000001} agree at nine digits), and the numeric comparison of two results within a relative tolerance.
 */
public final class ResultFingerprint {

    /** Members of a typed result that describe types, not values: numeric comparison ignores them. */
    private static final Set<String> TYPE_MEMBERS = Set.of("dtype", "dtypes");

    private ResultFingerprint() {}

    /** {@code sha256:<hex>} of the canonical JSON of {@code result} (a JSON null for none). */
    public static String of(JsonNode result, int digits) {
        StringBuilder out = new StringBuilder();
        canonical(result, digits, out);
        try {
            byte[] hash =
                    MessageDigest.getInstance("SHA-256").digest(out.toString().getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The canonical JSON text of {@code node}. */
    static String canonical(JsonNode node, int digits) {
        StringBuilder out = new StringBuilder();
        canonical(node, digits, out);
        return out.toString();
    }

    private static void canonical(JsonNode node, int digits, StringBuilder out) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            out.append("null");
        } else if (node.isNumber()) {
            out.append(number(node, digits));
        } else if (node.isBoolean()) {
            out.append(node.booleanValue());
        } else if (node.isTextual()) {
            quote(node.textValue(), out);
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                canonical(node.get(i), digits, out);
            }
            out.append(']');
        } else {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            out.append('{');
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                quote(names.get(i), out);
                out.append(':');
                canonical(node.get(names.get(i)), digits, out);
            }
            out.append('}');
        }
    }

    private static String number(JsonNode node, int digits) {
        BigDecimal value = node.isIntegralNumber() ? new BigDecimal(node.bigIntegerValue()) : node.decimalValue();
        BigDecimal rounded = value.round(new MathContext(digits, RoundingMode.HALF_EVEN));
        return rounded.signum() == 0 ? "0" : rounded.stripTrailingZeros().toString();
    }

    private static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /**
     * Whether two results hold the same values: the same structure, the same texts, and numbers equal within the
     * relative {@code tolerance} (type members such as {@code dtypes} ignored, so {@code 3} and {@code 3.0} agree).
     */
    public static boolean equalWithin(JsonNode a, JsonNode b, double tolerance) {
        boolean aNull = a == null || a.isNull() || a.isMissingNode();
        boolean bNull = b == null || b.isNull() || b.isMissingNode();
        if (aNull || bNull) {
            return aNull && bNull;
        }
        if (a.isNumber() && b.isNumber()) {
            double x = a.doubleValue();
            double y = b.doubleValue();
            return x == y || Math.abs(x - y) <= tolerance * Math.max(Math.abs(x), Math.abs(y));
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!equalWithin(a.get(i), b.get(i), tolerance)) {
                    return false;
                }
            }
            return true;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Iterator<String> names = a.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!b.has(name)) {
                    return false;
                }
                if (!TYPE_MEMBERS.contains(name) && !equalWithin(a.get(name), b.get(name), tolerance)) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }
}
