package io.llmanalytics.analyst.offline;

import io.llmanalytics.schema.PandasType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a question against one dataset into {@link Parts}: every item must be accounted for (a condition, a grouping,
 * an aggregation or ranking word, a column to measure, the chart, a word naming the rows) or it is reported as a
 * problem, so that a word the analyst does not understand can never be silently ignored.
 */
final class QuestionReader {

    /** Cues that change nothing when they are not part of anything (what, which, and, or, that...). */
    private static final Set<Cue> SOFT = EnumSet.of(
            Cue.WHICH,
            Cue.WHO,
            Cue.FOLLOW,
            Cue.REFER,
            Cue.AND,
            Cue.OR,
            Cue.VALUES,
            Cue.LIST,
            Cue.RANK,
            Cue.HOW_MUCH,
            Cue.DISTINCT,
            Cue.ASCENDING_ORDER);

    private static final Set<Cue> SUPERLATIVES = EnumSet.of(
            Cue.HIGH,
            Cue.LOW,
            Cue.EXPENSIVE,
            Cue.CHEAP,
            Cue.OLDEST,
            Cue.YOUNGEST,
            Cue.COMMON,
            Cue.RARE,
            Cue.LATEST,
            Cue.EARLIEST);
    private static final Set<Cue> TASKS = EnumSet.of(
            Cue.MISSING,
            Cue.COLUMNS,
            Cue.ROWS,
            Cue.SHAPE,
            Cue.TYPES,
            Cue.DESCRIBE,
            Cue.CORRELATION,
            Cue.OUTLIER,
            Cue.DISTRIBUTION,
            Cue.TREND,
            Cue.SHARE,
            Cue.RATE,
            Cue.LIST,
            Cue.VALUES,
            Cue.DISTINCT,
            Cue.FIRST,
            Cue.LAST);
    private static final Set<Cue> GRAINS = EnumSet.of(Cue.DAY, Cue.WEEK, Cue.MONTH, Cue.QUARTER, Cue.YEAR);

    private final Lexicon lexicon;

    QuestionReader(Lexicon lexicon) {
        this.lexicon = lexicon;
    }

    Parts read(String question) {
        List<Token> tokens = Tokenizer.tokenize(question);
        Reading r = new Reading(new Annotator(lexicon).annotate(tokens), lexicon);
        Parts parts = new Parts();
        parts.question = question;
        conversation(r, parts);
        charts(r, parts);
        limits(r, parts);
        new FilterReader(r, parts).read();
        comparisons(r, parts);
        groups(r, parts);
        superlatives(r, parts);
        aggregations(r, parts);
        tasks(r, parts);
        derived(r, parts, tokens);
        entities(r, parts, tokens);
        flags(r, parts);
        measures(r, parts);
        lookups(r, parts, tokens);
        leftovers(r, parts);
        return parts;
    }

    private static void conversation(Reading r, Parts parts) {
        int first = r.next(-1);
        parts.followUp = r.isCue(first, Cue.FOLLOW, Cue.AND) || r.has(Cue.FOLLOW);
        if (r.isCue(first, Cue.AND)) {
            r.use(first);
        }
        parts.refers = r.has(Cue.REFER);
        r.take(Cue.FOLLOW, Cue.REFER);
    }

    /** "vs", "versus", "compare", "difference": the question wants one figure per side. */
    private static void comparisons(Reading r, Parts parts) {
        for (int i = 0; i < r.size(); i++) {
            if (Vocabulary.COMPARING.contains(Words.singular(Words.fold(r.get(i).text())))) {
                parts.comparing = true;
                r.use(i);
            }
        }
    }

