"""Interactive chart specs: Plotly figures captured from the code (with a static PNG drawn from their spec), and
matplotlib figures turned into a Plotly spec equal in data to the figure. Executions run in a real child with every
sandbox layer."""
import support  # noqa: I100 (first: it configures the environment before numpy is imported)

import base64
import json
import unittest

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import chartspec
import child
import preload  # noqa: F401 (as in the supervisor: libraries, Plotly's templates and fig.show() capture)
import executor
import guard
import output
import plotdata
import policy

POLICY = policy.ImportPolicy(support.allowed_modules())
ROOTS = guard.library_roots()
FRAME = pd.DataFrame({'region': ['North', 'South', 'East', 'West'], 'revenue': [1_200_000.0, 950_000.0, 400_000.0, 2_500_000.0],
                      'day': pd.date_range('2024-01-01', periods=4, freq='D'), 'units': [3, 5, 2, 8]})
PNG = b'\x89PNG\r\n\x1a\n'


def run(code, frame=FRAME, **settings):
    job = child.Job(code, {'df': frame, 'dfs': {'data': frame}}, guard.Limits(1 << 30, 20, 64),
                    output.Settings(**settings), POLICY, ROOTS)
    header, raw = executor.run_blocking(job, 30.0, guard.ALL)
    body = support.parse(raw)
    assert header['outcome'] == 'completed', header
    assert body and body['status'] == 'ok', raw[:800]
    return body


def specs_of_open_figures():
    figures, _ = output.figures(output.Settings())
    plt.close('all')
    for figure in figures:
        json.dumps(figure['spec'], allow_nan=False)
    return [f['spec'] for f in figures]


