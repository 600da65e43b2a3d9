"""Imports the analysis libraries once, in the supervisor, and runs each common code path once so that lazy imports
and caches are paid here and inherited by every fork instead of by every execution."""
import datetime  # noqa: F401
import io
import math  # noqa: F401
import statistics  # noqa: F401
import warnings

import matplotlib

matplotlib.use('Agg')

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import scipy  # noqa: E402,F401
import scipy.stats  # noqa: E402,F401

import chartspec  # noqa: E402
import output  # noqa: E402

# Loaded here too, as they are cheap; scikit-learn and statsmodels are not (0.5 s, 40 MB and more work for every
# fork): analysis code that needs them imports them itself. threadpoolctl (scikit-learn's, 20 ms) imports ctypes,
# which an execution child could not load again (ctypes is hidden from it and its loading refused by the audit hook).
OPTIONAL = ('seaborn', 'threadpoolctl', 'plotly.express', 'plotly.graph_objects', 'plotly.subplots')


def _optional_imports():
    for name in OPTIONAL:
        try:
            __import__(name)
        except Exception:  # noqa: an optional library that is missing or broken is simply not preloaded
            pass


def _no_thread_pools_to_control():
    """threadpoolctl (scikit-learn's KMeans, and others, limit BLAS/OpenMP threads through it) finds the loaded
    libraries with ctypes calls and a ``find_library`` that runs a compiler in a temporary directory: none of which an
    execution child may do (the audit hook refuses ctypes, seccomp exec, Landlock writes). The supervisor starts with
    OPENBLAS_NUM_THREADS=OMP_NUM_THREADS=1 and a child cannot start threads beyond that anyway, so there is nothing
    to limit: its controllers see no library, and ``threadpool_limits`` does nothing instead of failing."""
    try:
        import threadpoolctl
    except ImportError:
        return

    def _load_libraries(self):
        self.lib_controllers = []

    threadpoolctl.ThreadpoolController._load_libraries = _load_libraries


def _warm_up():
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        df = pd.DataFrame({'k': ['a', 'b', 'a', 'c'] * 5, 'v': np.arange(20.0), 'n': np.arange(20),
                           'd': pd.date_range('2020-01-01', periods=20, freq='D'), 'b': [True, False] * 10})
        other = pd.DataFrame({'k': ['a', 'b'], 'w': [1.0, 2.0]})
        results = [
            df.groupby('k')['v'].sum(), df.groupby('k').agg({'v': ['mean', 'max'], 'n': 'count'}),
            df.merge(other, on='k', how='left'), df.pivot_table(index='k', columns='b', values='v', aggfunc='sum'),
            df.set_index('d').resample('W')['v'].mean(), df['k'].str.upper().str.contains('A'), df.describe(),
            df[['v', 'n']].corr(), df.sort_values('v').head(), df['k'].value_counts(), df.query('v > 3'),
            df.isna().sum(), df.assign(x=lambda f: f.v * 2).nlargest(3, 'x'), df['d'].dt.month, repr(df), str(df),
            df.to_string(), np.corrcoef(df['v'], df['n']),
        ]
        converter = output.Converter(output.Settings())
        for value in results:
            converter.result(value)
        df.plot(x='d', y='v')
        df.groupby('k')['v'].sum().plot(kind='bar')
        fig, ax = plt.subplots()
        ax.hist(df['v'])
        ax.set_title('warm-up')
        output.figures(output.Settings())
        plt.close('all')
        _warm_up_plotly(df)
        buffer = io.BytesIO()
        del buffer


def _warm_up_plotly(df):
    """Plotly validates every property through generated validator classes, loaded on first use: a bar, a line and a
    scatter built (and their spec and static image made) here are paid for once instead of in every execution."""
    try:
        import plotly.express as px
        import plotly.graph_objects as go
    except ImportError:
        return
    import plotly.io as pio
    chartspec.install()
    for name in list(pio.templates):  # read from package files, which an execution child may not open
        pio.templates[name]
    figures = [px.bar(df.groupby('k', as_index=False)['v'].sum(), x='k', y='v', title='warm-up'),
               px.line(df, x='d', y='v'), px.scatter(df, x='n', y='v', color='k'), px.histogram(df, x='v'),
               go.Figure(go.Pie(labels=['a', 'b'], values=[1, 2])), px.box(df, y='v')]
    for fig in figures:
        fig.update_layout(xaxis_title='x')
        chartspec.plotly_chart(fig, output.Settings())


_optional_imports()
_no_thread_pools_to_control()
_warm_up()
