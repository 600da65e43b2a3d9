"""Automatic insights about a session's datasets, computed in an execution child (same layers and limits as analysis
code) when the JVM sends an ``insights`` request.

Every number an insight reports is computed by the insight's own ``code``: a short pandas snippet, run here exactly
as an analysis would run it (compiled as analysis code, restricted builtins, the audit hook's user-code rules) and
leaving its numbers in ``result``. Detection only picks which snippets to run; the snippet's result decides whether
the insight holds. So the code shown to people reproduces the numbers when run against ``df`` (or ``dfs[name]``).

Kinds: missing_values, constant_column, duplicate_columns, duplicate_rows, correlation, outliers, skewed,
date_coverage, dominant_category. Each insight: {kind, dataset, columns, sentence, numbers, code, question, score}.
"""
import math
import time

import numpy as np
import pandas as pd

import guard

DEFAULTS = {
    'max_insights': 12,
    'missing_share': 0.2,
    'min_correlation': 0.5,
    'max_correlations': 3,
    'min_skew': 1.0,
    'max_per_kind': 4,
    'dominant_share': 0.5,
    'max_categories': 20,
    'budget_ms': 3500,
}

_UNIT_WORDS = {'H': 'hour', 'D': 'day', 'W': 'week', 'M': 'month', 'Q': 'quarter', 'Y': 'year'}


class Budget:

    def __init__(self, millis):
        self.deadline = time.monotonic() + max(0.0, millis / 1000.0)

    def left(self):
        return time.monotonic() < self.deadline


class Runner:
    """Runs snippets the way an analysis runs: compiled as analysis code, with the restricted builtins."""

    def __init__(self, frames, default, builtins):
        self.frames = frames
        self.default = default
        self.builtins = builtins
        self.cache = {}

    def frame_expr(self, dataset):
        return 'df' if dataset == self.default else 'dfs[%r]' % (dataset,)

    def run(self, dataset, code):
        names = {'__name__': '__main__', 'pd': pd, 'np': np, 'math': math, 'df': self.frames[self.default],
                 'dfs': dict(self.frames), 'result': None}
        if self.builtins is not None:
            names['__builtins__'] = self.builtins
        exec(compile(code, guard.USER_FILENAME, 'exec', dont_inherit=True), names)  # noqa: S102 (fixed snippets)
        return names.get('result')


def compute(frames, default, builtins=None, options=None):
    """The insights of ``frames`` ({name: DataFrame}; ``default`` is the one called ``df``), most important first:
    ``{insights: [...], skipped: [{dataset, detector, reason}], found: n}`` (``found`` counts before the cap)."""
    settings = dict(DEFAULTS)
    settings.update({k: v for k, v in (options or {}).items() if k in DEFAULTS and v is not None})
    budget = Budget(float(settings['budget_ms']))
    runner = Runner(frames, default, builtins)
    found, skipped = [], []
    for name, frame in frames.items():
        for detector in DETECTORS:
            if not budget.left():
                skipped.append({'dataset': name, 'detector': detector.__name__, 'reason': 'time budget'})
                continue
            try:
                found.extend(detector(runner, name, frame, settings, budget))
            except MemoryError:
                raise
            except Exception as e:  # noqa: one detector failing on odd data must not cost the others
                skipped.append({'dataset': name, 'detector': detector.__name__,
                                'reason': '%s: %s' % (type(e).__name__, str(e)[:200])})
    found.sort(key=lambda i: -i['score'])
    kept = found[:max(0, int(settings['max_insights']))]
    for insight in kept:
        insight['numbers'] = _clean(insight['numbers'])
    return {'insights': kept, 'skipped': skipped, 'found': len(found)}


# -- helpers --------------------------------------------------------------------------------------------------------

