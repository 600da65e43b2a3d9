package io.llmanalytics.analyst;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks that every number an interpretation states can be traced to the executed result. Analyst-independent: the
 * OpenAI and the offline analyst both use it.
 *
 * <p>A stated number is grounded when it matches, after rounding to the precision it is written with (a unit of its
 * last digit, or cut there; "about 1,200" also matches 1,234: within 5% for numbers ending in zeros), one of:
 * <ul>
 * <li>a number of the result (values, numeric labels, numbers inside texts such as dates), a count (length, rows,
 * columns, entries), or a number of the question;</li>
 * <li>within a group of numbers that belong together (a series, a table column or row, a list): their total, mean,
 * the running totals of the largest ones, and among the twelve largest the sum, difference and ratio of two;</li>
 * <li>for percentages ({@code %}, "percent"): a number of the result as is or times 100 (a fraction), one number as a
 * percentage of another or of its group's total, a percentage change between two, or the share of the largest
 * ones.</li>
 * </ul>
 * Scale words are understood ({@code 1.2 million}, {@code 3.4k}, {@code $2.5bn}); signs are ignored (a fall of 5 is
 * a difference of -5). Ordinals ({@code 2nd}), numbers glued to letters ({@code Q3}, {@code FY2023}) and list markers
 * are not figures and are not checked; dates written as {@code 2023-01-31} must appear in the result's texts.
 */
public final class GroundingChecker {

    private static final Pattern CODE_SPAN = Pattern.compile("`[^`]*`");
    private static final Pattern LIST_MARKER = Pattern.compile("(?m)^\\s*\\d{1,2}[.)]\\s");
    private static final Pattern DATE =
            Pattern.compile("(?<![\\w-])(\\d{4}-\\d{2}(?:-\\d{2})?)(?:[T ][\\d:.]+)?(?![\\w-])");
    private static final Pattern NUMBER =
            Pattern.compile("(?<![\\p{L}\\p{N}_.,])([-+−]?)([$€£¥]\\s?)?(\\d{1,3}(?:,\\d{3})+|\\d+)(\\.\\d+)?"
                    + "(\\s?(?:%|percent\\b|per cent\\b|pct\\b|thousand\\b|million\\b|billion\\b|trillion\\b"
                    + "|mn\\b|bn\\b|tn\\b|k\\b|K\\b|M\\b|B\\b|T\\b))?");
    private static final int PAIRWISE_LIMIT = 12;
    private static final int SHARE_COLUMNS = 5;

    private GroundingChecker() {}

    /**
     * @param text the interpretation
     * @param result the worker's typed result JSON
     * @param question the user's question (its numbers, e.g. "top 5", count as grounded); may be null
     */
    public static Grounding check(String text, JsonNode result, String question) {
        return check(text, result, null, question);
    }

    /**
     * Checks against the whole result: the sample's own values (they are values of the whole result) and the
     * {@code summary} the worker computed over every row (count, total, mean, highest, lowest, first, last).
     * Aggregates of a sample that was cut (its total, mean, running totals, pairs of its largest values, its length)
     * are never candidates: a number found only there is not grounded.
     *
     * @param summary the worker's facts of the whole result; null when it sent none
     */
    public static Grounding check(String text, JsonNode result, ResultSummary summary, String question) {
        if (text == null || text.isBlank()) {
            return Grounding.OK;
        }
        ResultFacts facts = ResultFacts.of(result);
        if (summary != null) {
            summary.labels().forEach(facts::text); // the day of the highest value may lie beyond the sample
        }
        Candidates candidates = Candidates.of(facts, summary, question);
        Set<String> ungrounded = new LinkedHashSet<>();
        String body = CODE_SPAN.matcher(text).replaceAll(" ");
        body = LIST_MARKER.matcher(body).replaceAll(" ");
        Matcher dates = DATE.matcher(body);
        StringBuilder withoutDates = new StringBuilder();
        while (dates.find()) {
            String date = dates.group(1);
            if (facts.texts.stream().noneMatch(t -> t.contains(date))) {
                ungrounded.add(dates.group());
            }
            dates.appendReplacement(withoutDates, " ");
        }
        dates.appendTail(withoutDates);
        body = withoutDates.toString();
        Matcher m = NUMBER.matcher(body);
        while (m.find()) {
            int end = m.end();
            if (m.group(5) == null && end < body.length() && Character.isLetter(body.charAt(end))) {
                continue; // 2nd, 10x, 5kg: not a figure of the result
            }
            Stated stated = Stated.parse(m);
            if (!candidates.supports(stated)) {
                ungrounded.add(m.group().strip());
            }
        }
        return ungrounded.isEmpty() ? Grounding.OK : new Grounding(false, List.copyOf(ungrounded));
    }

    /** A number as written: its value, its precision and whether it is a percentage. */
    record Stated(double value, double unit, boolean percent, boolean roundish) {

