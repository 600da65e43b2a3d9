package io.llmanalytics.upload;

import io.llmanalytics.dataset.SharedColumn;
import io.llmanalytics.schema.CellClassifier;
import io.llmanalytics.schema.ColumnSchema;
import io.llmanalytics.schema.PandasType;
import io.llmanalytics.session.DatasetDocument;
import io.llmanalytics.upload.csv.CsvRecords;
import io.llmanalytics.upload.csv.Dialect;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Finds candidate join keys between datasets and measures them on the data: for each pair of columns of two datasets
 * that are named alike ({@code id} and {@code id}, {@code customer_id} and {@code customers.id}) or, for integer and
 * text columns, where one side is a unique key, the distinct values of both columns are collected (one streaming pass
 * over each canonical CSV, at most {@code maxDistinct} values per column) and intersected. Blocking.
 */
final class SharedColumns {

    /** Pairs kept in a session: the best ones. */
    static final int MAX_PAIRS = 20;
    /** Pairs measured per added dataset, to bound the work. */
    static final int MAX_CANDIDATES = 40;
    /** Pairs whose names are unrelated are kept only when their overlap is at least this. */
    static final double UNRELATED_MIN_OVERLAP = 0.8;

    private static final TableLimits LIMITS = new TableLimits(Integer.MAX_VALUE, Integer.MAX_VALUE / 8);

    /** A dataset and its canonical CSV on local disk. */
    record Table(DatasetDocument dataset, Path canonical) {}

    /** A pair of columns to measure. */
    record Candidate(
            DatasetDocument left,
            ColumnSchema leftColumn,
            DatasetDocument right,
            ColumnSchema rightColumn,
            boolean related) {}

    private final int maxDistinct;

    SharedColumns(int maxDistinct) {
        this.maxDistinct = maxDistinct;
    }

    /** The column pairs worth measuring between {@code added} and every other dataset (and among the added ones). */
    static List<Candidate> candidates(List<DatasetDocument> existing, List<DatasetDocument> added) {
        List<Candidate> related = new ArrayList<>();
        List<Candidate> others = new ArrayList<>();
        List<DatasetDocument> seen = new ArrayList<>(existing);
        for (DatasetDocument right : added) {
            for (DatasetDocument left : seen) {
                for (ColumnSchema a : left.schema().columns()) {
                    for (ColumnSchema b : right.schema().columns()) {
                        if (!compatible(a.type(), b.type())) {
                            continue;
                        }
                        if (related(left.name(), a.name(), right.name(), b.name())) {
                            related.add(new Candidate(left, a, right, b, true));
                        } else if (keyLike(a.type()) && (unique(left, a) || unique(right, b))) {
                            others.add(new Candidate(left, a, right, b, false));
                        }
                    }
                }
            }
            seen.add(right);
        }
        List<Candidate> all = new ArrayList<>(related);
        all.addAll(others);
        return all.size() > MAX_CANDIDATES * Math.max(1, added.size())
                ? all.subList(0, MAX_CANDIDATES * Math.max(1, added.size()))
                : all;
    }

    /** Measures the candidates on the tables' data and keeps the pairs worth showing, best first. */
    List<SharedColumn> measure(List<Candidate> candidates, Map<String, Path> files) throws IOException {
        Map<String, Set<String>> wanted = new LinkedHashMap<>();
        for (Candidate c : candidates) {
            wanted.computeIfAbsent(c.left().name(), k -> new HashSet<>())
                    .add(c.leftColumn().name());
            wanted.computeIfAbsent(c.right().name(), k -> new HashSet<>())
                    .add(c.rightColumn().name());
        }
        Map<String, Values> values = new HashMap<>();
        Map<String, DatasetDocument> byName = new HashMap<>();
        candidates.forEach(c -> {
            byName.put(c.left().name(), c.left());
            byName.put(c.right().name(), c.right());
        });
        for (var entry : wanted.entrySet()) {
            DatasetDocument dataset = byName.get(entry.getKey());
            read(dataset, files.get(entry.getKey()), entry.getValue(), values);
        }
        List<SharedColumn> found = new ArrayList<>();
        for (Candidate c : candidates) {
            Values a = values.get(c.left().name() + '\u0000' + c.leftColumn().name());
            Values b = values.get(c.right().name() + '\u0000' + c.rightColumn().name());
            if (a == null || b == null || a.distinct.isEmpty() || b.distinct.isEmpty()) {
                continue;
            }
            Set<String> small = a.distinct.size() <= b.distinct.size() ? a.distinct : b.distinct;
            Set<String> large = small == a.distinct ? b.distinct : a.distinct;
            long common = small.stream().filter(large::contains).count();
            double overlap = (double) common / small.size();
            if (c.related() ? common > 0 : overlap >= UNRELATED_MIN_OVERLAP && common >= 2) {
                found.add(new SharedColumn(
                        c.left().name(),
                        c.leftColumn().name(),
                        c.right().name(),
                        c.rightColumn().name(),
                        c.leftColumn().dtype(),
                        a.distinct.size(),
                        b.distinct.size(),
                        common,
                        Math.round(overlap * 10_000) / 10_000.0,
                        c.related(),
                        a.capped || b.capped));
            }
        }
        return found;
    }

