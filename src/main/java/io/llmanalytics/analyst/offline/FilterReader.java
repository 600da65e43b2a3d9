package io.llmanalytics.analyst.offline;

import io.llmanalytics.schema.PandasType;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reads the conditions of a question into {@link Filter}s: comparisons ({@code fare over 100}, {@code more than 3
 * children}, {@code age between 20 and 30}, {@code 30 or more}), values of text columns ({@code in Electronics},
 * {@code excluding Books}, {@code north or south}), dates ({@code in 2024}, {@code in March 2024}, {@code since
 * 2023-06}), whole numbers next to a whole-number column ({@code class 1}, {@code 8 cylinders}), text searches
 * ({@code names containing "Smith"}) and quoted values to look for in any text column.
 */
final class FilterReader {

    private static final Set<String> AGE = Set.of("older", "younger", "aged");
    private static final Set<String> PRICE = Set.of("cheaper", "expensive", "pricier", "costlier");
    private static final Set<String> TIME = Set.of("after", "before", "since", "until", "later", "earlier");
    private static final Set<String> PERSONS = Set.of(
            "person",
            "people",
            "passenger",
            "customer",
            "patient",
            "client",
            "member",
            "employee",
            "adult",
            "individual",
            "aged",
            "applicant",
            "borrower",
            "player",
            "kid",
            "child",
            "children",
            "teenager",
            "teen",
            "senior",
            "infant",
            "baby",
            "men",
            "man",
            "women",
            "woman");
    private static final Map<String, Integer> ORDINALS =
            Map.of("first", 1, "second", 2, "third", 3, "fourth", 4, "fifth", 5);

    private final Reading r;
    private final Parts parts;

    FilterReader(Reading r, Parts parts) {
        this.r = r;
        this.parts = parts;
    }

    void read() {
        ordinals();
        none();
        betweens();
        comparisons();
        values();
        searches();
        dates();
        wholeNumbers();
    }

    private void comparisons() {
        for (int i : r.all(Cue.GT, Cue.GE, Cue.LT, Cue.LE, Cue.EQ, Cue.NE)) {
            if (r.used(i)) {
                continue;
            }
            Cue cue = r.get(i).cue();
            int operand = r.next(i);
            boolean trailing = false;
            if ((cue == Cue.GE || cue == Cue.LE)
                    && r.isKind(r.prev(i), Item.Kind.NUMBER)
                    && r.get(i).text().matches("(?i)(or|and) .*")) {
                operand = r.prev(i); // "30 or more"
                trailing = true;
            }
            if (operand < 0 || r.used(operand)) {
                continue;
            }
            Item o = r.get(operand);
            boolean timeWord =
                    TIME.stream().anyMatch(w -> Words.fold(r.get(i).text()).contains(w));
            if (o.kind() == Item.Kind.NUMBER
                    && timeWord
                    && isYear(o)
                    && implied(r.get(i).text(), true) != null) {
                // "revenue after 2023": a year after a time word is about the date column
                int subject = subjectBefore(i);
                Column date = implied(r.get(i).text(), true);
                dateComparison(
                        date,
                        cue,
                        String.valueOf((int) o.number()),
                        i,
                        operand,
                        subject >= 0 && r.get(subject).column().equals(date) ? subject : -1);
            } else if (o.kind() == Item.Kind.NUMBER) {
                int subject = trailing ? subjectBefore(operand) : subjectBefore(i);
                if (subject < 0) {
                    subject = subjectAfter(trailing ? i : operand);
                }
                Column column = subject >= 0
                        ? r.get(subject).column()
                        : implied(r.get(i).text(), false, i);
                if (column == null) {
                    continue;
                }
                if (column.date() && isYear(o)) {
                    dateComparison(column, cue, String.valueOf((int) o.number()), i, operand, subject);
                    continue;
                }
                if (!column.numeric()) {
                    parts.problems.add("'" + o.text() + "' is compared with '" + column.name() + "', which holds "
                            + (column.date() ? "dates (name a date or a year to compare dates)" : "text")
                            + "; name the numeric column to compare");
                    r.use(i, operand, subject);
                    continue;
                }
                Filter.Op op = cue == Cue.NE ? Filter.Op.NE : Filter.Op.valueOf(cue.name());
                parts.filters.add(Filter.number(column.name(), op, List.of(o.number())));
                r.use(i, operand, subject);
            } else if (o.kind() == Item.Kind.DATE || o.kind() == Item.Kind.MONTH) {
                int subject = subjectBefore(i);
                boolean named = subject >= 0 && r.get(subject).column().date();
                Column column =
                        named ? r.get(subject).column() : implied(r.get(i).text(), true);
                String period = period(operand);
                if (column != null && period != null && cue != Cue.EQ && cue != Cue.NE) {
                    dateComparison(column, cue, period, i, operand, named ? subject : -1);
                }
            }
        }
    }