        static Stated parse(Matcher m) {
            String integer = m.group(3).replace(",", "");
            String fraction = m.group(4) == null ? "" : m.group(4);
            String suffix = m.group(5) == null ? "" : m.group(5).strip().toLowerCase(Locale.ROOT);
            double value = Double.parseDouble(integer + fraction);
            int decimals = fraction.isEmpty() ? 0 : fraction.length() - 1;
            double unit = Math.pow(10, -decimals);
            boolean percent = suffix.equals("%")
                    || suffix.startsWith("percent")
                    || suffix.startsWith("per cent")
                    || suffix.equals("pct");
            double scale = switch (suffix) {
                case "k", "thousand" -> 1e3;
                case "m", "million", "mn" -> 1e6;
                case "b", "billion", "bn" -> 1e9;
                case "t", "trillion", "tn" -> 1e12;
                default -> 1;
            };
            int trailingZeros = 0;
            if (decimals == 0 && scale == 1) {
                for (int i = integer.length() - 1; i > 0 && integer.charAt(i) == '0'; i--) {
                    trailingZeros++;
                }
            }
            return new Stated(value * scale, unit * scale, percent, trailingZeros > 0);
        }

        boolean matches(double candidate) {
            double c = Math.abs(candidate);
            double diff = Math.abs(value - c);
            double epsilon = 1e-9 * Math.max(1, c);
            if (diff <= unit / 2 + epsilon) {
                return true; // rounded
            }
            if (c >= value - epsilon && c < value + unit - epsilon) {
                return true; // truncated
            }
            return roundish && c > 0 && diff / c <= 0.05;
        }
    }

    /** The numbers a result supports, sorted for lookup. */
    private static final class Candidates {
        private final double[] plain;
        private final double[] percents;

        private Candidates(double[] plain, double[] percents) {
            this.plain = plain;
            this.percents = percents;
        }

        static Candidates of(ResultFacts facts, ResultSummary summary, String question) {
            List<Double> plain = new ArrayList<>(facts.values);
            plain.addAll(facts.counts);
            List<Double> percents = new ArrayList<>(facts.values);
            for (double v : facts.values) {
                percents.add(v * 100);
            }
            for (List<Double> group : facts.groups) {
                derive(group, plain, percents);
            }
            if (summary != null) {
                plain.addAll(summary.numbers());
                percents.addAll(summary.percents());
                if (summary.columns().size() <= SHARE_COLUMNS) {
                    for (ResultSummary.Column c : summary.columns()) {
                        if (c.sum() != null && c.sum() != 0) {
                            for (List<Double> group : facts.cutGroups) {
                                group.forEach(v -> percents.add(v / c.sum() * 100)); // a value's share of the whole
                            }
                        }
                    }
                }
            }
            if (question != null) {
                Matcher m = NUMBER.matcher(question);
                while (m.find()) {
                    double v = Stated.parse(m).value();
                    plain.add(v);
                    percents.add(v);
                }
            }
            return new Candidates(sorted(plain), sorted(percents));
        }

        private static void derive(List<Double> group, List<Double> plain, List<Double> percents) {
            double total = 0;
            for (double v : group) {
                total += v;
            }
            plain.add(total);
            plain.add(total / group.size());
            Double[] desc = group.toArray(Double[]::new);
            Arrays.sort(desc, (a, b) -> Double.compare(b, a));
            double running = 0;
            for (double v : desc) {
                running += v;
                plain.add(running);
                if (total != 0) {
                    percents.add(running / total * 100);
                }
            }
            for (double v : group) {
                if (total != 0) {
                    percents.add(v / total * 100);
                }
            }
            int n = Math.min(desc.length, PAIRWISE_LIMIT);
            for (int i = 0; i < n; i++) {
                double a = desc[i];
                for (int j = 0; j < n; j++) {
                    if (i == j) {
                        continue;
                    }
                    double b = desc[j];
                    if (i < j) {
                        plain.add(a + b);
                        plain.add(a - b);
                    }
                    if (b != 0) {
                        percents.add(a / b * 100);
                        percents.add((a - b) / b * 100);
                        plain.add(a / b);
                    }
                }
            }
        }

        boolean supports(Stated stated) {
            double[] pool = stated.percent() ? percents : plain;
            return near(pool, stated) || (!stated.percent() && stated.value() == 0 && near(plain, stated));
        }

        private static boolean near(double[] pool, Stated stated) {
            double tolerance = Math.max(stated.unit(), stated.roundish() ? stated.value() * 0.05 : 0) + 1e-9;
            int from = lowerBound(pool, stated.value() - tolerance * 1.1);
            for (int i = from; i < pool.length && pool[i] <= stated.value() + tolerance * 1.1; i++) {
                if (stated.matches(pool[i])) {
                    return true;
                }
            }
            return false;
        }

        private static int lowerBound(double[] pool, double value) {
            int lo = 0;
            int hi = pool.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (pool[mid] < value) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        private static double[] sorted(List<Double> values) {
            return values.stream()
                    .filter(v -> v != null && Double.isFinite(v))
                    .mapToDouble(Math::abs)
                    .sorted()
                    .toArray();
        }
    }
}
