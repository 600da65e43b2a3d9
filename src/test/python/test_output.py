"""What an execution returns: JSON-safe, bounded values in the documented shapes."""
import support  # noqa: I100

import datetime
import decimal
import json
import unittest

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import output


def convert(value, **settings):
    converter = output.Converter(output.Settings(**settings))
    result = converter.result(value)
    json.dumps(result, allow_nan=False)
    return result, converter.truncated


class ScalarTest(unittest.TestCase):

    def test_scalars(self):
        cases = [
            (None, None), (True, True), (np.bool_(False), False), (3, 3), (np.int64(4), 4), (np.float32(1.5), 1.5),
            (float('nan'), None), (np.nan, None), (float('inf'), 'Infinity'), (-np.inf, '-Infinity'),
            (pd.NaT, None), (pd.NA, None), (pd.Timestamp('2024-03-01 12:30'), '2024-03-01T12:30:00'),
            (np.datetime64('2024-03-01'), '2024-03-01T00:00:00'), (pd.Timedelta(hours=25), 'P1DT1H0M0S'),
            (datetime.timedelta(seconds=90), 'P0DT0H1M30S'), (datetime.date(2024, 1, 2), '2024-01-02'),
            (decimal.Decimal('1.25'), 1.25), (1 + 2j, '(1+2j)'), (2 ** 70, str(2 ** 70)), (b'ab', "b'ab'"),
            (pd.Period('2024-01', 'M'), '2024-01'), (np.str_('x'), 'x'),
        ]
        for value, expected in cases:
            with self.subTest(value=value):
                self.assertEqual((expected, False), convert(value))

    def test_strings_are_truncated_with_a_flag(self):
        self.assertEqual(('abc', True), convert('abcdef', max_output=3))
        self.assertEqual(('abc', False), convert('abc', max_output=3))

    def test_anything_else_is_a_bounded_repr(self):
        class Thing:
            def __repr__(self):
                return 'T' * 50

        result, truncated = convert(Thing(), max_output=10)
        self.assertEqual('object', result['type'])
        self.assertEqual('T' * 10, result['repr'])
        self.assertTrue(result['class'].endswith('Thing'))
        self.assertTrue(truncated)


class ContainerTest(unittest.TestCase):

    def test_lists_dicts_sets_and_nesting(self):
        value = {'a': [1, np.int64(2), (3, None)], 5: {np.nan: 1}, 'set': {3, 1, 2}}
        self.assertEqual(({'a': [1, 2, [3, None]], '5': {'NaN': 1}, 'set': [1, 2, 3]}, False), convert(value))

    def test_long_containers_are_cut(self):
        self.assertEqual((list(range(5)), True), convert(list(range(10)), max_series_items=5))
        result, truncated = convert({i: i for i in range(10)}, max_series_items=3)
        self.assertEqual(({'0': 0, '1': 1, '2': 2}, True), (result, truncated))

    def test_deep_nesting_is_cut(self):
        value = []
        for _ in range(20):
            value = [value]
        result, truncated = convert(value)
        self.assertTrue(truncated)

    def test_huge_results_become_a_bounded_repr(self):
        result, truncated = convert(['x' * 10000] * 1000, max_output=10000, max_series_items=1000)
        self.assertEqual('object', result['type'])
        self.assertTrue(truncated)


