package io.llmanalytics.analyst.offline;

import static io.llmanalytics.python.PythonLiterals.number;
import static io.llmanalytics.python.PythonLiterals.string;

import io.llmanalytics.analyst.offline.Plan.Agg;
import io.llmanalytics.analyst.offline.Plan.Chart;
import io.llmanalytics.analyst.offline.Plan.Rank;
import io.llmanalytics.analyst.offline.Plan.Scope;
import io.llmanalytics.python.PythonLiterals;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Writes the pandas code of a {@link Plan}: plain, readable code a person could have written, using only the names the
 * worker provides ({@code df}, {@code pd}, {@code np}, {@code plt}) and assigning {@code result}. Charts are drawn with
 * matplotlib; the worker returns open figures as PNG. The first line is the plan itself ({@link PlanComment}).
 */
final class CodeWriter {

    /** The marker of the error raised when a looked-up value is in no text column (see {@link OfflineAnalyst}). */
    static final String LOOKUP_FAILED = "Value not found:";

    private static final int MAX_BARS = 30;

    private final Lexicon lexicon;
    private final String source;

    /**
     * @param lexicon the dataset the code is about
     * @param source the Python expression of its DataFrame: {@code df}, or {@code dfs['name']} for another dataset
     */
    CodeWriter(Lexicon lexicon, String source) {
        this.lexicon = lexicon;
        this.source = source;
    }

    String write(Plan plan) {
        Code code = new Code();
        Scope scope = plan.scope();
        code.line(PlanComment.write(plan));
        code.line("data = %s", source);
        join(code, scope.join());
        if (scope.measured() != null) {
            code.line("data = data.copy()");
            code.line(
                    "data[%s] = %s",
                    col(scope.measured()),
                    scope.derived().stream().map(c -> "data[" + col(c) + "]").collect(Collectors.joining(" * ")));
        }
        filters(code, scope.filters());
        switch (plan) {
            case Plan.Count c -> count(code, c);
            case Plan.Aggregate a -> aggregate(code, a);
            case Plan.TopRows t -> topRows(code, t);
            case Plan.Share s -> share(code, s);
            case Plan.Values v -> code.line("result = data[%s].value_counts()", col(v.column()));
            case Plan.Columns c -> code.line("result = data.dtypes.astype(str)");
            case Plan.Shape s -> code.line("result = {'rows': int(data.shape[0]), 'columns': int(data.shape[1])}");
            case Plan.Missing m ->
                code.line(
                        m.column() == null
                                ? "result = data.isna().sum()"
                                : "result = int(data[" + col(m.column()) + "].isna().sum())");
            case Plan.Summary s ->
                code.line(
                        s.column() == null
                                ? "result = data.describe()"
                                : "result = data[" + col(s.column()) + "].describe()");
            case Plan.Correlation c ->
                code.line("result = float(data[%s].corr(data[%s]))", col(c.column()), col(c.other()));
            case Plan.Correlations c -> correlations(code, c);
            case Plan.Trend t -> trend(code, t);
            case Plan.Distribution d -> distribution(code, d);
            case Plan.Outliers o -> outliers(code, o);
            case Plan.Head h -> code.line("result = data.%s(%d)", h.first() ? "head" : "tail", h.limit());
            case Plan.Compare c -> compare(code, c);
            case Plan.Value v -> {
                code.line("values = data[%s]", col(v.column()));
                code.line("distinct = values.dropna().unique()");
                code.line("result = distinct[0] if len(distinct) == 1 else values");
            }
        }
        chart(code, plan);
        return code.toString();
    }

