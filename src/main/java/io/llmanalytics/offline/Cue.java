package io.llmanalytics.offline;

import java.util.Arrays;
import java.util.List;

/**
 * The words and phrases that say what a question asks, as opposed to what it is about (columns and values). Phrases
 * are matched on folded, singular words, so {@code "how many"} also matches "How Many" and {@code "column"} matches
 * "columns". When phrases of two cues cover the same words, the longer phrase wins, then the cue declared first.
 */
enum Cue {
    HOW_MANY("how many", "how much of"),
    HOW_MUCH("how much"),
    COUNT("number of", "count of", "count", "no of", "num of", "total number of", "frequency", "tally",
            "how often", "often", "time"),
    SUM("total", "sum", "sum of", "combined", "altogether", "in total", "aggregate", "summed"),
    MEAN("average", "avg", "mean", "on average", "typical", "per capita"),
    MEDIAN("median"),
    MAX("maximum", "max", "peak"),
    MIN("minimum", "min"),
    STD("standard deviation", "std", "stdev", "std dev", "deviation"),
    VARIANCE("variance"),
    DISTINCT("distinct", "unique", "different", "various"),
    HIGH("highest", "largest", "biggest", "greatest", "most", "top", "best", "longest", "heaviest", "tallest",
            "strongest", "busiest", "richest", "maximal", "leading", "high"),
    LOW("lowest", "smallest", "least", "fewest", "bottom", "worst", "shortest", "lightest", "weakest", "poorest",
            "minimal", "low"),
    EXPENSIVE("most expensive", "priciest", "costliest", "most costly"),
    CHEAP("cheapest", "least expensive", "least costly"),
    OLDEST("oldest", "eldest"),
    LATEST("latest", "most recent", "newest", "most recently"),
    EARLIEST("earliest", "least recent"),
    YOUNGEST("youngest"),
    COMMON("most common", "most frequent", "most popular", "most often", "commonest", "most frequently",
            "appear most", "appear the most", "occur most", "most occurring", "mode", "most represented"),
    RARE("least common", "least frequent", "least popular", "least often", "rarest", "least frequently",
            "least represented"),
    BY("by", "per", "for each", "for every", "in each", "in every", "across", "grouped by", "group by",
            "broken down by", "break down by", "break it down by", "breakdown by", "split by", "wise", "each",
            "every", "for all", "across all", "by each", "according to"),
    GT("greater than", "more than", "higher than", "larger than", "bigger than", "over", "above", "exceeding",
            "exceeds", "exceed", "later than", "older than", "heavier than", "longer than", "after",
            "more expensive than", "pricier than", "costlier than"),
    GE("at least", "or more", "no less than", "since", "or above", "and above", "and up", "or higher",
            "or greater", "or later", "or over", "and over", "minimum of"),
    LT("less than", "fewer than", "lower than", "smaller than", "under", "below", "cheaper than", "younger than",
            "earlier than", "shorter than", "lighter than", "before"),
    LE("at most", "or less", "no more than", "up to", "or fewer", "or below", "and below", "or lower",
            "or earlier", "or under", "and under", "until", "maximum of"),
    EQ("equal to", "equals", "equal", "exactly", "is equal to", "is exactly"),
    NE("not equal to", "other than", "different from", "excluding", "except", "apart from", "aside from",
            "not including", "excluding the", "except for"),
    NOT("not", "non", "didn t", "don t", "doesn t", "isn t", "wasn t", "aren t", "weren t", "haven t", "hasn t",
            "did not", "do not", "does not", "without", "never", "no"),
    BETWEEN("between", "from"),
    AND("and", "&", "as well as", "plus"),
    OR("or", "and/or"),
    TO("to", "through", "till", "until and including"),
    CONTAINS("contain", "containing", "include", "including", "like", "mention", "mentioning",
            "with the word", "has the word", "matching", "match"),
    STARTS("start with", "starting with", "begin with", "beginning with"),
    ENDS("end with", "ending with", "ending in"),
    SHARE("share", "percentage", "percent", "proportion", "fraction", "%", "pct", "contribution",
            "contribute", "what part of", "how much of the", "portion"),
    RATE("rate", "ratio"),
    TREND("trend", "over time", "evolution", "evolve", "evolved", "change over time", "changed over time",
            "time series", "timeline", "trending", "progression", "through time", "over the year",
            "over the month", "grow", "growth", "change"),
    DAY("day", "daily", "per day", "date"),
    WEEK("week", "weekly"),
    MONTH("month", "monthly"),
    QUARTER("quarter", "quarterly"),
    YEAR("year", "yearly", "annual", "annually"),
    CHART("plot", "chart", "graph", "visualize", "visualise", "visualization", "visualisation", "diagram",
            "draw", "figure", "plotted", "charted", "graphed", "picture", "graphic", "graphically", "visual"),
    BAR("bar", "bar chart", "bar graph", "bar plot", "column chart", "bar diagram"),
    LINE("line", "line chart", "line graph", "line plot"),
    PIE("pie", "pie chart", "donut"),
    HISTOGRAM("histogram", "histo", "hist"),
    SCATTER("scatter", "scatter plot", "scatterplot", "scatter chart", "scatter graph"),
    MISSING("missing", "null", "nan", "empty", "blank", "na", "n a", "missing value", "null value",
            "not filled", "incomplete", "missing data", "gap"),
    COLUMNS("column", "field", "variable", "feature", "attribute", "header", "column name", "field name"),
    ROWS("row", "record", "entry", "observation", "data point", "line item"),
    SHAPE("shape", "size", "dimension", "how big", "how large"),
    TYPES("data type", "dtype", "type of each column", "column type", "types"),
    DESCRIBE("summary", "summarize", "summarise", "describe", "description", "statistic", "stat", "overview",
            "profile", "summary statistic", "descriptive statistic", "quick look", "basic statistic", "stats"),
    CORRELATION("correlation", "correlated", "correlate", "relationship", "related", "relation", "associated",
            "association", "correlating", "corr", "connection", "linked", "relate", "depend", "depends"),
    OUTLIER("outlier", "anomaly", "anomalous", "unusual", "extreme", "abnormal", "unusually", "extreme value"),
    DISTRIBUTION("distribution", "distributed", "spread", "range of value", "spread out"),
    VALUES("value", "option", "level", "possible value", "categories of", "kind of", "type of"),
    LIST("list", "what are the", "which are the", "enumerate", "show all", "list all", "name all", "show me all",
            "what are all"),
    WHICH("which", "what"),
    WHO("who", "whom"),
    FIRST("first", "head"),
    LAST("last", "final", "tail"),
    FOLLOW("now", "what about", "how about", "instead", "also", "then", "what if", "and what about",
            "and how about", "same for", "same but", "again", "same thing", "do the same"),
    REFER("that", "it", "this", "those", "these", "them", "the same", "same", "previous", "the previous",
            "result", "the result", "answer", "the answer", "the above", "last one"),
    RANK("rank", "ranking", "ranked", "ordered", "sorted", "descending", "ascending", "ascend", "descend",
            "increasing", "decreasing", "ranked by", "sorted by", "ordered by", "sort by", "in order"),
    ASCENDING_ORDER("ascending order", "increasing order", "from lowest", "smallest first", "lowest first",
            "from smallest");

    private final List<List<String>> phrases;

    Cue(String... phrases) {
        this.phrases = Arrays.stream(phrases)
                .map(p -> Arrays.stream(p.split(" ")).map(Words::fold).map(Words::singular).toList())
                .toList();
    }

    List<List<String>> phrases() {
        return phrases;
    }
}