    /**
     * "stock value", "inventory worth": a measure the data does not hold, computed as the product of a quantity column
     * and the one price column, and only then; any other "X value" is reported, never answered with X alone.
     */
    private static void derived(Reading r, Parts parts, List<Token> tokens) {
        for (int i = 0; i + 1 < r.size(); i++) {
            Item item = r.get(i);
            boolean valued =
                    Set.of("value", "worth").contains(Words.fold(r.get(i + 1).text()));
            if (valued && (item.kind() == Item.Kind.UNKNOWN || item.is(Cue.ROWS)) && !r.used(i)) {
                String phrase = item.text() + " " + r.get(i + 1).text(); // "order value": no such column
                parts.unrecognized.add(phrase);
                parts.problems.add("'" + phrase + "' is not a column, and I cannot tell how to compute it without"
                        + " guessing; ask for the column you mean");
                r.use(i, i + 1);
            }
        }
        for (int i : r.unused(Item.Kind.COLUMN)) {
            Item item = r.get(i);
            int after = i + 1;
            if (after >= r.size()
                    || !Set.of("value", "worth")
                            .contains(Words.fold(r.get(after).text()))) {
                continue;
            }
            Column quantity = item.column();
            List<Column> prices = r.lexicon.columns().stream()
                    .filter(c -> c.measure()
                            && !c.equals(quantity)
                            && (c.words().contains("price") || c.words().contains("cost")))
                    .toList();
            String phrase = item.text() + " " + r.get(after).text();
            boolean countable = quantity.measure()
                    && !quantity.words().contains("price")
                    && !quantity.words().contains("cost")
                    && !Planner.additiveMoney(quantity);
            if (!countable || prices.size() != 1) {
                parts.unrecognized.add(phrase);
                parts.problems.add("'" + phrase + "' is not a column, and I cannot tell how to compute it from the"
                        + " columns without guessing; ask for the column you mean");
                r.use(i, after);
                continue;
            }
            String name = quantity.name() + "_value";
            parts.derived.clear();
            parts.derived.add(prices.get(0).name());
            parts.derived.add(quantity.name());
            parts.measures.add(new Column(
                    name, PandasType.FLOAT64, Words.nameWords(name), null, null, null, null, null, null, null));
            r.use(i, after);
        }
    }

    private static void charts(Reading r, Parts parts) {
        for (int i : r.all(Cue.CHART, Cue.BAR, Cue.LINE, Cue.PIE, Cue.HISTOGRAM, Cue.SCATTER)) {
            parts.chartAsked = true;
            Plan.Chart kind = switch (r.get(i).cue()) {
                case BAR -> Plan.Chart.BAR;
                case LINE -> Plan.Chart.LINE;
                case PIE -> Plan.Chart.PIE;
                case HISTOGRAM -> Plan.Chart.HISTOGRAM;
                case SCATTER -> Plan.Chart.SCATTER;
                default -> null;
            };
            if (kind != null) {
                parts.chart = kind;
            }
            r.use(i);
        }
    }

    /** "top 5", "5 most expensive", "the 3 highest", "first 10 rows". */
    private static void limits(Reading r, Parts parts) {
        for (int i : r.all(
                Cue.HIGH,
                Cue.LOW,
                Cue.EXPENSIVE,
                Cue.CHEAP,
                Cue.OLDEST,
                Cue.YOUNGEST,
                Cue.COMMON,
                Cue.RARE,
                Cue.LATEST,
                Cue.EARLIEST,
                Cue.FIRST,
                Cue.LAST)) {
            for (int n : new int[] {r.next(i), r.prev(i)}) {
                if (r.isKind(n, Item.Kind.NUMBER)
                        && !r.used(n)
                        && wholeCount(r.get(n).number())) {
                    parts.limit = (int) r.get(n).number();
                    r.use(n);
                    return;
                }
            }
        }
    }

    private static boolean wholeCount(double n) {
        return n == Math.rint(n) && n >= 1 && n <= 1000;
    }