class PlotlyCaptureTest(unittest.TestCase):

    def test_express_bar_bound_to_a_name_is_captured_with_its_data_and_a_png(self):
        body = run("import plotly.express as px\n"
                   "fig = px.bar(df, x='region', y='revenue', title='Revenue by region')\n"
                   "result = df['revenue'].sum()")
        [figure] = body['figures']
        spec = figure['spec']
        [trace] = spec['data']
        self.assertEqual('bar', trace['type'])
        self.assertEqual(['North', 'South', 'East', 'West'], trace['x'])
        self.assertEqual([1_200_000.0, 950_000.0, 400_000.0, 2_500_000.0], trace['y'])
        self.assertEqual('Revenue by region', spec['layout']['title']['text'])
        self.assertTrue(base64.b64decode(figure['data']).startswith(PNG))
        self.assertEqual('plotly', figure['source'])
        self.assertEqual(5_050_000.0, body['result'])

    def test_graph_objects_figure_shown_and_as_result_each_once(self):
        body = run("import plotly.graph_objects as go\n"
                   "fig = go.Figure(go.Scatter(x=df['day'], y=df['units'], mode='lines+markers', name='units'))\n"
                   "fig.update_layout(xaxis_title='day')\n"
                   "fig.show()\n"
                   "other = go.Figure(go.Pie(labels=df['region'], values=df['units']))\n"
                   "result = fig")
        self.assertEqual(2, len(body['figures']))
        line, pie = (f['spec']['data'][0] for f in body['figures'])
        self.assertEqual(['2024-01-01T00:00:00', '2024-01-02T00:00:00', '2024-01-03T00:00:00',
                          '2024-01-04T00:00:00'], [x[:19] for x in line['x']])
        self.assertEqual([3, 5, 2, 8], line['y'])
        self.assertEqual('pie', pie['type'])
        self.assertEqual([3, 5, 2, 8], pie['values'])
        self.assertEqual('object', body['result']['type'])
        self.assertIn('Plotly figure', body['result']['repr'])

    def test_figures_in_a_result_dict_are_captured(self):
        body = run("import plotly.express as px\n"
                   "result = {'chart': px.pie(df, names='region', values='units'), 'total': int(df['units'].sum())}")
        [figure] = body['figures']
        self.assertEqual('pie', figure['spec']['data'][0]['type'])
        self.assertEqual(18, body['result']['total'])

    def test_numpy_values_become_plain_json_and_nan_null(self):
        body = run("import plotly.graph_objects as go\n"
                   "fig = go.Figure(go.Scatter(x=np.arange(3), y=np.array([1.5, np.nan, np.inf])))\n"
                   "result = 1")
        [trace] = body['figures'][0]['spec']['data']
        self.assertEqual([0, 1, 2], trace['x'])
        self.assertEqual([1.5, None, None], trace['y'])

    def test_long_series_are_cut_and_the_spec_says_so(self):
        frame = pd.DataFrame({'x': np.arange(10_000), 'y': np.arange(10_000) * 2.0})
        body = run("import plotly.express as px\nfig = px.scatter(df, x='x', y='y')\nresult = len(df)", frame)
        [figure] = body['figures']
        [trace] = figure['spec']['data']
        self.assertEqual(chartspec.MAX_POINTS, len(trace['x']))
        self.assertIn('cut to its first %d points' % chartspec.MAX_POINTS, figure['spec_note'])
        self.assertLessEqual(len(json.dumps(figure['spec'])), chartspec.MAX_SPEC_BYTES)

    def test_a_spec_too_large_is_refused_with_its_reason_and_the_png_stays(self):
        labels = ['label %d %s' % (i, 'x' * 600) for i in range(chartspec.MAX_POINTS)]
        frame = pd.DataFrame({'k': labels, 'v': np.arange(len(labels))})
        body = run("import plotly.express as px\n"
                   "fig = px.bar(df, x='k', y='v', hover_data=['k'])\nresult = 1", frame)
        [figure] = body['figures']
        self.assertTrue(figure['spec'] is None, 'a spec of %d bytes was kept' % len(json.dumps(figure['spec'])))
        self.assertIn('larger than', figure['spec_note'])
        self.assertTrue(base64.b64decode(figure['data']).startswith(PNG))

    def test_traces_without_a_static_drawing_get_an_image_that_says_so(self):
        body = run("import plotly.graph_objects as go\n"
                   "fig = go.Figure(go.Sunburst(labels=['a', 'b'], parents=['', 'a'], values=[1, 1]))\nresult = 1")
        [figure] = body['figures']
        self.assertEqual('sunburst', figure['spec']['data'][0]['type'])
        self.assertTrue(base64.b64decode(figure['data']).startswith(PNG))

    def test_every_common_trace_is_drawn(self):
        for code in ("px.bar(df, x='region', y='revenue')", "px.line(df, x='day', y='units')",
                     "px.scatter(df, x='units', y='revenue')", "px.histogram(df, x='units')",
                     "px.pie(df, names='region', values='units')", "px.box(df, y='units')",
                     "px.bar(df, x='revenue', y='region', orientation='h')"):
            with self.subTest(code=code):
                spec, _, drawable = chartspec.plotly_spec(eval(code, {'px': __import__('plotly.express').express,
                                                                      'df': FRAME}))
                png, width, height = chartspec.static_png(drawable, 1 << 20)
                self.assertTrue(png.startswith(PNG))
                self.assertGreater(width, 0)

    def test_writers_are_contained_by_the_sandbox(self):
        for call in ("fig.write_html('/tmp/chart-%s.html')", "fig.write_json('/tmp/chart-%s.json')",
                     "fig.write_image('/tmp/chart-%s.png')", "fig.to_image(format='png')",
                     "__import__('plotly.io').io.write_html(fig, '/tmp/chart-%s.html')",
                     "__import__('plotly.offline').offline.plot(fig, filename='/tmp/chart-%s.html', auto_open=False)"):
            with self.subTest(call=call):
                token = support.secrets.token_hex(4)
                code = "import plotly.express as px\nfig = px.bar(df, x='region', y='revenue')\n" + \
                       (call % token if '%s' in call else call) + "\nresult = 'written'"
                job = child.Job(code, {'df': FRAME, 'dfs': {'data': FRAME}}, guard.Limits(1 << 30, 20, 64),
                                output.Settings(), POLICY, ROOTS)
                header, raw = executor.run_blocking(job, 30.0, guard.ALL)
                body = support.parse(raw)
                self.assertFalse(body and body.get('status') == 'ok', raw[:300])
                self.assertFalse(support.os.path.exists('/tmp/chart-%s.html' % token))