    private void betweens() {
        for (int i : r.all(Cue.BETWEEN)) {
            int a = r.next(i);
            int and = a < 0 ? -1 : r.next(a);
            int b = and < 0 ? -1 : r.next(and);
            boolean numbers =
                    r.isKind(a, Item.Kind.NUMBER) && r.isCue(and, Cue.AND, Cue.TO) && r.isKind(b, Item.Kind.NUMBER);
            if (!numbers) {
                r.use(i); // "revenue from Electronics", "correlation between age and fare": only a preposition
                continue;
            }
            int subject = subjectBefore(i);
            if (subject < 0) {
                subject = subjectAfter(b);
            }
            Column column =
                    subject >= 0 ? r.get(subject).column() : implied(r.get(i).text(), false);
            if (column == null && r.prev(i) >= 0) {
                column = implied(r.get(r.prev(i)).text(), false);
            }
            if (column == null) {
                continue;
            }
            double low = Math.min(r.get(a).number(), r.get(b).number());
            double high = Math.max(r.get(a).number(), r.get(b).number());
            if (column.date() && isYear(r.get(a)) && isYear(r.get(b))) {
                parts.filters.add(Filter.text(column.name(), Filter.Op.GE, List.of((int) low + "-01-01")));
                parts.filters.add(Filter.text(column.name(), Filter.Op.LT, List.of((int) high + 1 + "-01-01")));
            } else if (column.numeric()) {
                parts.filters.add(Filter.number(column.name(), Filter.Op.BETWEEN, List.of(low, high)));
            } else {
                parts.problems.add("'" + column.name() + "' holds " + (column.date() ? "dates" : "text")
                        + ", so it cannot be between two numbers; name the numeric column");
            }
            r.use(i, a, and, b, subject);
        }
    }

    /** Text values: equal, one of several, or not. */
    private void values() {
        List<Integer> pending = r.unused(Item.Kind.VALUE);
        int k = 0;
        while (k < pending.size()) {
            int i = pending.get(k);
            Column column = resolve(i);
            if (column == null) {
                parts.problems.add("'" + r.get(i).text() + "' is a value of several columns ("
                        + names(r.get(i).candidates()) + "); name the column, e.g. '"
                        + r.get(i).candidates().get(0).name() + " " + r.get(i).text() + "'");
                parts.ambiguous.add(r.get(i));
                r.use(i);
                k++;
                continue;
            }
            List<String> values = new ArrayList<>(List.of(r.get(i).value()));
            List<Integer> taken = new ArrayList<>(List.of(i));
            int last = i;
            while (k + 1 < pending.size()) {
                int joint = r.next(last);
                int following = pending.get(k + 1);
                boolean joined = joint == following || r.isCue(joint, Cue.OR, Cue.AND) && r.next(joint) == following;
                if (!joined || !column.equals(resolve(following))) {
                    break;
                }
                values.add(r.get(following).value());
                taken.add(following);
                if (joint != following) {
                    taken.add(joint);
                }
                last = following;
                k++;
            }
            int before = r.prev(i);
            boolean negated = r.isCue(before, Cue.NOT, Cue.NE);
            if (negated) {
                taken.add(before);
            }
            Filter.Op op = values.size() == 1
                    ? (negated ? Filter.Op.NE : Filter.Op.EQ)
                    : (negated ? Filter.Op.NOT_IN : Filter.Op.IN);
            parts.filters.add(
                    column.numeric()
                            ? Filter.number(
                                    column.name(),
                                    op,
                                    values.stream().map(Double::parseDouble).toList())
                            : Filter.text(column.name(), op, values));
            taken.forEach(r::use);
            useNamedColumn(column, before, r.next(last));
            k++;
        }
    }

