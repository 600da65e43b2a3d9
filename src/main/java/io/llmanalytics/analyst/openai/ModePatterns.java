package io.llmanalytics.analyst.openai;

import io.llmanalytics.analyst.plan.Mode;

/** The guidance of each multi-step mode, for the plan, the steps' code and the synthesis. */
final class ModePatterns {

    private ModePatterns() {}

    /** How the plan of {@code mode} goes. */
    static String plan(Mode mode) {
        return switch (mode) {
            case EXPLORE ->
                "Exploratory analysis: shape and column types; missing values; distributions of the main measures;"
                        + " the strongest relationships between columns; outliers; time coverage when there is a date"
                        + " column.";
            case STATISTICS ->
                "Statistical analysis: first descriptive statistics of the variables involved; then check the"
                        + " assumptions (normality with Shapiro-Wilk, group sizes); then the right test: two groups ->"
                        + " Welch's t-test when roughly normal or large, else Mann-Whitney U; three or more groups ->"
                        + " one-way ANOVA or Kruskal-Wallis; two categorical variables -> chi-square test of"
                        + " independence; two numeric variables -> Pearson or Spearman correlation with its p-value;"
                        + " an outcome explained by several variables -> linear (numeric outcome) or logistic (binary"
                        + " outcome) regression with statsmodels; always an effect size (Cohen's d, eta squared,"
                        + " Cramér's V, r, R squared).";
            case MODEL ->
                "Machine-learning analysis: identify the target and the features from the question; prepare the"
                        + " features (encode categories, drop identifiers and leaking columns); a train/test split with"
                        + " a fixed random_state; a baseline (majority class for classification, the mean for"
                        + " regression); one or two scikit-learn models (for example logistic or linear regression and"
                        + " a random forest of at most 100 trees); cross-validated metrics (accuracy/F1 or R squared/MAE)"
                        + " for the baseline and the models; feature importance of the best model.";
            case ANSWER -> "";
        };
    }

    /** What a step's code must keep to in {@code mode}. */
    static String step(Mode mode) {
        return switch (mode) {
            case EXPLORE -> "Keep each result small: a number, a short mapping or a table of a few rows.";
            case STATISTICS ->
                "Use scipy.stats and statsmodels (import them). Assign to `result` a mapping with the test's name,"
                        + " statistic, p-value, sample sizes and effect size, rounded to 4 decimals.";
            case MODEL ->
                "Use scikit-learn (import it) with small models only: the code runs under strict time and memory"
                        + " limits. Assign to `result` a mapping of the metrics (rounded to 4 decimals), or the"
                        + " feature importances as a short table.";
            case ANSWER -> "";
        };
    }

    /** What the synthesis of {@code mode} states. */
    static String synthesis(Mode mode) {
        return switch (mode) {
            case EXPLORE -> "Lead with the most important findings about the data.";
            case STATISTICS ->
                "Name the test, its statistic, the p-value and the effect size, and say in plain words whether the"
                        + " difference or relationship is statistically significant and how large it is.";
            case MODEL ->
                "Say how good the best model is compared with the baseline (the metric of each), and which features"
                        + " matter most.";
            case ANSWER -> "";
        };
    }
}
