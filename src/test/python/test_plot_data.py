"""The data behind charts: each figure also carries its plotted series, read from the matplotlib artists."""
import support  # noqa: I100

import json
import unittest

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import output
import plotdata


def plots():
    figures, _ = output.figures(output.Settings())
    plt.close('all')
    for figure in figures:
        json.dumps(figure['plot'], allow_nan=False)
    return [f['plot'] for f in figures]


class PlotDataTest(unittest.TestCase):

    def tearDown(self):
        plt.close('all')

    def test_bar_chart_of_a_series_has_its_categories_and_heights(self):
        s = pd.Series({'North': 3.5, 'South': 1.0, 'East': 2.25}, name='revenue')
        s.plot(kind='bar', title='Revenue by region')
        plt.ylabel('revenue')
        [plot] = plots()
        [ax] = plot['axes']
        self.assertEqual('bar', ax['kind'])
        self.assertEqual('Revenue by region', ax['title'])
        self.assertEqual('revenue', ax['y_label'])
        [series] = ax['series']
        self.assertEqual(['North', 'South', 'East'], series['x'])
        self.assertEqual([3.5, 1.0, 2.25], series['y'])
        self.assertFalse(plot['truncated'])

    def test_horizontal_bars_of_a_dataframe_one_series_per_column(self):
        df = pd.DataFrame({'a': [1, 2], 'b': [3, 4]}, index=['x', 'y'])
        df.plot(kind='barh')
        [plot] = plots()
        series = plot['axes'][0]['series']
        self.assertEqual(['a', 'b'], [s['label'] for s in series])
        self.assertEqual(['barh', 'barh'], [s['kind'] for s in series])
        self.assertEqual([['x', 'y'], ['x', 'y']], [s['x'] for s in series])
        self.assertEqual([[1, 2], [3, 4]], [s['y'] for s in series])

    def test_lines_keep_their_data_and_dates_are_iso(self):
        df = pd.DataFrame({'day': pd.date_range('2024-01-01', periods=3), 'v': [1.0, np.nan, 3.0]})
        plt.plot(df['day'], df['v'], label='v')
        plt.plot([0, 1, 2], [5, 6, 7])
        [plot] = plots()
        [ax] = plot['axes']
        self.assertEqual('line', ax['kind'])
        first, second = ax['series']
        self.assertEqual('v', first['label'])
        self.assertEqual(['2024-01-01T00:00:00', '2024-01-02T00:00:00', '2024-01-03T00:00:00'], first['x'])
        self.assertEqual([1.0, None, 3.0], first['y'])
        self.assertIsNone(second['label'])
        self.assertEqual([5, 6, 7], second['y'])

    def test_pandas_line_plot(self):
        pd.Series([4, 5, 6], index=[10, 20, 30], name='count').plot(title='Counts')
        [plot] = plots()
        [series] = plot['axes'][0]['series']
        self.assertEqual(([10, 20, 30], [4, 5, 6], 'count'), (series['x'], series['y'], series['label']))

    def test_histogram_has_bin_edges_and_counts(self):
        values = pd.Series([1, 2, 2, 3, 3, 3, 4, 4, 4, 4])
        counts, edges, _ = plt.hist(values, bins=3)
        [plot] = plots()
        [series] = plot['axes'][0]['series']
        self.assertEqual('hist', series['kind'])
        self.assertEqual(len(edges), len(series['x']))
        np.testing.assert_allclose(edges, series['x'])
        self.assertEqual(list(counts), series['y'])

    def test_pandas_histogram(self):
        pd.DataFrame({'age': [20, 25, 30, 35, 40, 41]})['age'].plot(kind='hist', bins=2)
        [plot] = plots()
        [series] = plot['axes'][0]['series']
        self.assertEqual('hist', series['kind'])
        self.assertEqual([20.0, 30.5, 41.0], series['x'])
        self.assertEqual([3.0, 3.0], series['y'])  # 20 25 30 | 35 40 41

    def test_scatter_offsets(self):
        df = pd.DataFrame({'x': [1.0, 2.0, 3.0], 'y': [9.0, 8.0, 7.0]})
        df.plot.scatter(x='x', y='y', title='xy')
        [plot] = plots()
        [ax] = plot['axes']
        self.assertEqual(('scatter', 'x', 'y'), (ax['kind'], ax['x_label'], ax['y_label']))
        [series] = ax['series']
        self.assertEqual(([1.0, 2.0, 3.0], [9.0, 8.0, 7.0]), (series['x'], series['y']))

    def test_several_axes(self):
        fig, (a, b) = plt.subplots(1, 2)
        a.bar(['p', 'q'], [1, 2])
        b.scatter([1], [2])
        [plot] = plots()
        self.assertEqual(['bar', 'scatter'], [ax['kind'] for ax in plot['axes']])
        self.assertEqual(['p', 'q'], plot['axes'][0]['series'][0]['x'])

    def test_points_are_capped(self):
        plt.plot(np.arange(plotdata.MAX_POINTS + 10))
        [plot] = plots()
        self.assertTrue(plot['truncated'])
        self.assertEqual(plotdata.MAX_POINTS, len(plot['axes'][0]['series'][0]['y']))

    def test_figures_too_large_keep_their_axes_without_series(self):
        for i in range(plotdata.MAX_SERIES):
            plt.plot(np.arange(plotdata.MAX_POINTS) * 1.123456789 + i, label='line %d' % i)
        [plot] = plots()
        self.assertTrue(plot['truncated'])
        self.assertEqual([], plot['axes'][0]['series'])
        self.assertEqual('line', plot['axes'][0]['kind'])

    def test_reference_lines_are_not_data(self):
        plt.bar(['a', 'b'], [1, 2])
        plt.axhline(1.5)
        [plot] = plots()
        self.assertEqual(['bar'], [s['kind'] for s in plot['axes'][0]['series']])


if __name__ == '__main__':
    unittest.main()