    /** "by region", "per month", "for each category and region", "monthly". */
    private static void groups(Reading r, Parts parts) {
        boolean ranking = r.has(Cue.HIGH, Cue.LOW, Cue.RANK, Cue.EXPENSIVE, Cue.CHEAP) || parts.limit != null;
        boolean byDate = r.has(Cue.LATEST, Cue.EARLIEST);
        for (int i : r.all(Cue.BY)) {
            int n = r.next(i);
            while (r.isCue(n, Cue.WHICH) || r.isCue(n, Cue.COUNT) && r.isKind(r.next(n), Item.Kind.COLUMN)) {
                r.use(n); // "by which region", "by number of cylinders"
                n = r.next(n);
            }
            if (n < 0) {
                continue;
            }
            Item item = r.get(n);
            if (item.kind() == Item.Kind.COLUMN && !r.used(n)) {
                Column c = item.column();
                if (byDate && c.date()) {
                    r.use(i); // "latest orders by date": the date orders them
                    continue;
                }
                if (ranking && c.measure() && parts.groups.isEmpty() && hasOtherTarget(r, n)) {
                    r.use(i); // "top 5 products by revenue": by names what is ranked, not a grouping
                    continue;
                }
                if (c.identifier()
                        && !c.date()
                        && r.has(Cue.MEAN, Cue.MEDIAN, Cue.MIN, Cue.MAX, Cue.STD)
                        && parts.groups.isEmpty()) {
                    // "median revenue per order": the statistic of each order's total
                    parts.perEntity = c;
                    parts.entity = parts.entity == null ? item.text() : parts.entity;
                    r.use(i, n);
                    continue;
                }
                r.use(i, n);
                addGroup(parts, c);
                int joint = r.next(n);
                int second = joint < 0 ? -1 : r.next(joint);
                if (r.isCue(joint, Cue.AND)
                        && r.isKind(second, Item.Kind.COLUMN)
                        && !r.used(second)
                        && !r.get(second).column().measure()) {
                    r.use(joint, second);
                    addGroup(parts, r.get(second).column());
                } else if (r.isCue(joint, Cue.AND)
                        && r.isKind(second, Item.Kind.COLUMN)
                        && !r.used(second)
                        && r.get(second).column().measure()) {
                    // "across all countries and years": a numeric column listed with a grouping reads as a second
                    // grouping, not as the figure to compute (which would be its mean); say which it is
                    throw new NotUnderstood("'" + r.get(second).text() + "' follows a grouping ('" + item.text()
                            + " and " + r.get(second).text() + "'): say whether to group by '"
                            + r.get(second).column().name() + "' or to compute it");
                }
            } else if (item.kind() == Item.Kind.CUE && GRAINS.contains(item.cue())) {
                r.use(i);
            } else if (item.is(Cue.COLUMNS) && r.has(Cue.MISSING, Cue.DESCRIBE, Cue.TYPES)) {
                r.use(i); // "missing values per column": one figure per column is what these answer anyway
            } else if ((item.kind() == Item.Kind.UNKNOWN || item.is(Cue.ROWS))
                    && (Vocabulary.ROW_WORDS.contains(Words.singular(Words.fold(item.text()))) || item.is(Cue.ROWS))) {
                String stem = Words.singular(Words.fold(item.text()));
                int verb = i - 1;
                boolean who = r.get(i).text().equalsIgnoreCase("by")
                        && verb >= 0
                        && Vocabulary.BY_VERBS.contains(Words.fold(r.get(verb).text()));
                boolean ofRows = !r.get(i).text().equalsIgnoreCase("by")
                        && r.has(Cue.MEAN, Cue.MEDIAN)
                        && (Vocabulary.GENERIC_ROWS.contains(stem) || item.is(Cue.ROWS));
                if (who || ofRows) {
                    // "paid by passengers" names who; "average revenue per order" is the average of the rows, or of
                    // each order's total when an order_id column identifies the orders
                    parts.entity = parts.entity == null ? item.text() : parts.entity;
                    Column id = r.lexicon.idFor(item.text());
                    if (ofRows && id != null && parts.groups.isEmpty()) {
                        parts.perEntity = id;
                    }
                } else {
                    // "total revenue by customer" without a customer column: never the grand total
                    parts.unrecognized.add(item.text());
                    parts.problems.add("there is no column for '" + item.text() + "' to group by");
                }
                r.use(i, n);
            } else if (item.kind() == Item.Kind.AMBIGUOUS) {
                parts.problems.add(ambiguity(item));
                parts.ambiguous.add(item);
                r.use(i, n);
            }
        }
        for (int i : r.all(Cue.DAY, Cue.WEEK, Cue.MONTH, Cue.QUARTER, Cue.YEAR)) {
            parts.grain = Plan.Grain.valueOf(r.get(i).cue().name());
            parts.timeGrouping = true;
            r.use(i);
        }
        if (parts.timeGrouping && parts.timeColumn == null) {
            List<Column> dates = r.lexicon.dateColumns();
            if (dates.size() == 1) {
                parts.timeColumn = dates.get(0);
            }
        }
    }