    /** The column of a value item; for a value of several columns, the one the question names next to it. */
    private Column resolve(int i) {
        Item item = r.get(i);
        if (item.column() != null) {
            return item.column();
        }
        for (int near : new int[] {r.prev(i), r.next(i)}) {
            if (r.isKind(near, Item.Kind.COLUMN)
                    && item.candidates().contains(r.get(near).column())) {
                r.use(near);
                return r.get(near).column();
            }
        }
        return null;
    }

    /** "region is North", "North region": the column named beside its value is part of the condition. */
    private void useNamedColumn(Column column, int before, int after) {
        for (int near : new int[] {before, after}) {
            if (r.isKind(near, Item.Kind.COLUMN) && r.get(near).column().equals(column)) {
                r.use(near);
            }
        }
    }

    private void searches() {
        for (int i : r.all(Cue.CONTAINS, Cue.STARTS, Cue.ENDS)) {
            int operand = r.next(i);
            int subject = subjectBefore(i);
            if (operand < 0 || subject < 0 || !r.get(subject).column().text()) {
                continue;
            }
            Item o = r.get(operand);
            String text = o.kind() == Item.Kind.VALUE || o.kind() == Item.Kind.QUOTED ? o.value() : o.text();
            Filter.Op op = switch (r.get(i).cue()) {
                case STARTS -> Filter.Op.STARTS;
                case ENDS -> Filter.Op.ENDS;
                default -> Filter.Op.CONTAINS;
            };
            parts.filters.add(Filter.text(r.get(subject).column().name(), op, List.of(text)));
            r.use(i, operand, subject);
        }
        for (int i : r.unused(Item.Kind.QUOTED)) {
            int after = r.next(i);
            if (r.isKind(after, Item.Kind.COLUMN)
                    && !r.used(after)
                    && r.get(after).column().text()) {
                // "with 'Inn' in the name"
                parts.filters.add(Filter.text(
                        r.get(after).column().name(),
                        Filter.Op.CONTAINS,
                        List.of(r.get(i).value())));
                r.use(i, after);
            }
        }
    }

    /** Years, months and dates not already part of a comparison. */
    private void dates() {
        List<Column> dateColumns = r.lexicon.dateColumns();
        Column yearColumn = yearColumn();
        for (int i = 0; i < r.size(); i++) {
            if (r.used(i)) {
                continue;
            }
            Item item = r.get(i);
            boolean year = isYear(item);
            if (!year
                    && item.kind() != Item.Kind.DATE
                    && item.kind() != Item.Kind.MONTH
                    && item.kind() != Item.Kind.QUARTER) {
                continue;
            }
            int subject = subjectBefore(i);
            Column named = subject >= 0 && r.get(subject).column().date()
                    ? r.get(subject).column()
                    : null;
            if (named == null && dateColumns.size() == 1) {
                named = dateColumns.get(0);
                subject = -1;
            }
            if (named == null) {
                if (year && yearColumn != null) {
                    parts.filters.add(Filter.number(yearColumn.name(), Filter.Op.EQ, List.of(item.number())));
                    r.use(i);
                    useNamedColumn(yearColumn, r.prev(i), r.next(i));
                }
                continue;
            }
            if (item.kind() == Item.Kind.QUARTER) {
                boolean withYear = isYear(next(i));
                parts.filters.add(Filter.number(
                        named.name(),
                        Filter.Op.QUARTER,
                        withYear ? List.of(item.number(), next(i).number()) : List.of(item.number())));
                r.use(i, subject, withYear ? r.next(i) : -1);
                continue;
            }
            if (item.kind() == Item.Kind.MONTH && !isYear(next(i))) {
                parts.filters.add(Filter.number(named.name(), Filter.Op.MONTH, List.of(item.number())));
                r.use(i, subject);
                continue;
            }
            String period = period(i);
            if (period != null) {
                parts.filters.add(Filter.text(named.name(), Filter.Op.PERIOD, List.of(period)));
                r.use(i, subject);
                if (item.kind() == Item.Kind.MONTH) {
                    r.use(r.next(i));
                }
            }
        }
    }

