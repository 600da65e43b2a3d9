package io.llmanalytics.schema;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Date and date-time text that pandas' {@code parse_dates} reads unambiguously: ISO 8601 ({@code 2024-01-31},
 * {@code 2024-01-31 13:45:00}, {@code 2024-01-31T13:45:00.123}), {@code 2024/01/31}, and US month-first
 * ({@code 1/31/2024}, {@code 1/31/2024 1:45:00 PM}). No time zones: such text stays text. Hand-written parsing, no
 * regex, so classifying millions of cells stays cheap.
 */
public final class DateFormats {

    /** Families of formats; one column keeps to one family. */
    public enum Family {
        ISO,
        US
    }

    private static final DateTimeFormatter ISO_OUT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    private DateFormats() {}

    /** The family of a string {@link #parse} accepted. */
    static Family family(String s) {
        return isoLike(s) ? Family.ISO : Family.US;
    }

    /** The family of {@code s}, or null when it is not a valid date in a supported format. */
    public static Family match(String s) {
        if (parse(s) == Long.MIN_VALUE) {
            return null;
        }
        return isoLike(s) ? Family.ISO : Family.US;
    }

    /** Seconds since the epoch (UTC wall clock) times 1000 plus millis, or {@code Long.MIN_VALUE} when invalid. */
    public static long parse(String s) {
        int n = s.length();
        if (n < 8 || n > 32) {
            return Long.MIN_VALUE;
        }
        if (n == 10) {
            long day = isoDay(s);
            if (day != Long.MIN_VALUE) {
                return day;
            }
        }
        int[] pos = {0};
        int year;
        int month;
        int day;
        if (isoLike(s)) {
            char sep = s.charAt(4);
            year = digits(s, pos, 4, 4);
            if (year < 0 || !expect(s, pos, sep)) {
                return Long.MIN_VALUE;
            }
            month = digits(s, pos, 2, 2);
            if (month < 0 || !expect(s, pos, sep)) {
                return Long.MIN_VALUE;
            }
            day = digits(s, pos, 2, 2);
        } else {
            month = digits(s, pos, 1, 2);
            if (month < 0 || !expect(s, pos, '/')) {
                return Long.MIN_VALUE;
            }
            day = digits(s, pos, 1, 2);
            if (day < 0 || !expect(s, pos, '/')) {
                return Long.MIN_VALUE;
            }
            year = digits(s, pos, 4, 4);
        }
        if (year < 0 || day < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) {
            return Long.MIN_VALUE;
        }
        long millis = 0;
        if (pos[0] < n) {
            char sep = s.charAt(pos[0]);
            if (sep != ' ' && sep != 'T') {
                return Long.MIN_VALUE;
            }
            pos[0]++;
            millis = time(s, pos);
            if (millis < 0) {
                return Long.MIN_VALUE;
            }
        }
        return epochDay(year, month, day) * 86_400_000L + millis;
    }

    /**
     * The common {@code yyyy-MM-dd} (or {@code yyyy/MM/dd}) as epoch millis, read in one pass; {@code Long.MIN_VALUE}
     * when {@code s} is not exactly that (the general parse then decides, with the same rules).
     */
    private static long isoDay(String s) {
        char sep = s.charAt(4);
        if ((sep != '-' && sep != '/') || s.charAt(7) != sep) {
            return Long.MIN_VALUE;
        }
        int year = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
        int month = digit(s, 5) * 10 + digit(s, 6);
        int day = digit(s, 8) * 10 + digit(s, 9);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) {
            return Long.MIN_VALUE;
        }
        return epochDay(year, month, day) * 86_400_000L;
    }

    /** The digit at {@code i}, or a negative number large enough to make any sum above negative. */
    private static int digit(String s, int i) {
        char c = s.charAt(i);
        return c >= '0' && c <= '9' ? c - '0' : -100_000;
    }

    /** Milliseconds into the day of {@code HH:mm[:ss[.fff...]][ AM|PM]} at pos, or -1. */
    private static long time(String s, int[] pos) {
        int hour = digits(s, pos, 1, 2);
        if (hour < 0 || !expect(s, pos, ':')) {
            return -1;
        }
        int minute = digits(s, pos, 2, 2);
        int second = 0;
        int millis = 0;
        if (minute < 0) {
            return -1;
        }
        if (pos[0] < s.length() && s.charAt(pos[0]) == ':') {
            pos[0]++;
            second = digits(s, pos, 2, 2);
            if (second < 0) {
                return -1;
            }
            if (pos[0] < s.length() && s.charAt(pos[0]) == '.') {
                pos[0]++;
                int start = pos[0];
                int frac = digits(s, pos, 1, 9);
                if (frac < 0) {
                    return -1;
                }
                int len = pos[0] - start;
                millis = (int) (frac / Math.pow(10, Math.max(0, len - 3)) * (len < 3 ? Math.pow(10, 3 - len) : 1));
            }
        }
        if (pos[0] < s.length()) {
            int rest = pos[0];
            if (s.charAt(rest) == ' ') {
                rest++;
            }
            if (s.length() - rest != 2 || Character.toUpperCase(s.charAt(rest + 1)) != 'M') {
                return -1;
            }
            char ap = Character.toUpperCase(s.charAt(rest));
            if (hour < 1 || hour > 12 || (ap != 'A' && ap != 'P')) {
                return -1;
            }
            hour = hour % 12 + (ap == 'P' ? 12 : 0);
            pos[0] = s.length();
        }
        if (hour > 23 || minute > 59 || second > 59) {
            return -1;
        }
        return ((hour * 60L + minute) * 60 + second) * 1000 + millis;
    }

    private static boolean isoLike(String s) {
        if (s.length() < 10 || (s.charAt(4) != '-' && s.charAt(4) != '/')) {
            return false;
        }
        for (int i = 0; i < 4; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static int digits(String s, int[] pos, int min, int max) {
        int value = 0;
        int i = pos[0];
        int end = Math.min(s.length(), i + max);
        while (i < end && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            value = value * 10 + (s.charAt(i) - '0');
            i++;
        }
        if (i - pos[0] < min) {
            return -1;
        }
        pos[0] = i;
        return value;
    }

    private static boolean expect(String s, int[] pos, char c) {
        if (pos[0] < s.length() && s.charAt(pos[0]) == c) {
            pos[0]++;
            return true;
        }
        return false;
    }

    private static int daysIn(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 of a valid date (Howard Hinnant's days_from_civil), without allocating. */
    private static long epochDay(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }

    /** ISO 8601 text of epoch millis as pandas prints a Timestamp's isoformat (seconds, millis when present). */
    public static String iso(long epochMillis) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(
                Math.floorDiv(epochMillis, 1000), (int) Math.floorMod(epochMillis, 1000) * 1_000_000, ZoneOffset.UTC);
        String base = t.format(ISO_OUT);
        int millis = (int) Math.floorMod(epochMillis, 1000);
        return millis == 0 ? base : base + String.format(".%03d", millis);
    }
}