    private static void addGroup(Parts parts, Column c) {
        if (c.date()) {
            parts.timeColumn = c;
            parts.timeGrouping = true;
            parts.dateNamed = true; // "by date": per day, unless a grain word says otherwise
        } else if (parts.groups.size() < 2 && !parts.groups.contains(c)) {
            parts.groups.add(c);
        } else {
            parts.problems.add("at most two columns to group by");
        }
    }

    /** Whether the question names something else to rank (a column of groups, or rows) besides {@code measure}. */
    private static boolean hasOtherTarget(Reading r, int measure) {
        for (int i = 0; i < r.size(); i++) {
            if (i == measure || r.used(i)) {
                continue;
            }
            Item item = r.get(i);
            if (item.kind() == Item.Kind.COLUMN && !item.column().measure()
                    || item.kind() == Item.Kind.UNKNOWN
                    || item.kind() == Item.Kind.AMBIGUOUS
                    || item.is(Cue.ROWS)) {
                return true;
            }
        }
        return false;
    }

    /** Highest/lowest and what they rank: "which region", "top 5 products", "who", "which month". */
    private static void superlatives(Reading r, Parts parts) {
        for (int i = 0; i < r.size(); i++) {
            Item item = r.get(i);
            if (item.kind() == Item.Kind.CUE && SUPERLATIVES.contains(item.cue()) && !r.used(i)) {
                if (parts.superlative == null) {
                    parts.superlative = item.cue();
                    parts.highest = switch (item.cue()) {
                        case LOW, CHEAP, YOUNGEST, RARE, EARLIEST -> false;
                        default -> true;
                    };
                }
                r.use(i);
            }
        }
        if (r.take(Cue.ASCENDING_ORDER)) {
            parts.highest = parts.highest == null ? Boolean.FALSE : parts.highest;
        }
        if (parts.superlative == null && parts.limit == null && !r.has(Cue.RANK)) {
            return;
        }
        for (int i : r.all(Cue.WHICH, Cue.WHO)) {
            parts.asked = true;
            int n = r.next(i);
            if (r.get(i).is(Cue.WHO)) {
                parts.rowTarget = true;
                r.use(i);
            } else if (n >= 0) {
                target(r, parts, n);
            }
        }
        if (parts.target == null && !parts.rowTarget && !parts.periodTarget) {
            for (int i : r.all(
                    Cue.HIGH,
                    Cue.LOW,
                    Cue.EXPENSIVE,
                    Cue.CHEAP,
                    Cue.OLDEST,
                    Cue.YOUNGEST,
                    Cue.COMMON,
                    Cue.RARE,
                    Cue.LATEST,
                    Cue.EARLIEST)) {
                int n = r.next(i);
                if (r.isKind(n, Item.Kind.NUMBER) && r.used(n)) {
                    n = r.next(n); // "top 5 products"
                }
                if (n >= 0
                        && (r.get(n).kind() != Item.Kind.COLUMN
                                || !r.get(n).column().measure())) {
                    target(r, parts, n);
                }
            }
        }
        if (parts.target == null && !parts.rowTarget && parts.limit != null) {
            for (int i = 0; i < r.size(); i++) {
                if (r.get(i).kind() == Item.Kind.UNKNOWN
                                && Vocabulary.ROW_WORDS.contains(
                                        Words.singular(Words.fold(r.get(i).text())))
                        || r.get(i).is(Cue.ROWS)) {
                    target(r, parts, i);
                    break;
                }
            }
        }
    }

    private static void target(Reading r, Parts parts, int n) {
        Item item = r.get(n);
        boolean groupable = item.kind() == Item.Kind.COLUMN
                && !item.column().yesNo()
                && (!item.column().measure() || otherMeasure(r, n));
        if (groupable && !r.used(n)) {
            if (item.column().date()) {
                parts.periodTarget = true;
                parts.timeColumn = item.column();
                parts.timeGrouping = true;
                parts.grain = parts.grain == null ? Plan.Grain.DAY : parts.grain; // which date: per day
            } else {
                parts.target = item.column();
            }
            r.use(n);
        } else if (item.kind() == Item.Kind.CUE && GRAINS.contains(item.cue())) {
            parts.periodTarget = true;
        } else if (item.kind() == Item.Kind.UNKNOWN || item.kind() == Item.Kind.AMBIGUOUS || item.is(Cue.ROWS)) {
            parts.rowTarget = true;
            parts.entity = item.text();
            r.use(n);
        }
    }