    /** A left merge on a key the other dataset holds once per value (checked when the code runs). */
    private static void join(Code code, Plan.Join join) {
        if (join == null) {
            return;
        }
        List<String> columns = new ArrayList<>(List.of(join.rightKey()));
        columns.addAll(join.columns());
        code.line(
                "other = dfs[%s][[%s]]",
                string(join.dataset()),
                columns.stream().map(PythonLiterals::string).collect(Collectors.joining(", ")));
        code.line("if other[%s].duplicated().any():", col(join.rightKey()));
        code.line(
                "    raise ValueError(%s)",
                string("'" + join.rightKey() + "' repeats in " + join.dataset()
                        + ", so joining on it would count rows twice"));
        code.line(
                "data = data.merge(other, left_on=%s, right_on=%s, how='left'%s)",
                col(join.leftKey()),
                col(join.rightKey()),
                join.leftKey().equals(join.rightKey()) ? "" : ", suffixes=('', '_joined')");
    }

    /** One figure per side, then their difference and ratio (when both are positive). */
    private void compare(Code code, Plan.Compare plan) {
        code.line("figures = {}");
        for (Filter side : plan.sides()) {
            code.line("side = data[%s]", condition(side));
            String value;
            if (plan.condition() != null) {
                value = "float((" + condition(plan.condition()).replace("data[", "side[") + ").mean() * 100)";
            } else if (plan.column() == null || plan.agg() == Agg.COUNT) {
                value = "int(len(side))";
            } else if (plan.per() != null) {
                value = "side.groupby(" + col(plan.per()) + ")[" + col(plan.column()) + "].sum()."
                        + plan.agg().method() + "()";
            } else {
                value = "side[" + col(plan.column()) + "]." + plan.agg().method() + "()";
            }
            code.line("figures[%s] = %s", string(sideLabel(side)), value);
        }
        code.line("result = pd.Series(figures, dtype='float64')");
        if (plan.sides().size() == 2) {
            code.line("first, second = result.iloc[0], result.iloc[1]");
            code.line("result['difference'] = first - second");
            code.line("if first > 0 and second > 0:");
            code.line("    result['ratio'] = first / second");
        }
    }

    /** How a side is named in the result: its value, or the yes/no column and yes or no. */
    static String sideLabel(Filter side) {
        return switch (side.op()) {
            case YES -> side.column() + ": yes";
            case NO -> side.column() + ": no";
            default ->
                side.texts().isEmpty()
                        ? Describe.value(side.numbers().get(0))
                        : side.texts().get(0);
        };
    }

    private void filters(Code code, List<Filter> filters) {
        List<String> conditions = new ArrayList<>();
        for (Filter f : filters) {
            if (f.op() == Filter.Op.LOOKUP) {
                lookup(code, f.texts().get(0));
            } else {
                conditions.add(condition(f));
            }
        }
        if (conditions.size() == 1) {
            code.line("data = data[%s]", conditions.get(0));
        } else if (!conditions.isEmpty()) {
            code.line(
                    "data = data[%s]",
                    conditions.stream().map(c -> "(" + c + ")").collect(Collectors.joining(" & ")));
        }
    }

    /** Finds the one text column holding the value (case and plural aside), then keeps its rows. */
    private void lookup(Code code, String value) {
        String folded = value.strip().toLowerCase(Locale.ROOT);
        List<String> needles = new ArrayList<>(List.of(folded));
        String singular = Words.singular(folded);
        if (!singular.equals(folded)) {
            needles.add(singular);
        }
        code.line("needles = [%s]", needles.stream().map(PythonLiterals::string).collect(Collectors.joining(", ")));
        code.line("text_columns = [c for c in data.columns if data[c].dtype == object]");
        code.line(
                "holding = [c for c in text_columns if data[c].astype(str).str.strip().str.lower().isin(needles).any()]");
        code.line("if len(holding) != 1:");
        code.line(
                "    raise ValueError(%s + ' ' + %s + (' is in no text column' if not holding else ' is in several"
                        + " columns: ' + ', '.join(holding)))",
                string(LOOKUP_FAILED), string(value));
        code.line("data = data[data[holding[0]].astype(str).str.strip().str.lower().isin(needles)]");
    }

