"""Automatic insights (insights.py) computed by the real supervisor (``insights`` request, every layer on) on the
DABench tables and on a table built to hold every kind: the numbers agree with plain pandas computed independently
here, every insight's code gives the same numbers when run as analysis code, and nothing is missed or invented."""
import support  # noqa: I100 (first: it configures the environment before numpy is imported)

import math
import os
import tempfile
import unittest

import numpy as np
import pandas as pd

import insights

TABLES = {
    'titanic': ('titanic.csv', []),
    'insurance': ('insurance.csv', []),
    'vaccinations': ('country_vaccinations.csv', ['date']),
    'btc': ('YAHOO-BTC_USD_D.csv', ['Date']),
    'godrej': ('GODREJIND.csv', ['Date']),
    'credit': ('Credit.csv', []),
}
ALL = {'max_insights': 1000, 'budget_ms': 60000}


def read_back(spec):
    return pd.read_csv(spec['path'], header=0, names=spec['columns'],
                       dtype={c: t for c, t in spec['dtypes'].items() if c not in spec['date_columns']},
                       parse_dates=spec['date_columns'] or False, keep_default_na=False, na_values=[''],
                       encoding='utf-8')


def synthetic():
    rng = np.random.default_rng(7)
    n = 200
    x = rng.normal(50, 10, n)
    dates = pd.Series(pd.date_range('2024-01-01', periods=n + 20, freq='D'))
    dates = dates.drop(index=list(range(30, 40)) + list(range(100, 110))).reset_index(drop=True)
    frame = pd.DataFrame({
        'x': x,
        'y': 2 * x + rng.normal(0, 1, n),
        'copy_of_x': x,
        'flag': ['on'] * n,
        'sparse': [1.0 if i % 3 == 0 else None for i in range(n)],
        'income': np.r_[rng.lognormal(3, 1, n - 2), [5000.0, 9000.0]],
        'segment': ['retail'] * 150 + ['business'] * 30 + ['public'] * 20,
        'day': dates[:n],
    })
    return pd.concat([frame, frame.iloc[:5]], ignore_index=True)


def by_kind(found, kind):
    return [i for i in found if i['kind'] == kind]


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


class InsightsTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.client = support.SupervisorClient(timeout_ms=20000)
        cls.frames, cls.results = {}, {}
        tables = os.path.join(support.corpus_dir(), 'dabench', 'tables')
        sources = {name: pd.read_csv(os.path.join(tables, f), parse_dates=d or False) for name, (f, d) in TABLES.items()}
        sources['synthetic'] = synthetic()
        for name, raw in sources.items():
            raw.columns = [str(c) for c in raw.columns]
            spec = dict(support.write_canonical(raw, cls.client.dir, name), default=True)
            cls.frames[name] = read_back(spec)
            loaded = cls.client.load(name, [spec])
            assert loaded['type'] == 'loaded', loaded
            cls.results[name] = cls.insights(name, ALL)

    @classmethod
    def tearDownClass(cls):
        cls.client.close()

    @classmethod
    def insights(cls, session, options=None):
        rid = cls.client.request_id()
        cls.client.send({'op': 'insights', 'id': rid, 'session': session, 'key': 'k1', 'options': options or {},
                         'limits': {'timeout_ms': 20000, 'cpu_seconds': 22, 'address_space_headroom': 1 << 30,
                                    'max_open_files': 64}})
        header, body = cls.client.wait(rid, timeout=120)
        assert header['outcome'] == 'completed', header
        assert body['status'] == 'ok', body
        return body['result']

    def each(self):
        for name, result in self.results.items():
            for insight in result['insights']:
                yield name, self.frames[name], insight

    def test_nothing_was_skipped(self):
        for name, result in self.results.items():
            with self.subTest(table=name):
                self.assertEqual([], result['skipped'])
                self.assertTrue(result['insights'], 'no insight at all for %s' % name)

    def test_every_insight_has_its_parts(self):
        for name, frame, insight in self.each():
            with self.subTest(table=name, insight=insight['sentence']):
                self.assertIn(insight['kind'], {'missing_values', 'constant_column', 'duplicate_columns',
                                                'duplicate_rows', 'correlation', 'outliers', 'skewed',
                                                'date_coverage', 'dominant_category'})
                self.assertEqual(name, insight['dataset'])
                self.assertTrue(set(insight['columns']) <= set(frame.columns))
                self.assertTrue(insight['sentence'].endswith('.'))
                self.assertTrue(insight['question'])
                self.assertIn('result = ', insight['code'])

    def test_each_code_gives_its_numbers_when_run_as_analysis_code(self):
        for name, frame, insight in self.each():
            with self.subTest(table=name, insight=insight['sentence']):
                header, body = self.client.execute(name, insight['code'])
                self.assertEqual('completed', header['outcome'], header)
                self.assertEqual('ok', body['status'], body.get('error'))
                for key, value in body['result'].items():
                    if key == 'value':
                        self.assertTrue(str(value).startswith(insight['numbers'][key].rstrip('\u2026')))
                    elif isinstance(value, float):
                        self.assertTrue(close(value, insight['numbers'][key]), (key, value, insight['numbers']))
                    else:
                        self.assertEqual(value, insight['numbers'][key], key)

    def test_missing_values_are_all_found_with_pandas_numbers(self):
        for name, frame in self.frames.items():
            expected = {c: frame[c].isna().mean() for c in frame.columns if frame[c].isna().mean() >= 0.2}
            found = {i['columns'][0]: i['numbers'] for i in by_kind(self.results[name]['insights'], 'missing_values')}
            with self.subTest(table=name):
                self.assertEqual(set(expected), set(found))
                for column, share in expected.items():
                    self.assertTrue(close(share, found[column]['share']))
                    self.assertEqual(int(frame[column].isna().sum()), found[column]['missing'])

    def test_constant_and_duplicate_columns_and_rows(self):
        for name, frame in self.frames.items():
            insights_ = self.results[name]['insights']
            constant = {c for c in frame.columns if frame[c].notna().any() and len(set(map(str, frame[c]))) == 1}
            with self.subTest(table=name, kind='constant'):
                self.assertEqual(constant, {i['columns'][0] for i in by_kind(insights_, 'constant_column')})
            pairs = set()
            columns = [c for c in frame.columns if c not in constant]
            for i, a in enumerate(columns):
                for b in columns[i + 1:]:
                    if frame[a].dtype == frame[b].dtype and (frame[a].fillna(0).values == frame[b].fillna(0).values).all() \
                            and (frame[a].isna() == frame[b].isna()).all():
                        pairs.add((a, b))
            with self.subTest(table=name, kind='duplicate_columns'):
                self.assertEqual(pairs, {tuple(i['columns']) for i in by_kind(insights_, 'duplicate_columns')})
            repeated = len(frame) - len(frame.drop_duplicates())
            found = by_kind(insights_, 'duplicate_rows')
            with self.subTest(table=name, kind='duplicate_rows'):
                self.assertEqual(repeated, found[0]['numbers']['duplicate_rows'] if found else 0)

    def test_correlations_are_the_strongest_pairs(self):
        for name, frame in self.frames.items():
            copies = {b for i, a in enumerate(frame.columns) for b in frame.columns[i + 1:] if frame[a].equals(frame[b])}
            row_numbers = {c for c in frame.columns if pd.api.types.is_integer_dtype(frame[c])
                           and frame[c].is_monotonic_increasing and frame[c].is_unique}
            numeric = frame.select_dtypes('number').drop(columns=list(copies | row_numbers), errors='ignore')
            strengths = []
            for i, a in enumerate(numeric.columns):
                for b in numeric.columns[i + 1:]:
                    both = numeric[[a, b]].dropna()
                    if len(both) > 2 and both[a].std() > 0 and both[b].std() > 0:
                        r = float(np.corrcoef(both[a], both[b])[0, 1])
                        if abs(r) >= 0.5:
                            strengths.append((abs(r), (a, b), r))
            strengths.sort(key=lambda s: -s[0])
            found = by_kind(self.results[name]['insights'], 'correlation')
            with self.subTest(table=name):
                self.assertEqual(min(3, len(strengths)), len(found))
                for insight, (_, pair, r) in zip(found, strengths):
                    self.assertEqual(set(pair), set(insight['columns']))
                    self.assertAlmostEqual(r, insight['numbers']['r'], places=9)

    def test_outliers_follow_the_iqr_rule(self):
        for name, frame in self.frames.items():
            for insight in by_kind(self.results[name]['insights'], 'outliers'):
                values = frame[insight['columns'][0]].dropna().to_numpy(dtype=float)
                q1, q3 = np.percentile(values, [25, 75])
                low, high = q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)
                with self.subTest(table=name, column=insight['columns'][0]):
                    self.assertEqual(int(((values < low) | (values > high)).sum()), insight['numbers']['outliers'])
                    self.assertTrue(close(low, insight['numbers']['low']) and close(high, insight['numbers']['high']))

    def test_skewness_matches_the_sample_skewness(self):
        for name, frame in self.frames.items():
            for insight in by_kind(self.results[name]['insights'], 'skewed'):
                values = frame[insight['columns'][0]].dropna().to_numpy(dtype=float)
                n, m = len(values), values.mean()
                g1 = ((values - m) ** 3).mean() / ((values - m) ** 2).mean() ** 1.5
                adjusted = g1 * math.sqrt(n * (n - 1)) / (n - 2)
                with self.subTest(table=name, column=insight['columns'][0]):
                    self.assertAlmostEqual(adjusted, insight['numbers']['skew'], places=6)
                    self.assertGreaterEqual(abs(adjusted), 1.0)

    def test_dominant_categories(self):
        for name, frame in self.frames.items():
            for insight in by_kind(self.results[name]['insights'], 'dominant_category'):
                values = frame[insight['columns'][0]].dropna().astype(str)
                top = values.value_counts()
                with self.subTest(table=name, column=insight['columns'][0]):
                    self.assertEqual(top.index[0], insight['numbers']['value'])
                    self.assertEqual(int(top.iloc[0]), insight['numbers']['count'])
                    self.assertGreaterEqual(insight['numbers']['share'], 0.5)
                    self.assertGreater(int(top.iloc[0]), int(top.iloc[1]), 'a single most frequent value')
                    self.assertLessEqual(insight['numbers']['distinct'], 20)

    def test_date_coverage(self):
        for name, frame in self.frames.items():
            for insight in by_kind(self.results[name]['insights'], 'date_coverage'):
                dates = frame[insight['columns'][0]].dropna()
                distinct = sorted(set(dates))
                gaps = [(b - a).total_seconds() / 86400 for a, b in zip(distinct, distinct[1:])]
                with self.subTest(table=name, column=insight['columns'][0]):
                    self.assertEqual(str(min(distinct)), insight['numbers']['first'])
                    self.assertEqual(str(max(distinct)), insight['numbers']['last'])
                    self.assertAlmostEqual(max(gaps), insight['numbers']['largest_gap_days'])
                    if insight['numbers']['unit'] == 'D':
                        days = (max(distinct) - min(distinct)).days + 1
                        self.assertEqual(days - len({d.date() for d in distinct}),
                                         insight['numbers']['missing_periods'])

    def test_the_synthetic_table_shows_every_kind(self):
        found = self.results['synthetic']['insights']
        kinds = {i['kind']: i for i in found}
        self.assertEqual({'missing_values', 'constant_column', 'duplicate_columns', 'duplicate_rows', 'correlation',
                          'outliers', 'skewed', 'date_coverage', 'dominant_category'}, set(kinds))
        self.assertEqual(['sparse'], kinds['missing_values']['columns'])
        self.assertEqual(['x', 'copy_of_x'], kinds['duplicate_columns']['columns'])
        self.assertEqual(5, kinds['duplicate_rows']['numbers']['duplicate_rows'])
        self.assertEqual({'x', 'y'}, set(kinds['correlation']['columns']))
        self.assertEqual(20, kinds['date_coverage']['numbers']['missing_periods'])
        self.assertEqual('D', kinds['date_coverage']['numbers']['unit'])
        self.assertEqual('retail', kinds['dominant_category']['numbers']['value'])
        self.assertIn('income', {c for i in by_kind(found, 'outliers') for c in i['columns']})

    def test_the_cap_keeps_the_most_important(self):
        capped = self.insights('synthetic', {'max_insights': 3})
        everything = self.results['synthetic']
        self.assertEqual(3, len(capped['insights']))
        self.assertEqual([i['sentence'] for i in everything['insights'][:3]],
                         [i['sentence'] for i in capped['insights']])
        scores = [i['score'] for i in everything['insights']]
        self.assertEqual(sorted(scores, reverse=True), scores)

    def test_an_exhausted_budget_says_what_it_skipped(self):
        result = insights.compute({'t': self.frames['titanic']}, 't', None, {'budget_ms': 0})
        self.assertTrue(result['skipped'])
        self.assertTrue(all(s['reason'] == 'time budget' for s in result['skipped']))

    def test_row_numbers_and_ties_are_not_insights(self):
        frame = pd.DataFrame({'id': range(1, 41), 'amount': [10.0 * i for i in range(1, 41)],
                              'side': ['left', 'right'] * 20})
        result = insights.compute({'t': frame}, 't', None, {})
        self.assertEqual([], result['skipped'])
        self.assertEqual([], [i['sentence'] for i in result['insights']], 'an id column and a 50/50 split are not news')

    def test_odd_column_names_are_quoted_in_the_code(self):
        frame = pd.DataFrame({"it's \"odd\"\n": [None, None, 1.0, None], 'k': ['a', 'a', 'a', 'b']})
        result = insights.compute({'main': frame, 'other': frame}, 'main', None, {})
        self.assertEqual([], result['skipped'])
        codes = [i['code'] for i in result['insights']]
        self.assertTrue(any("dfs['other']" in c for c in codes))
        for insight in result['insights']:
            names = {'pd': pd, 'np': np, 'df': frame, 'dfs': {'main': frame, 'other': frame}}
            exec(insight['code'], names)
            computed = insights._clean(names['result'])
            self.assertEqual(set(computed), set(insight['numbers']))
            for key, value in computed.items():
                if key != 'value':
                    self.assertEqual(value, insight['numbers'][key])


if __name__ == '__main__':
    unittest.main()