def _clean(value):
    """JSON-safe numbers: NaN and infinities become None, numpy scalars plain Python."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(float(value)) else None
    return value if value is None or isinstance(value, str) else str(value)


def _insight(kind, dataset, columns, sentence, numbers, code, question, score):
    return {'kind': kind, 'dataset': dataset, 'columns': list(columns), 'sentence': sentence, 'numbers': numbers,
            'code': code, 'question': question, 'score': round(float(score), 4)}


def _numeric(s):
    """A measure: numbers, but not booleans nor a row number (increasing unique integers such as an id)."""
    if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
        return False
    return not (pd.api.types.is_integer_dtype(s) and s.is_monotonic_increasing and s.is_unique)


def _text(s):
    return pd.api.types.is_object_dtype(s) or pd.api.types.is_categorical_dtype(s) \
        or pd.api.types.is_string_dtype(s)


def _distinct_at_least(s, k):
    """Whether ``s`` has at least ``k`` distinct non-missing values; looks at the first rows before all of them."""
    return s.iloc[:2000].nunique() >= k or s.nunique() >= k


def _constant(s):
    """One value in every row (missing counts as a value); cheap for the usual column that is not."""
    return s.iloc[:2000].nunique(dropna=False) == 1 and s.nunique(dropna=False) == 1


def _pct(share):
    return '%.1f%%' % (100.0 * share)


def _num(x):
    if x is None:
        return 'n/a'
    x = float(x)
    if abs(x) >= 1000 or x.is_integer():
        return '{:,}'.format(int(round(x)))
    return '%.4g' % x


def _when(text):
    return text[:-9] if text.endswith(' 00:00:00') else text


def _short(value, limit=60):
    text = str(value)
    return text if len(text) <= limit else text[:limit - 1] + '\u2026'


def _col(column):
    return str(column)


# -- detectors (each returns a list of insights) --------------------------------------------------------------------

def missing_values(runner, name, frame, settings, budget):
    out = []
    if len(frame) == 0:
        return out
    shares = frame.isna().mean()
    for column in shares[shares >= settings['missing_share']].sort_values(ascending=False).index:
        f = runner.frame_expr(name)
        code = ('s = %s[%r]\n'
                "result = {'missing': int(s.isna().sum()), 'rows': int(len(s)), 'share': float(s.isna().mean())}"
                % (f, column))
        r = runner.run(name, code)
        if r['share'] < settings['missing_share']:
            continue
        sentence = '%s is missing in %s of %s rows (%s).' % (_col(column), _num(r['missing']), _num(r['rows']),
                                                            _pct(r['share']))
        out.append(_insight('missing_values', name, [column], sentence, r, code,
                            'How many missing values in %s?' % column, 0.5 + 0.5 * r['share']))
    return out


def constant_columns(runner, name, frame, settings, budget):
    out = []
    if len(frame) < 2:
        return out
    for column in frame.columns:
        s = frame[column]
        if not _constant(s) or s.isna().all():
            continue
        code = ('s = %s[%r]\n'
                "result = {'distinct': int(s.nunique(dropna=False)), 'rows': int(len(s)), 'value': str(s.iloc[0])}"
                % (runner.frame_expr(name), column))
        r = runner.run(name, code)
        if r['distinct'] != 1:
            continue
        r['value'] = _short(r['value'])
        sentence = '%s has the same value (%s) in all %s rows.' % (_col(column), r['value'], _num(r['rows']))
        out.append(_insight('constant_column', name, [column], sentence, r, code,
                            'How many rows are there for each %s?' % column, 0.8))
    return out


def _same_hash_groups(runner, name, frame):
    """Non-constant columns grouped by dtype and a hash of their values: candidates for identical columns."""
    key = ('groups', name)
    if key not in runner.cache:
        groups = {}
        for column in frame.columns:
            s = frame[column]
            if _constant(s):
                continue  # constant columns are reported as such
            digest = hash((str(s.dtype), pd.util.hash_pandas_object(s, index=False).values.tobytes()))
            groups.setdefault(digest, []).append(column)
        runner.cache[key] = [columns for columns in groups.values() if len(columns) > 1]
    return runner.cache[key]


def _copies(runner, name, frame):
    """Columns identical to an earlier column."""
    return {other for columns in _same_hash_groups(runner, name, frame) for other in columns[1:]
            if frame[columns[0]].equals(frame[other])}


def duplicate_columns(runner, name, frame, settings, budget):
    out = []
    for columns in _same_hash_groups(runner, name, frame):
        first = columns[0]
        for other in columns[1:]:
            if not budget.left() or len(out) >= settings['max_per_kind']:
                return out
            f = runner.frame_expr(name)
            code = ("result = {'identical': bool(%s[%r].equals(%s[%r])), 'rows': int(len(%s))}"
                    % (f, first, f, other, f))
            r = runner.run(name, code)
            if not r['identical']:
                continue
            sentence = '%s and %s hold identical values in all %s rows.' % (_col(first), _col(other), _num(r['rows']))
            question = ('What is the correlation between %s and %s?' % (first, other) if _numeric(frame[first])
                        else 'How many rows are there for each %s?' % first)
            out.append(_insight('duplicate_columns', name, [first, other], sentence, r, code, question, 0.75))
    return out


def duplicate_rows(runner, name, frame, settings, budget):
    if len(frame) < 2 or len(frame.columns) == 0:
        return []
    # a hash per row finds the usual table without repeated rows about five times faster than duplicated()
    if not pd.util.hash_pandas_object(frame, index=False).duplicated().any() or not budget.left():
        return []
    code = ('repeated = int(%s.duplicated().sum())\n'
            "result = {'duplicate_rows': repeated, 'rows': int(len(%s)), 'share': repeated / len(%s)}"
            % ((runner.frame_expr(name),) * 3))
    r = runner.run(name, code)
    if r['duplicate_rows'] == 0:
        return []
    sentence = '%s (%s) %s an earlier row exactly.' % (
        '1 row' if r['duplicate_rows'] == 1 else '%s rows' % _num(r['duplicate_rows']), _pct(r['share']),
        'repeats' if r['duplicate_rows'] == 1 else 'repeat')
    return [_insight('duplicate_rows', name, [], sentence, r, code, 'How many rows are there?',
                     0.6 + min(0.3, 2 * r['share']))]


def correlations(runner, name, frame, settings, budget):
    copies = _copies(runner, name, frame)
    numeric = [c for c in frame.columns if _numeric(frame[c]) and c not in copies and _distinct_at_least(frame[c], 2)]
    if len(numeric) < 2:
        return []
    matrix = frame[numeric].corr()
    pairs = []
    for i, a in enumerate(numeric):
        for b in numeric[i + 1:]:
            r = matrix.loc[a, b]
            if pd.notna(r) and abs(r) >= settings['min_correlation']:
                pairs.append((abs(r), a, b))
    pairs.sort(key=lambda p: -p[0])
    out = []
    for _, a, b in pairs[:int(settings['max_correlations'])]:
        if not budget.left():
            break
        f = runner.frame_expr(name)
        code = ("pair = %s[[%r, %r]].dropna()\n"
                "result = {'r': float(pair[%r].corr(pair[%r])), 'n': int(len(pair))}" % (f, a, b, a, b))
        r = runner.run(name, code)
        if r['r'] is None or not math.isfinite(r['r']) or abs(r['r']) < settings['min_correlation']:
            continue
        direction = 'rise together' if r['r'] > 0 else 'move in opposite directions'
        strength = 'very strongly' if abs(r['r']) >= 0.9 else 'strongly' if abs(r['r']) >= 0.7 else 'moderately'
        sentence = '%s and %s %s %s (r = %.2f over %s rows).' % (_col(a), _col(b), strength, direction, r['r'],
                                                                _num(r['n']))
        out.append(_insight('correlation', name, [a, b], sentence, r, code,
                            'What is the correlation between %s and %s?' % (a, b), 0.9 * abs(r['r'])))
    return out


def outliers(runner, name, frame, settings, budget):
    out = []
    for column in frame.columns:
        if not budget.left():
            break
        s = frame[column]
        if not _numeric(s) or not _distinct_at_least(s, 5):
            continue
        code = ('s = %s[%r].dropna()\n'
                'q1, q3 = s.quantile(0.25), s.quantile(0.75)\n'
                'low, high = q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)\n'
                "result = {'outliers': int(((s < low) | (s > high)).sum()), 'below': int((s < low).sum()),\n"
                "          'above': int((s > high).sum()), 'low': float(low), 'high': float(high),\n"
                "          'q1': float(q1), 'q3': float(q3), 'values': int(len(s))}\n"
                "result['share'] = result['outliers'] / result['values']"
                % (runner.frame_expr(name), column))
        r = runner.run(name, code)
        if r['outliers'] == 0 or r['q3'] == r['q1']:
            continue
        sentence = '%s has %s outliers (%s of its values) outside %s to %s by the 1.5 \u00d7 IQR rule.' % (
            _col(column), _num(r['outliers']), _pct(r['share']), _num(r['low']), _num(r['high']))
        out.append(_insight('outliers', name, [column], sentence, r, code, 'Top 5 rows by %s' % column,
                            0.4 + min(0.3, r['share'])))
    out.sort(key=lambda i: -i['score'])
    return out[:int(settings['max_per_kind'])]


def skewed(runner, name, frame, settings, budget):
    out = []
    for column in frame.columns:
        if not budget.left():
            break
        s = frame[column]
        if not _numeric(s) or not _distinct_at_least(s, 5):
            continue
        code = ("result = {'skew': float(%s[%r].skew()), 'mean': float(%s[%r].mean()), "
                "'median': float(%s[%r].median())}" % ((runner.frame_expr(name), column) * 3))
        r = runner.run(name, code)
        if r['skew'] is None or abs(r['skew']) < settings['min_skew']:
            continue
        side = 'right (a long tail of large values)' if r['skew'] > 0 else 'left (a long tail of small values)'
        sentence = '%s is skewed to the %s: skewness %.2f, mean %s vs median %s.' % (
            _col(column), side, r['skew'], _num(r['mean']), _num(r['median']))
        out.append(_insight('skewed', name, [column], sentence, r, code, 'Show the distribution of %s' % column,
                            0.3 + min(0.2, abs(r['skew']) / 20.0)))
    out.sort(key=lambda i: -i['score'])
    return out[:int(settings['max_per_kind'])]


def date_coverage(runner, name, frame, settings, budget):
    out = []
    for column in frame.columns:
        if not budget.left():
            break
        s = frame[column]
        if not pd.api.types.is_datetime64_any_dtype(s) or not _distinct_at_least(s, 3):
            continue
        code = ('s = %s[%r].dropna()\n'
                'days = pd.Series(s.unique()).sort_values().diff().dropna() / pd.Timedelta(days=1)\n'
                'step = days.median()\n'
                "unit = ('H' if step < 0.5 else 'D' if step < 4 else 'W' if step < 20 else 'M' if step < 60\n"
                "        else 'Q' if step < 200 else 'Y')\n"
                'periods = s.dt.to_period(unit)\n'
                'expected = pd.period_range(periods.min(), periods.max(), freq=unit)\n'
                "result = {'first': str(s.min()), 'last': str(s.max()), 'unit': unit,\n"
                "          'largest_gap_days': float(days.max()), 'periods': int(len(expected)),\n"
                "          'present_periods': int(periods.nunique()),\n"
                "          'missing_periods': int(len(expected) - periods.nunique())}"
                % (runner.frame_expr(name), column))
        r = runner.run(name, code)
        word = _UNIT_WORDS.get(r['unit'], r['unit'])
        if r['missing_periods'] > 0:
            sentence = ('%s runs from %s to %s; at one row per %s, %s of %s %ss have no rows (largest gap %s days).'
                        % (_col(column), _when(r['first']), _when(r['last']), word, _num(r['missing_periods']),
                           _num(r['periods']), word, _num(r['largest_gap_days'])))
        else:
            sentence = '%s runs from %s to %s with every %s present (%s %ss).' % (
                _col(column), _when(r['first']), _when(r['last']), word, _num(r['periods']), word)
        score = 0.55 + min(0.2, r['missing_periods'] / max(1, r['periods'])) if r['missing_periods'] else 0.35
        out.append(_insight('date_coverage', name, [column], sentence, r, code,
                            'Chart the number of rows per %s' % ('month' if word in ('hour', 'day') else word),
                            score))
    return out


def dominant_categories(runner, name, frame, settings, budget):
    out = []
    for column in frame.columns:
        if not budget.left():
            break
        s = frame[column]
        if not _text(s) or pd.api.types.is_datetime64_any_dtype(s):
            continue
        if s.iloc[:2000].nunique() > settings['max_categories']:
            continue
        distinct = s.nunique()
        if distinct < 2 or distinct > settings['max_categories']:
            continue
        code = ('counts = %s[%r].value_counts()\n'
                "result = {'value': str(counts.index[0]), 'count': int(counts.iloc[0]),\n"
                "          'non_missing': int(counts.sum()), 'share': float(counts.iloc[0] / counts.sum()),\n"
                "          'distinct': int(len(counts)), 'runner_up': int(counts.iloc[1])}"
                % (runner.frame_expr(name), column))
        r = runner.run(name, code)
        if r['share'] < settings['dominant_share'] or r['runner_up'] == r['count']:
            continue
        r['value'] = _short(r['value'])
        sentence = '%s is mostly "%s": %s of %s non-missing rows (%s), among %s values.' % (
            _col(column), r['value'], _num(r['count']), _num(r['non_missing']), _pct(r['share']),
            _num(r['distinct']))
        out.append(_insight('dominant_category', name, [column], sentence, r, code,
                            'How many rows are there for each %s?' % column, 0.3 + 0.4 * (r['share'] - 0.5)))
    out.sort(key=lambda i: -i['score'])
    return out[:int(settings['max_per_kind'])]


# cheapest first, so that a tight budget still gives the basic facts
DETECTORS = (missing_values, constant_columns, dominant_categories, correlations, skewed, outliers, date_coverage,
             duplicate_columns, duplicate_rows)