    String condition(Filter f) {
        String c = "data[" + col(f.column()) + "]";
        boolean date = lexicon.column(f.column()).map(Column::date).orElse(false);
        return switch (f.op()) {
            case EQ -> c + " == " + operand(f);
            case NE -> c + " != " + operand(f);
            case IN -> c + ".isin([" + operands(f) + "])";
            case NOT_IN -> "~" + c + ".isin([" + operands(f) + "])";
            case GT, GE, LT, LE ->
                c + " " + symbol(f.op()) + " "
                        + (date
                                ? "pd.Timestamp(" + string(f.texts().get(0)) + ")"
                                : number(f.numbers().get(0)));
            case BETWEEN ->
                c + ".between(" + number(f.numbers().get(0)) + ", "
                        + number(f.numbers().get(1)) + ")";
            case CONTAINS -> c + ".str.contains(" + string(f.texts().get(0)) + ", case=False, regex=False, na=False)";
            case STARTS ->
                c + ".str.lower().str.startswith(" + string(f.texts().get(0).toLowerCase(Locale.ROOT)) + ", na=False)";
            case ENDS ->
                c + ".str.lower().str.endswith(" + string(f.texts().get(0).toLowerCase(Locale.ROOT)) + ", na=False)";
            case YES -> c + " == " + flagValue(f.column(), true);
            case NO -> c + " == " + flagValue(f.column(), false);
            case PERIOD ->
                c + ".dt.strftime("
                        + string(
                                switch (f.texts().get(0).length()) {
                                    case 4 -> "%Y";
                                    case 7 -> "%Y-%m";
                                    default -> "%Y-%m-%d";
                                })
                        + ") == " + string(f.texts().get(0));
            case MONTH -> c + ".dt.month == " + number(f.numbers().get(0));
            case QUARTER ->
                f.numbers().size() > 1
                        ? "(" + c + ".dt.quarter == " + number(f.numbers().get(0)) + ") & (" + c + ".dt.year == "
                                + number(f.numbers().get(1)) + ")"
                        : c + ".dt.quarter == " + number(f.numbers().get(0));
            case LOOKUP -> throw new IllegalArgumentException("a lookup is not a condition");
        };
    }

    /** The operands of a membership test: text values, or the codes of a numeric column named by their labels. */
    private static String operands(Filter f) {
        return f.texts().isEmpty()
                ? f.numbers().stream().map(PythonLiterals::number).collect(Collectors.joining(", "))
                : f.texts().stream().map(PythonLiterals::string).collect(Collectors.joining(", "));
    }

    private static String operand(Filter f) {
        return f.texts().isEmpty()
                ? number(f.numbers().get(0))
                : string(f.texts().get(0));
    }

    private String flagValue(String column, boolean yes) {
        Column c = lexicon.column(column).orElseThrow();
        return yes ? c.truthy() : c.falsy();
    }

    private static String symbol(Filter.Op op) {
        return switch (op) {
            case GT -> ">";
            case GE -> ">=";
            case LT -> "<";
            default -> "<=";
        };
    }

    private void count(Code code, Plan.Count plan) {
        if (plan.groupBy().isEmpty()) {
            code.line("result = int(len(data))");
            return;
        }
        code.line("result = data.groupby(%s).size().rename('count')", groups(plan.groupBy()));
        order(code, plan.groupBy(), plan.rank());
    }

    private void aggregate(Code code, Plan.Aggregate plan) {
        String column = "[" + col(plan.column()) + "]";
        if (plan.per() != null) {
            // "median revenue per order": each order's total first
            code.line("totals = data.groupby(%s)%s.sum()", col(plan.per()), column);
            code.line("result = totals.%s()", plan.agg().method());
            return;
        }
        if (plan.groupBy().isEmpty()) {
            String value = "data" + column + "." + plan.agg().method() + "()";
            boolean whole = plan.agg() == Agg.NUNIQUE || plan.agg() == Agg.COUNT;
            code.line("result = %s", whole ? "int(" + value + ")" : value);
            return;
        }
        code.line(
                "result = data.groupby(%s)%s.%s()",
                groups(plan.groupBy()), column, plan.agg().method());
        order(code, plan.groupBy(), plan.rank());
    }