class PandasTest(unittest.TestCase):

    def test_dataframe(self):
        frame = pd.DataFrame({'a': range(15), 'b': ['x'] * 15, 'c': pd.date_range('2024-01-01', periods=15)})
        result, truncated = convert(frame, max_sample_rows=2)
        self.assertEqual({'type': 'dataframe', 'columns': ['a', 'b', 'c'],
                          'dtypes': {'a': 'int64', 'b': 'object', 'c': 'datetime64[ns]'},
                          'data': [{'a': 0, 'b': 'x', 'c': '2024-01-01T00:00:00'},
                                   {'a': 1, 'b': 'x', 'c': '2024-01-02T00:00:00'}],
                          'shape': [15, 3], 'truncated': True, 'total_rows': 15}, result)
        self.assertTrue(truncated)

    def test_dataframe_with_an_index_and_odd_columns(self):
        frame = pd.DataFrame([[1, 2, 3]], columns=['a', 'a', ('m', 1)], index=pd.Index(['r'], name='row'))
        result, _ = convert(frame)
        self.assertEqual(['a', 'a (2)', '(m, 1)'], result['columns'])
        self.assertEqual(['r'], result['index'])
        self.assertEqual(['row'], result['index_names'])
        self.assertEqual([{'a': 1, 'a (2)': 2, '(m, 1)': 3}], result['data'])
        self.assertFalse(result['truncated'])

    def test_series(self):
        series = pd.Series([1.5, np.nan, 3.0], index=['x', 'y', 'z'], name='v')
        self.assertEqual(({'type': 'series', 'name': 'v', 'dtype': 'float64', 'data': {'x': 1.5, 'y': None, 'z': 3.0},
                           'length': 3, 'truncated': False}, False), convert(series))
        result, truncated = convert(pd.Series(range(10)), max_series_items=4)
        self.assertEqual({'0': 0, '1': 1, '2': 2, '3': 3}, result['data'])
        self.assertEqual((10, True, True), (result['length'], result['truncated'], truncated))

    def test_series_with_duplicate_or_multi_labels(self):
        result, _ = convert(pd.Series([1, 2], index=['a', 'a']))
        self.assertEqual([['a', 1], ['a', 2]], result['data'])
        grouped = pd.DataFrame({'k': ['a', 'b'], 'j': [1, 2], 'v': [3, 4]}).groupby(['k', 'j'])['v'].sum()
        result, _ = convert(grouped)
        self.assertEqual({'(a, 1)': 3, '(b, 2)': 4}, result['data'])
        self.assertEqual(['k', 'j'], result['index_names'])

    def test_index_and_arrays(self):
        self.assertEqual({'type': 'index', 'dtype': 'object', 'data': ['a', 'b'], 'length': 2, 'truncated': False},
                         convert(pd.Index(['a', 'b']))[0])
        self.assertEqual({'type': 'ndarray', 'dtype': 'float64', 'shape': [2, 2], 'data': [[1.0, None], [3.0, 4.0]],
                          'truncated': False}, convert(np.array([[1, np.nan], [3, 4]]))[0])
        result, truncated = convert(np.arange(100).reshape(10, 10), max_series_items=3)
        self.assertEqual([[0, 1, 2], [10, 11, 12], [20, 21, 22]], result['data'])
        self.assertTrue(truncated)
        self.assertEqual(7, convert(np.array(7))[0]['data'])


class TextAndFiguresTest(unittest.TestCase):

    def test_bounded_text_keeps_the_beginning(self):
        text = output.BoundedText(5)
        print('hello world', file=text)
        self.assertEqual(('hello', True), (text.value(), text.truncated))

    def test_figures_are_bounded_in_number_and_size(self):
        plt.close('all')
        try:
            for _ in range(3):
                plt.figure()
                plt.plot([1, 2, 3])
            plt.figure(figsize=(100, 10))
            figures, truncated = output.figures(output.Settings(max_figures=2))
            self.assertEqual(2, len(figures))
            self.assertTrue(truncated)
            self.assertEqual((640, 480), (figures[0]['width'], figures[0]['height']))
            figures, truncated = output.figures(output.Settings(max_figures=10))
            self.assertEqual(4096, figures[3]['width'])
            self.assertTrue(truncated)
            figures, truncated = output.figures(output.Settings(max_figures=1, max_figure_bytes=1024))
            self.assertEqual([], figures)
            self.assertTrue(truncated)
        finally:
            plt.close('all')