    /** Whether a numeric column other than item {@code n} is named (so {@code n} can be what is ranked). */
    private static boolean otherMeasure(Reading r, int n) {
        for (int i = 0; i < r.size(); i++) {
            if (i != n
                    && !r.used(i)
                    && r.get(i).kind() == Item.Kind.COLUMN
                    && r.get(i).column().measure()) {
                return true;
            }
        }
        return false;
    }

    private static void aggregations(Reading r, Parts parts) {
        for (int i = 0; i < r.size(); i++) {
            Item item = r.get(i);
            if (item.kind() != Item.Kind.CUE || r.used(i)) {
                continue;
            }
            Plan.Agg agg = switch (item.cue()) {
                case SUM -> Plan.Agg.SUM;
                case MEAN -> Plan.Agg.MEAN;
                case MEDIAN -> Plan.Agg.MEDIAN;
                case MAX -> Plan.Agg.MAX;
                case MIN -> Plan.Agg.MIN;
                case STD -> Plan.Agg.STD;
                case VARIANCE -> Plan.Agg.VAR;
                default -> null;
            };
            if (agg != null) {
                parts.aggs.add(agg);
                r.use(i);
            } else if (item.cue() == Cue.HOW_MANY || item.cue() == Cue.COUNT) {
                parts.howMany = true;
                r.use(i);
            } else if (item.cue() == Cue.HOW_MUCH) {
                parts.howMuch = true;
                r.use(i);
            }
        }
        if (parts.aggs.contains(Plan.Agg.SUM) && parts.howMany) {
            parts.aggs.remove(Plan.Agg.SUM); // "the total number of passengers" counts
        }
        if (parts.aggs.size() > 1) {
            parts.problems.add("one aggregation at a time (the question asks for "
                    + String.join(
                            " and ", parts.aggs.stream().map(Plan.Agg::words).toList()) + ")");
        }
    }

    private static void tasks(Reading r, Parts parts) {
        for (int i = 0; i < r.size(); i++) {
            Item item = r.get(i);
            if (item.kind() == Item.Kind.CUE && TASKS.contains(item.cue()) && !r.used(i)) {
                parts.tasks.add(item.cue());
                if (item.cue() != Cue.ROWS) {
                    r.use(i);
                }
            }
        }
    }

    /** Words that name the rows: "passengers" in "how many passengers", "rows", "records". */
    private static void entities(Reading r, Parts parts, List<Token> tokens) {
        for (int i = 0; i < r.size(); i++) {
            Item item = r.get(i);
            if (r.used(i)) {
                continue;
            }
            boolean rows = item.is(Cue.ROWS);
            boolean word = item.kind() == Item.Kind.UNKNOWN || item.kind() == Item.Kind.AMBIGUOUS;
            if (!rows && !word) {
                continue;
            }
            String stem = Words.singular(Words.fold(item.text()));
            if (properNoun(r, i)) {
                continue; // "States" in "the United States"
            }
            int before = r.prev(i);
            boolean counted = r.isCue(before, Cue.HOW_MANY, Cue.COUNT, Cue.DISTINCT)
                    || r.isKind(before, Item.Kind.NUMBER) && r.used(before)
                    || before >= 0
                            && r.get(before).kind() == Item.Kind.CUE
                            && SUPERLATIVES.contains(r.get(before).cue());
            if (rows
                    || Vocabulary.ROW_WORDS.contains(stem)
                    || counted && item.text().length() > 2) {
                parts.entity = parts.entity == null ? item.text() : parts.entity;
                r.use(i);
            }
        }
    }

    /** A capitalised word beside another capitalised unknown word, inside the sentence. */
    private static boolean properNoun(Reading r, int i) {
        if (!capitalised(r.get(i))) {
            return false;
        }
        for (int near : new int[] {i - 1, i + 1}) {
            if (near >= 0 && near < r.size() && r.get(near).kind() == Item.Kind.UNKNOWN && capitalised(r.get(near))) {
                return true;
            }
        }
        return false;
    }