    /** "with no children", "without cards": a count column that is zero. */
    private void none() {
        for (int i : r.all(Cue.NOT)) {
            int next = r.next(i);
            String word = Words.fold(r.get(i).text());
            if ((word.equals("no") || word.equals("without"))
                    && r.isKind(next, Item.Kind.COLUMN)
                    && !r.used(next)
                    && r.get(next).column().measure()) {
                parts.filters.add(Filter.number(r.get(next).column().name(), Filter.Op.EQ, List.of(0.0)));
                r.use(i, next);
            }
        }
    }

    /** "first class", "3rd class": an ordinal before a whole-number column. */
    private void ordinals() {
        for (int i = 0; i + 1 < r.size(); i++) {
            Item item = r.get(i);
            String word = Words.fold(item.text());
            Integer n = ORDINALS.get(word);
            if (n == null && item.kind() == Item.Kind.NUMBER && item.text().matches("\\d+(st|nd|rd|th)")) {
                n = (int) item.number();
            }
            int next = r.next(i);
            if (n != null
                    && !r.used(i)
                    && r.isKind(next, Item.Kind.COLUMN)
                    && !r.used(next)
                    && r.get(next).column().type() == PandasType.INT64
                    && !r.get(next).column().identifier()) {
                parts.filters.add(Filter.number(r.get(next).column().name(), Filter.Op.EQ, List.of((double) n)));
                r.use(i, next);
            }
        }
    }

    /** "class 1", "Pclass = 3", "8 cylinders": a whole number beside a whole-number column. */
    private void wholeNumbers() {
        for (int i : r.unused(Item.Kind.NUMBER)) {
            Item n = r.get(i);
            if (r.used(i) || n.number() != Math.rint(n.number())) {
                continue;
            }
            // nearest first: "4 star hotels" and "class 1" before "bubble score for 4", "balance of 0"
            for (int near : new int[] {i + 1, i - 1, r.prev(i), r.next(i)}) {
                if (near >= 0
                        && near < r.size()
                        && r.isKind(near, Item.Kind.COLUMN)
                        && !r.used(near)
                        && r.get(near).column().numeric()
                        && !r.get(near).column().identifier()) {
                    parts.filters.add(Filter.number(r.get(near).column().name(), Filter.Op.EQ, List.of(n.number())));
                    r.use(i, near);
                    break;
                }
            }
        }
    }

    private void dateComparison(Column column, Cue cue, String period, int cueItem, int operand, int subject) {
        LocalDate start = start(period);
        LocalDate after = end(period);
        Filter f = switch (cue) {
            case GT -> Filter.text(column.name(), Filter.Op.GE, List.of(after.toString()));
            case GE -> Filter.text(column.name(), Filter.Op.GE, List.of(start.toString()));
            case LT -> Filter.text(column.name(), Filter.Op.LT, List.of(start.toString()));
            default -> Filter.text(column.name(), Filter.Op.LT, List.of(after.toString()));
        };
        parts.filters.add(f);
        r.use(cueItem, operand, subject);
        if (r.get(operand).kind() == Item.Kind.MONTH) {
            r.use(r.next(operand));
        }
    }

