/**
 * Multi-step analyses (issue 18's modes): the plan an analyst writes for a question, the requests of its steps and
 * the synthesis of their results, and the check that every number the synthesis states comes from a step's result.
 */
package io.llmanalytics.analyst.plan;