    /** Sorts grouped results by value (largest first) unless the groups have an order of their own. */
    private void order(Code code, List<String> groupBy, Rank rank) {
        boolean natural = rank == null
                && groupBy.size() == 1
                && lexicon.column(groupBy.get(0))
                        .map(c -> c.numeric() || c.date())
                        .orElse(false);
        if (rank != null) {
            cut(code, rank);
        } else if (!natural) {
            code.line("result = result.sort_values(ascending=False)");
        }
    }

    private void topRows(Code code, Plan.TopRows plan) {
        Rank rank = plan.rank();
        String method = rank.ascending() ? "nsmallest" : "nlargest";
        boolean date = lexicon.column(plan.column()).map(Column::date).orElse(false);
        if (date) {
            code.line(
                    "result = data.dropna(subset=[%s]).sort_values(%s, ascending=%s)",
                    col(plan.column()), col(plan.column()), py(rank.ascending()));
            code.line("if len(result) > %d:", rank.limit());
            code.line(
                    "    result = result[result[%s] %s result[%s].iloc[%d]]",
                    col(plan.column()), rank.ascending() ? "<=" : ">=", col(plan.column()), rank.limit() - 1);
        } else {
            code.line("result = data.%s(%d, %s, keep='all')", method, rank.limit(), col(plan.column()));
        }
        if (plan.label() != null) {
            code.line("result = result[[%s, %s]]", col(plan.label()), col(plan.column()));
        }
    }

    private void share(Code code, Plan.Share plan) {
        String measure = plan.column() == null ? null : "data[" + col(plan.column()) + "]";
        if (plan.condition() != null) {
            code.line("hit = %s", condition(plan.condition()));
        }
        if (plan.groupBy().isEmpty()) {
            code.line(
                    measure == null
                            ? "result = float(hit.mean() * 100)"
                            : "result = float(" + measure + "[hit].sum() / " + measure + ".sum() * 100)");
            return;
        }
        String keys = plan.groupBy().stream().map(g -> "data[" + col(g) + "]").collect(Collectors.joining(", "));
        keys = plan.groupBy().size() == 1 ? keys : "[" + keys + "]";
        if (plan.condition() != null) {
            code.line(
                    measure == null
                            ? "result = hit.groupby(" + keys + ").mean() * 100"
                            : "result = " + measure + ".where(hit, 0).groupby(" + keys + ").sum() / " + measure
                                    + ".groupby(" + keys + ").sum() * 100");
        } else {
            code.line(
                    measure == null
                            ? "totals = data.groupby(" + groups(plan.groupBy()) + ").size()"
                            : "totals = " + measure + ".groupby(" + keys + ").sum()");
            code.line("result = totals / totals.sum() * 100");
        }
        code.line("result = result.rename('percent')");
        order(code, plan.groupBy(), null);
    }

    private void correlations(Code code, Plan.Correlations plan) {
        List<String> numeric = lexicon.columns().stream()
                .filter(c -> c.numeric() && !c.identifier())
                .map(Column::name)
                .toList();
        code.line(
                "numeric = data[[%s]]",
                numeric.stream().map(PythonLiterals::string).collect(Collectors.joining(", ")));
        code.line("matrix = numeric.corr()");
        int limit = plan.limit() != null ? plan.limit() : 10;
        if (plan.column() != null) {
            code.line("pairs = matrix[%s].drop(%s).dropna()", col(plan.column()), col(plan.column()));
        } else {
            code.line("pairs = matrix.where(np.triu(np.ones(matrix.shape, dtype=bool), k=1)).stack()");
        }
        code.line("result = pairs.reindex(pairs.abs().sort_values(ascending=False).index).head(%d)", limit);
    }

    private void trend(Code code, Plan.Trend plan) {
        code.line(
                "periods = data[%s].dt.to_period(%s)",
                col(plan.date()), string(plan.grain().code()));
        if (plan.agg() == Agg.COUNT || plan.column() == null) {
            code.line("result = data.groupby(periods).size().rename('count')");
        } else {
            code.line(
                    "result = data.groupby(periods)[%s].%s()",
                    col(plan.column()), plan.agg().method());
        }
        if (plan.rank() != null) {
            cut(code, plan.rank());
        }
    }