    /** Old and new pairs together, best first: related names first, then by overlap; at most {@link #MAX_PAIRS}. */
    static List<SharedColumn> merge(List<SharedColumn> previous, List<SharedColumn> found) {
        List<SharedColumn> all = new ArrayList<>(previous == null ? List.of() : previous);
        all.addAll(found);
        all.sort(Comparator.comparing(SharedColumn::sameName)
                .reversed()
                .thenComparing(Comparator.comparingDouble(SharedColumn::overlap).reversed())
                .thenComparing(Comparator.comparingLong(SharedColumn::common).reversed()));
        return all.size() > MAX_PAIRS ? List.copyOf(all.subList(0, MAX_PAIRS)) : List.copyOf(all);
    }

    private void read(DatasetDocument dataset, Path file, Set<String> columns, Map<String, Values> into)
            throws IOException {
        List<ColumnSchema> schema = dataset.schema().columns();
        Map<Integer, Values> byIndex = new HashMap<>();
        for (int i = 0; i < schema.size(); i++) {
            if (columns.contains(schema.get(i).name())) {
                Values v = new Values(schema.get(i).type());
                byIndex.put(i, v);
                into.put(dataset.name() + '\u0000' + schema.get(i).name(), v);
            }
        }
        Set<String> missing = new HashSet<>(dataset.naValues() == null ? List.of() : dataset.naValues());
        missing.add("");
        try (CsvRecords records = new CsvRecords(file, Dialect.CANONICAL, LIMITS)) {
            records.header();
            String[] record;
            while ((record = records.next()) != null) {
                for (var e : byIndex.entrySet()) {
                    int i = e.getKey();
                    if (i < record.length && !missing.contains(record[i])) {
                        e.getValue().add(record[i], maxDistinct);
                    }
                }
            }
        }
    }

    /** The distinct values of one column, normalised so that equal values of both sides compare equal. */
    private static final class Values {

        final PandasType type;
        final Set<String> distinct = new HashSet<>();
        boolean capped;

        Values(PandasType type) {
            this.type = type;
        }

        void add(String cell, int max) {
            String value = normalise(type, cell);
            if (distinct.size() >= max && !distinct.contains(value)) {
                capped = true;
                return;
            }
            distinct.add(value);
        }
    }

    static String normalise(PandasType type, String cell) {
        if (type.numeric()) {
            try {
                double d = CellClassifier.toDouble(cell);
                return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
            } catch (RuntimeException e) {
                return cell;
            }
        }
        return cell.strip();
    }

    static boolean compatible(PandasType a, PandasType b) {
        return a == b || a.numeric() && b.numeric();
    }

    private static boolean keyLike(PandasType type) {
        return type == PandasType.INT64 || type == PandasType.OBJECT;
    }

    private static boolean unique(DatasetDocument dataset, ColumnSchema column) {
        var p = column.profile();
        return p != null
                && p.distinct() != null
                && !Boolean.TRUE.equals(p.distinctEstimated())
                && p.distinct() >= 2
                && p.distinct() == dataset.schema().rows() - column.nullCount();
    }

    /**
     * Same name ignoring case and punctuation, or one names the other dataset's id: {@code customer_id} in orders and
     * {@code id} in customers (the dataset name in singular or plural).
     */
    static boolean related(String leftDataset, String leftColumn, String rightDataset, String rightColumn) {
        String a = norm(leftColumn);
        String b = norm(rightColumn);
        if (a.isEmpty() || b.isEmpty()) {
            return false;
        }
        return a.equals(b) || namesId(a, rightDataset, b) || namesId(b, leftDataset, a);
    }

    private static boolean namesId(String column, String otherDataset, String otherColumn) {
        if (!otherColumn.equals("id") && !otherColumn.equals("key") && !otherColumn.equals("code")) {
            return false;
        }
        String stem = norm(otherDataset);
        String singular = stem.endsWith("ies")
                ? stem.substring(0, stem.length() - 3) + "y"
                : stem.endsWith("s") ? stem.substring(0, stem.length() - 1) : stem;
        return !stem.isEmpty() && (column.equals(stem + otherColumn) || column.equals(singular + otherColumn));
    }

    private static String norm(String name) {
        return name == null ? "" : name.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]", "");
    }
}