    /** The period an item names: {@code 2024}, {@code 2024-03} (a month name and a year), or a date. */
    private String period(int i) {
        Item item = r.get(i);
        if (isYear(item)) {
            return String.valueOf((int) item.number());
        }
        if (item.kind() == Item.Kind.DATE) {
            String[] p = item.value().split("-");
            StringBuilder out = new StringBuilder(p[0]);
            for (int k = 1; k < p.length; k++) {
                out.append('-').append(p[k].length() == 1 ? "0" + p[k] : p[k]);
            }
            return out.toString();
        }
        if (item.kind() == Item.Kind.MONTH && isYear(next(i))) {
            return String.format("%d-%02d", (int) next(i).number(), (int) item.number());
        }
        return null;
    }

    private Item next(int i) {
        int n = r.next(i);
        return n < 0 ? null : r.get(n);
    }

    private static LocalDate start(String period) {
        String[] p = period.split("-");
        return LocalDate.of(
                Integer.parseInt(p[0]),
                p.length > 1 ? Integer.parseInt(p[1]) : 1,
                p.length > 2 ? Integer.parseInt(p[2]) : 1);
    }

    private static LocalDate end(String period) {
        int parts = period.split("-").length;
        LocalDate start = start(period);
        return parts == 1 ? start.plusYears(1) : parts == 2 ? start.plusMonths(1) : start.plusDays(1);
    }

    private static boolean isYear(Item item) {
        return item != null
                && item.kind() == Item.Kind.NUMBER
                && item.text().matches("\\d{4}")
                && item.number() >= 1800
                && item.number() <= 2100;
    }

    /** An unused column item right before {@code i} (filler words aside), or -1. */
    private int subjectBefore(int i) {
        int p = r.prev(i);
        if (r.isCue(p, Cue.NOT)) {
            p = r.prev(p);
        }
        return r.isKind(p, Item.Kind.COLUMN) ? p : -1;
    }

    private int subjectAfter(int i) {
        int n = r.next(i);
        return r.isKind(n, Item.Kind.COLUMN) && !r.used(n) ? n : -1;
    }

    /** "older than 30" means the age column, "after 2023" the date column, when there is exactly one. */
    private Column implied(String words, boolean dateOperand) {
        return implied(words, dateOperand, -1);
    }

    private Column implied(String words, boolean dateOperand, int cue) {
        int before = cue < 0 ? -1 : r.prev(cue);
        if (before >= 0
                && r.get(before).kind() == Item.Kind.UNKNOWN
                && PERSONS.contains(Words.singular(Words.fold(r.get(before).text())))
                && !dateOperand) {
            Column age = only(c -> c.numeric() && c.words().contains("age"));
            if (age != null) {
                return age; // "people over 50"
            }
        }
        String folded = Words.fold(words);
        for (String w : folded.split(" ")) {
            if (AGE.contains(w)) {
                return only(c -> c.numeric() && c.words().contains("age"));
            }
            if (PRICE.contains(w)) {
                return only(c -> c.measure()
                        && (c.words().contains("price")
                                || c.words().contains("cost")
                                || c.words().contains("fare")));
            }
            if (TIME.contains(w) || dateOperand) {
                return only(Column::date);
            }
        }
        return null;
    }

    private Column only(Predicate<Column> test) {
        List<Column> found = r.lexicon.columns().stream().filter(test).toList();
        return found.size() == 1 ? found.get(0) : null;
    }

    /** A whole-number column named like a year ({@code year}, {@code Year}), used when there is no date column. */
    private Column yearColumn() {
        return only(c -> c.numeric() && c.words().equals(List.of("year")));
    }

    private static String names(List<Column> columns) {
        return String.join(", ", columns.stream().map(Column::name).toList());
    }
}
