/**
 * The offline analyst: the built-in, rule-based {@link io.llmanalytics.analyst.Analyst} (name {@code offline}) that
 * answers when no language model is configured ({@code ANALYST=auto} without {@code OPENAI_API_KEY} and
 * {@code OPENAI_BASE_URL}, or {@code ANALYST=offline}). It plugs into the same pipeline as any analyst: its code is
 * validated, executed by the worker, streamed, stored in history and its explanation grounded.
 *
 * <h2>How a question is answered</h2>
 * <ol>
 * <li>{@link io.llmanalytics.analyst.offline.Tokenizer} splits the question; {@link io.llmanalytics.analyst.offline.Annotator} finds,
 * against the dataset's {@link io.llmanalytics.analyst.offline.Lexicon}, the columns (case, spaces/underscores, plurals, close
 * spellings, part of a longer name, abbreviations), the values of text columns (top values and sample rows), and the
 * {@link io.llmanalytics.analyst.offline.Cue} words (aggregations, rankings, comparisons, charts...).</li>
 * <li>{@link io.llmanalytics.analyst.offline.QuestionReader} (with {@link io.llmanalytics.analyst.offline.FilterReader}) turns them
 * into {@link io.llmanalytics.analyst.offline.Parts}; every word must be accounted for, or it is reported.</li>
 * <li>{@link io.llmanalytics.analyst.offline.Planner} decides the {@link io.llmanalytics.analyst.offline.Plan}, or
 * {@link io.llmanalytics.analyst.offline.FollowUp} applies a follow-up to the previous question's plan (read back from the
 * {@code # offline-plan:} comment of its code, see {@link io.llmanalytics.analyst.offline.PlanComment}, or re-read from its
 * question when another analyst answered it).</li>
 * <li>{@link io.llmanalytics.analyst.offline.CodeWriter} writes plain pandas/matplotlib code;
 * {@link io.llmanalytics.analyst.offline.Narrator} explains the executed result in one to three grounded sentences.</li>
 * </ol>
 *
 * <h2>Where a new kind of question goes</h2>
 * <p>In one place: a record in {@link io.llmanalytics.analyst.offline.Plan} (the sealed interface), holding exactly the parts
 * its kind uses (the shared ones are in {@link io.llmanalytics.analyst.offline.Plan.Scope}), added to its {@code permits} list
 * and to its {@code @JsonSubTypes} (a test checks that the two agree). The compiler then lists every switch that must
 * handle it: the code ({@link io.llmanalytics.analyst.offline.CodeWriter}), the explanation
 * ({@link io.llmanalytics.analyst.offline.Narrator}), the reading and subject ({@link io.llmanalytics.analyst.offline.Describe}) and
 * the chart choice switch over the plan without a {@code default}. Then a
 * {@link io.llmanalytics.analyst.offline.Planner.Rule} that reads the question as the new kind goes into the planner's
 * ordered rules, at the place of its precedence (the first rule that applies decides), and
 * {@link io.llmanalytics.analyst.offline.FollowUp} says which follow-ups it takes (any other is declined).
 *
 * <h2>Readings it never guesses</h2>
 * <ul>
 * <li>Sums only of amounts: every plan, from the planner or a follow-up, goes through
 * {@link io.llmanalytics.analyst.offline.Amounts#check}, which declines a plan that would add up rates, ratios, shares or
 * percentages ({@code discount}, {@code per_dem}, columns within [0, 100] of a table named for percentages), scores,
 * indexes, averages, ages or temperatures, with the reason and suggestions that parse ("average discount"). A new kind
 * of question that sums a column says so in {@code Amounts.summed} (an exhaustive switch).</li>
 * <li>"How many X" where X is a text column: the distinct count when the values are unique per row or when X holds a
 * few categories each on many rows ("how many regions"); the row count when the question says rows/records/entries;
 * the distinct count when it says distinct/different/unique; otherwise declined with both readings as suggestions
 * ("how many counties" where county names repeat across states).</li>
 * <li>"Cheapest product", "oldest employee": the rows themselves, ties shown, named by the target's column when its
 * values are unique per row.</li>
 * <li>A question whose every word was placed in the default dataset and was declined there with readings to choose from
 * is not re-read against another dataset; nor does another dataset read a column word of the default one as the name
 * of its rows.</li>
 * </ul>
 *
 * <p>Questions it cannot place fail with {@code QUESTION_NOT_UNDERSTOOD} (422) at once: the detail says why, lists
 * example questions built from the dataset ({@link io.llmanalytics.analyst.offline.Suggestions}) and how to configure a
 * language model. A second attempt (after code that failed when it ran) ends the analysis instead of repeating it.
 *
 * <p>HTTP: {@code GET /api/session/{id}/suggestions[?limit=1..12]} →
 * {@code {session_id, dataset, questions: [...]}} ({@code io.llmanalytics.api.SuggestionsResource}); 404 for an
 * unknown session.
 */
package io.llmanalytics.analyst.offline;