class ErrorTest(unittest.TestCase):

    def error(self, code, **settings):
        try:
            exec(compile(code, '<analysis>', 'exec'), {})
        except BaseException as e:  # noqa
            return output.error(e, code, output.Settings(**settings), '<analysis>')
        self.fail('no error')

    def test_the_traceback_shows_only_the_analysis_code(self):
        err = self.error("import json\ndef f(x):\n    return json.loads(x)\n\nf('{')")
        self.assertEqual('JSONDecodeError', err['type'])
        self.assertEqual(3, err['line'])
        self.assertEqual('Traceback (most recent call last):\n'
                         '  File "<analysis>", line 5, in <module>\n    f(\'{\')\n'
                         '  File "<analysis>", line 3, in f\n    return json.loads(x)\n'
                         'JSONDecodeError: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)',
                         err['traceback'])
        self.assertNotIn('json/decoder.py', err['traceback'])

    def test_key_errors_and_bounds(self):
        self.assertEqual("'missing'", self.error("{}['missing']")['message'])
        err = self.error("raise ValueError('x' * 100)", max_output=10)
        self.assertEqual('x' * 10 + '...', err['message'])

    def test_syntax_errors_point_at_the_line(self):
        code = 'x = 1\ny = (2 +\n'
        try:
            compile(code, '<analysis>', 'exec')
        except SyntaxError as e:
            err = output.error(e, code, output.Settings(), '<analysis>')
        self.assertEqual('SyntaxError', err['type'])
        self.assertEqual(2, err['line'])
        self.assertIn('File "<analysis>", line 2', err['traceback'])


if __name__ == '__main__':
    unittest.main()


class SummaryTest(unittest.TestCase):
    """Facts of the whole result, computed before the result is cut to the client's sample."""

    def test_a_long_series_is_summarised_whole(self):
        days = pd.date_range('2023-01-01', periods=731, name='day')
        revenue = pd.Series(1000.0 + np.arange(731) % 101, index=days, name='revenue')
        revenue.iloc[500] = 99999.0
        revenue.iloc[600] = 3.0
        result, truncated = convert(revenue, max_series_items=100)
        self.assertTrue(truncated)
        self.assertEqual(100, len(result['data']))
        summary = output.summary(revenue, output.Settings(max_series_items=100))
        json.dumps(summary, allow_nan=False)
        self.assertEqual(731, summary['rows'])
        [column] = summary['columns']
        self.assertEqual('revenue', column['name'])
        self.assertEqual(731, column['count'])
        self.assertEqual(99999, column['max'])
        self.assertEqual('2024-05-15T00:00:00', column['max_label'])
        self.assertEqual(3, column['min'])
        self.assertEqual('2024-08-23T00:00:00', column['min_label'])
        self.assertAlmostEqual(float(revenue.sum()), column['sum'])
        self.assertAlmostEqual(float(revenue.mean()), column['mean'])
        self.assertEqual(('2023-01-01T00:00:00', float(revenue.iloc[0])), (column['first_label'], column['first']))
        self.assertEqual(('2024-12-31T00:00:00', float(revenue.iloc[-1])), (column['last_label'], column['last']))

    def test_a_table_labels_rows_by_its_first_text_or_date_column(self):
        frame = pd.DataFrame({'region': ['N', 'S', 'E', 'W'], 'revenue': [5.0, np.nan, 9.5, 1.0],
                              'units': [1, 2, 3, 4], 'flag': [True, False, True, True]})
        summary = output.summary(frame, output.Settings())
        self.assertEqual(4, summary['rows'])
        self.assertEqual(['revenue', 'units'], [c['name'] for c in summary['columns']], 'booleans are not measures')
        revenue = summary['columns'][0]
        self.assertEqual((3, 15.5, 9.5, 'E', 1, 'W'), (revenue['count'], revenue['sum'], revenue['max'],
                                                       revenue['max_label'], revenue['min'], revenue['min_label']))
        self.assertEqual(('N', 5, 'W', 1), (revenue['first_label'], revenue['first'], revenue['last_label'],
                                            revenue['last']), 'first and last skip missing values')

    def test_results_without_rows_have_no_summary(self):
        settings = output.Settings()
        for value in (42, 'text', {'a': 1}, None, [1, 'x']):
            self.assertIsNone(output.summary(value, settings), value)
        self.assertEqual({'rows': 2, 'columns': [{'name': None, 'count': 0}]},
                         output.summary(pd.Series([np.nan, np.nan]), settings))
        self.assertEqual({'rows': 2, 'columns': []}, output.summary(pd.Series(['a', 'b']), settings))
        self.assertEqual(6, output.summary([1, 2, 3], settings)['columns'][0]['sum'])
