// Example questions: the service's own (GET /api/session/{id}/suggestions) when it offers them, otherwise a few
// built from the dataset's schema.

/** Up to four example questions about a dataset view. */
export function fallbackSuggestions(dataset) {
  const types = dataset.data_types ?? {};
  const names = dataset.column_names ?? Object.keys(types);
  const numeric = (dataset.numeric_columns ?? names.filter((n) => /^(int|float)/.test(types[n] ?? '')))
    .filter((n) => !/(^|_| )(id|index)$/i.test(n));
  const profile = dataset.profile ?? {};
  const categorical = (dataset.categorical_columns ?? []).filter((n) => {
    const distinct = profile[n]?.distinct;
    return typeof distinct !== 'number' || (distinct > 1 && distinct <= 50);
  });
  const dates = names.filter((n) => (types[n] ?? '').startsWith('datetime'));
  const out = [];
  if (numeric[0] && categorical[0]) out.push(`What is the total ${numeric[0]} by ${categorical[0]}?`);
  if (numeric[0]) out.push(`What is the average ${numeric[numeric.length > 1 ? 1 : 0]}?`);
  if (numeric[0] && dates[0]) out.push(`How did ${numeric[0]} change by month?`);
  if (categorical[0]) out.push(`How many rows are there per ${categorical[categorical.length > 1 ? 1 : 0]}?`);
  if (Object.values(dataset.null_counts ?? {}).some((n) => n > 0)) out.push('Which columns have missing values?');
  if (out.length < 4) out.push('Summarise the data.');
  return [...new Set(out)].slice(0, 4);
}