    /** Keeps the first {@code limit} values, and those tied with the last of them: a tie is never hidden. */
    private static void cut(Code code, Rank rank) {
        code.line("result = result.sort_values(ascending=%s)", py(rank.ascending()));
        code.line("if len(result) > %d:", rank.limit());
        code.line("    result = result[result %s result.iloc[%d]]", rank.ascending() ? "<=" : ">=", rank.limit() - 1);
    }

    private void distribution(Code code, Plan.Distribution plan) {
        boolean numeric = lexicon.column(plan.column()).map(Column::numeric).orElse(false);
        code.line(
                numeric
                        ? "result = data[" + col(plan.column()) + "].describe()"
                        : "result = data[" + col(plan.column()) + "].value_counts()");
    }

    private void outliers(Code code, Plan.Outliers plan) {
        String c = col(plan.column());
        code.line("values = data[%s].dropna()", c);
        code.line("q1 = values.quantile(0.25)");
        code.line("q3 = values.quantile(0.75)");
        code.line("lower = q1 - 1.5 * (q3 - q1)");
        code.line("upper = q3 + 1.5 * (q3 - q1)");
        code.line("outliers = data[(data[%s] < lower) | (data[%s] > upper)].sort_values(%s, ascending=False)", c, c, c);
        code.line("result = {'count': int(len(outliers)), 'lower_bound': float(lower), 'upper_bound': float(upper),"
                + " 'rows_checked': int(len(values)), 'outliers': outliers}");
    }

    /** The chart that suits a plan's result when the question only says "plot" or "chart". */
    static Chart suited(Plan plan) {
        return switch (plan) {
            case Plan.Trend t -> Chart.LINE;
            case Plan.Distribution d -> Chart.HISTOGRAM;
            case Plan.Correlation c -> Chart.SCATTER;
            case Plan.Count c -> Chart.BAR;
            case Plan.Aggregate a -> Chart.BAR;
            case Plan.TopRows t -> Chart.BAR;
            case Plan.Share s -> Chart.BAR;
            case Plan.Values v -> Chart.BAR;
            case Plan.Columns c -> Chart.BAR;
            case Plan.Shape s -> Chart.BAR;
            case Plan.Missing m -> Chart.BAR;
            case Plan.Summary s -> Chart.BAR;
            case Plan.Correlations c -> Chart.BAR;
            case Plan.Outliers o -> Chart.BAR;
            case Plan.Head h -> Chart.BAR;
            case Plan.Value v -> Chart.BAR;
            case Plan.Compare c -> Chart.BAR;
        };
    }

    /** The chart the code draws for a plan, or {@code NONE} when its result is not something to chart. */
    static Chart drawn(Plan plan, Lexicon lexicon) {
        Chart asked = plan.scope().chart();
        if (asked == Chart.NONE) {
            return Chart.NONE;
        }
        String column = Plan.column(plan);
        boolean numeric =
                column != null && lexicon.column(column).map(Column::numeric).orElse(false);
        boolean series = switch (plan) {
            case Plan.Count c -> !c.groupBy().isEmpty();
            case Plan.Aggregate a -> !a.groupBy().isEmpty();
            case Plan.Share s -> !s.groupBy().isEmpty();
            case Plan.Compare c -> true;
            case Plan.Trend t -> true;
            case Plan.Values v -> true;
            case Plan.Correlations c -> true;
            case Plan.Missing m -> true;
            case Plan.Distribution d -> true;
            case Plan.TopRows t -> true;
            case Plan.Columns c -> false;
            case Plan.Shape s -> false;
            case Plan.Summary s -> false;
            case Plan.Correlation c -> false;
            case Plan.Outliers o -> false;
            case Plan.Head h -> false;
            case Plan.Value v -> false;
        };
        if (plan instanceof Plan.Correlation) {
            return Chart.SCATTER;
        }
        if (plan instanceof Plan.Distribution && numeric) {
            return Chart.HISTOGRAM;
        }
        if (asked == Chart.HISTOGRAM && numeric && !series) {
            return Chart.HISTOGRAM;
        }
        if (!series) {
            return Chart.NONE;
        }
        return asked == Chart.HISTOGRAM || asked == Chart.SCATTER ? Chart.BAR : asked;
    }