class MatplotlibSpecTest(unittest.TestCase):

    def tearDown(self):
        plt.close('all')

    def test_bar_gives_a_category_bar_trace_with_titles(self):
        s = pd.Series({'North': 3.5, 'South': 1.0, 'East': 2.25}, name='revenue')
        s.plot(kind='bar', title='Revenue by region')
        plt.ylabel('revenue (EUR)')
        [spec] = specs_of_open_figures()
        [trace] = spec['data']
        self.assertEqual(('bar', ['North', 'South', 'East'], [3.5, 1.0, 2.25]), (trace['type'], trace['x'], trace['y']))
        self.assertEqual('Revenue by region', spec['layout']['title']['text'])
        self.assertEqual('revenue (EUR)', spec['layout']['yaxis']['title']['text'])
        self.assertEqual('category', spec['layout']['xaxis']['type'])
        self.assertEqual('none', spec['layout']['yaxis']['exponentformat'])

    def test_barh_swaps_axes(self):
        pd.DataFrame({'a': [1, 2], 'b': [3, 4]}, index=['x', 'y']).plot(kind='barh')
        [spec] = specs_of_open_figures()
        self.assertEqual([('h', ['x', 'y'], [1, 2], 'a'), ('h', ['x', 'y'], [3, 4], 'b')],
                         [(t['orientation'], t['y'], t['x'], t['name']) for t in spec['data']])
        self.assertEqual('group', spec['layout']['barmode'])

    def test_line_with_dates_gives_a_date_axis_and_the_values(self):
        df = pd.DataFrame({'day': pd.date_range('2024-01-01', periods=3), 'v': [1e6, 2e6, 3e6]})
        fig, ax = plt.subplots()
        ax.plot(df['day'], df['v'], label='v')
        ax.set_xlabel('day')
        [spec] = specs_of_open_figures()
        [trace] = spec['data']
        self.assertEqual(('scatter', 'lines', 'v'), (trace['type'], trace['mode'], trace['name']))
        self.assertEqual([1e6, 2e6, 3e6], trace['y'])
        self.assertEqual('date', spec['layout']['xaxis']['type'])
        self.assertEqual('2024-01-01', trace['x'][0][:10])
        self.assertTrue(spec['layout']['showlegend'])

    def test_histogram_counts_and_bins_equal_numpy(self):
        values = np.random.default_rng(1).normal(size=500)
        plt.hist(values, bins=12)
        [spec] = specs_of_open_figures()
        [trace] = spec['data']
        counts, edges = np.histogram(values, bins=12)
        self.assertEqual(counts.tolist(), trace['y'])
        np.testing.assert_allclose((edges[:-1] + edges[1:]) / 2, trace['x'])
        np.testing.assert_allclose(np.diff(edges), trace['width'])

    def test_scatter_gives_markers(self):
        plt.scatter([1, 2, 3], [4.5, 5.5, 6.5])
        [spec] = specs_of_open_figures()
        [trace] = spec['data']
        self.assertEqual(('markers', [1.0, 2.0, 3.0], [4.5, 5.5, 6.5]), (trace['mode'], trace['x'], trace['y']))

    def test_each_series_matches_plotdata(self):
        fig, (a, b) = plt.subplots(1, 2)
        a.bar(['p', 'q'], [1, 2])
        b.plot([0, 1, 2], [3, 2, 1])
        with support.tempfile.TemporaryFile() as f:
            fig.savefig(f, format='png')
        plot = plotdata.figure_data(fig)
        spec, note = chartspec.matplotlib_spec(fig, plot)
        self.assertIsNone(note)
        self.assertEqual([('x', 'y'), ('x2', 'y2')], [(t['xaxis'], t['yaxis']) for t in spec['data']])
        self.assertEqual([s['y'] for ax in plot['axes'] for s in ax['series']], [t['y'] for t in spec['data']])

    def test_matplotlib_chart_from_the_child_carries_its_spec(self):
        body = run("df.plot(x='region', y='revenue', kind='bar')\nresult = 1")
        [figure] = body['figures']
        self.assertEqual([1_200_000.0, 950_000.0, 400_000.0, 2_500_000.0], figure['spec']['data'][0]['y'])


if __name__ == '__main__':
    unittest.main()