    private static boolean capitalised(Item item) {
        return item.start() > 0
                && !item.text().isEmpty()
                && Character.isUpperCase(item.text().charAt(0));
    }

    /** Yes/no columns not grouped by: conditions ("smokers", "did not survive") unless measured. */
    private static void flags(Reading r, Parts parts) {
        for (int i : r.unused(Item.Kind.COLUMN)) {
            Column c = r.get(i).column();
            if (c.yesNo()) {
                int before = r.prev(i);
                boolean no = r.isCue(before, Cue.NOT, Cue.NE);
                if (no) {
                    r.use(before);
                }
                parts.flags.add(new Parts.Flag(c, !no, i));
                r.use(i);
            }
        }
    }

    private static void measures(Reading r, Parts parts) {
        for (int i : r.unused(Item.Kind.COLUMN)) {
            Column c = r.get(i).column();
            if (!parts.measures.contains(c)) {
                parts.measures.add(c);
            }
            r.use(i);
        }
    }

    /** Quoted text, and capitalised words the dataset does not show: values to look for in the text columns. */
    private static void lookups(Reading r, Parts parts, List<Token> tokens) {
        for (int i : r.unused(Item.Kind.QUOTED)) {
            parts.filters.add(
                    Filter.text(null, Filter.Op.LOOKUP, List.of(r.get(i).value())));
            r.use(i);
        }
        List<Integer> words = new ArrayList<>();
        for (int i : r.unused(Item.Kind.UNKNOWN)) {
            Item item = r.get(i);
            boolean capitalised = Character.isUpperCase(item.text().charAt(0)) && item.start() > 0;
            if (capitalised) {
                words.add(i);
            }
        }
        int k = 0;
        while (k < words.size()) {
            int first = words.get(k);
            StringBuilder value = new StringBuilder(r.get(first).text());
            int last = first;
            while (k + 1 < words.size() && words.get(k + 1) == last + 1) {
                last = words.get(++k);
                value.append(' ').append(r.get(last).text());
            }
            if (parts.filters.stream().noneMatch(f -> f.op() == Filter.Op.LOOKUP)) {
                int before = r.prev(first);
                boolean negated = r.isCue(before, Cue.NOT, Cue.NE);
                if (negated) {
                    parts.problems.add("'" + value + "' is not a value the dataset's profile shows, so it cannot be"
                            + " excluded; put it in quotes to search for it");
                } else {
                    parts.filters.add(Filter.text(null, Filter.Op.LOOKUP, List.of(value.toString())));
                }
                for (int j = first; j <= last; j++) {
                    r.use(j);
                }
            }
            k++;
        }
    }

    private static void leftovers(Reading r, Parts parts) {
        List<String> unknown = new ArrayList<>();
        for (int i : r.unused()) {
            Item item = r.get(i);
            switch (item.kind()) {
                case CUE -> {
                    if (!SOFT.contains(item.cue()) && !(item.cue() == Cue.ROWS)) {
                        parts.problems.add("'" + item.text() + "' does not fit the rest of the question here");
                    }
                }
                case AMBIGUOUS -> {
                    parts.problems.add(ambiguity(item));
                    parts.ambiguous.add(item);
                }
                case UNKNOWN -> unknown.add(item.text());
                case NUMBER, DATE, MONTH, QUOTED ->
                    parts.problems.add("'" + item.text() + "' is not attached to a column I can compare it with");
                default -> parts.problems.add("'" + item.text() + "' could not be placed");
            }
            r.use(i);
        }
        if (!unknown.isEmpty()) {
            parts.unrecognized.addAll(0, unknown);
            parts.problems.add(
                    0,
                    (unknown.size() == 1 ? "the word '" : "the words '") + String.join("', '", unknown)
                            + (unknown.size() == 1 ? "' matches" : "' match") + " no column or value of this dataset");
        }
    }

    static String ambiguity(Item item) {
        return "'" + item.text() + "' could mean "
                + String.join(
                        ", ",
                        item.candidates().stream()
                                .map(c -> "'" + c.name() + "'")
                                .toList()) + "; use the full column name";
    }
}