    private void chart(Code code, Plan plan) {
        Chart kind = drawn(plan, lexicon);
        if (kind == Chart.NONE) {
            return;
        }
        String column = Plan.column(plan);
        switch (kind) {
            case HISTOGRAM -> {
                code.line("fig, ax = plt.subplots(figsize=(9, 5))");
                code.line("ax.hist(data[%s].dropna(), bins=30, color='#4C72B0', edgecolor='white')", col(column));
                code.line("ax.set_xlabel(%s)", string(column));
                code.line("ax.set_ylabel('rows')");
            }
            case SCATTER -> {
                Plan.Correlation c = (Plan.Correlation) plan;
                code.line("fig, ax = plt.subplots(figsize=(9, 5))");
                code.line("ax.scatter(data[%s], data[%s], s=12, alpha=0.6)", col(c.column()), col(c.other()));
                code.line("ax.set_xlabel(%s)", string(c.column()));
                code.line("ax.set_ylabel(%s)", string(c.other()));
            }
            default -> {
                String series = "result";
                if (plan instanceof Plan.Compare c) {
                    series = "result.iloc[:" + c.sides().size() + "]"; // the sides, not their difference
                }
                if (plan instanceof Plan.TopRows t) {
                    String label = labelColumn(t);
                    series = label == null
                            ? "result[" + col(t.column()) + "]"
                            : "result.set_index(" + col(label) + ")[" + col(t.column()) + "]";
                }
                code.line("shown = %s.head(%d)", series, kind == Chart.LINE ? 1000 : MAX_BARS);
                code.line("labels = [str(label) for label in shown.index]");
                code.line("fig, ax = plt.subplots(figsize=(9, 5))");
                switch (kind) {
                    case LINE -> {
                        code.line("ax.plot(labels, shown.values, marker='o')");
                        code.line("ax.xaxis.set_major_locator(plt.MaxNLocator(12))");
                    }
                    case PIE -> {
                        code.line("ax.pie(shown.values, labels=labels, autopct='%1.1f%%')");
                        code.line("ax.axis('equal')");
                    }
                    default -> code.line("ax.bar(labels, shown.values, color='#4C72B0')");
                }
                if (kind != Chart.PIE) {
                    code.line("ax.tick_params(axis='x', labelrotation=45)");
                }
            }
        }
        code.line("ax.set_title(%s)", string(title(plan)));
        code.line("fig.tight_layout()");
    }

    /** The column naming the rows of a ranking: the ranked group column, else one called a name or title. */
    private String labelColumn(Plan.TopRows plan) {
        if (plan.label() != null) {
            return plan.label();
        }
        return lexicon.columns().stream()
                .filter(c ->
                        c.text() && (c.words().contains("name") || c.words().contains("title")))
                .map(Column::name)
                .findFirst()
                .orElse(null);
    }

    static String title(Plan plan) {
        return Describe.subject(plan);
    }

    private static String col(String name) {
        return string(name);
    }

    private static String groups(List<String> groupBy) {
        return groupBy.size() == 1
                ? string(groupBy.get(0))
                : "[" + groupBy.stream().map(PythonLiterals::string).collect(Collectors.joining(", ")) + "]";
    }

    private static String py(boolean b) {
        return b ? "True" : "False";
    }

    /** Lines of code. */
    private static final class Code {
        private final StringBuilder text = new StringBuilder();

        void line(String format, Object... args) {
            text.append(args.length == 0 ? format : String.format(Locale.ROOT, format, args))
                    .append('\n');
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
