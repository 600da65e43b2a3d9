"""Turns what analysis code produced into bounded, JSON-safe values. Runs inside the execution child, under its
limits: a result whose ``__repr__`` loops or explodes only fails or times out that execution."""
import base64
import datetime
import decimal
import fractions
import io
import json
import math

import numpy as np
import pandas as pd

import chartspec
import plotdata

MAX_DEPTH = 8
MAX_COLUMNS = 200
MAX_RESULT_BYTES = 2 * 1024 * 1024
MAX_FIGURE_PIXELS = 4096


class Settings:
    """Output bounds, from the request."""

    def __init__(self, max_output=10000, max_sample_rows=10, max_series_items=100, max_figures=5,
                 max_figure_bytes=1024 * 1024, timings=False):
        self.max_output = max(1, int(max_output))
        self.max_sample_rows = max(0, int(max_sample_rows))
        self.max_series_items = max(1, int(max_series_items))
        self.max_figures = max(0, int(max_figures))
        self.max_figure_bytes = max(1024, int(max_figure_bytes))
        # bench/worker_phases.py only: the child adds the times of its phases to its reply (never the Java side)
        self.timings = timings is True

    @classmethod
    def of(cls, spec):
        spec = spec or {}
        return cls(**{k: spec[k] for k in ('max_output', 'max_sample_rows', 'max_series_items', 'max_figures',
                                           'max_figure_bytes', 'timings') if k in spec})


class BoundedText:
    """A text stream keeping the first ``limit`` characters written to it (stands in for ``sys.stdout``)."""

    encoding = 'utf-8'
    errors = 'replace'

    def __init__(self, limit):
        self._limit = limit
        self._parts = []
        self._size = 0
        self.truncated = False

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError('write() argument must be str, not %s' % type(text).__name__)
        room = self._limit - self._size
        if room > 0:
            part = text[:room]
            self._parts.append(part)
            self._size += len(part)
        if len(text) > max(room, 0):
            self.truncated = True
        return len(text)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        pass

    def isatty(self):
        return False

    def writable(self):
        return True

    def readable(self):
        return False

    def value(self):
        return ''.join(self._parts)


class Converter:
    """Converts one result; ``truncated`` tells whether anything was cut."""

    def __init__(self, settings):
        self.s = settings
        self.truncated = False

    # -- entry point ---------------------------------------------------------------------------------------------
    def result(self, value):
        converted = self.value(value, 0)
        text = json.dumps(converted, allow_nan=False, ensure_ascii=False)
        if len(text) > MAX_RESULT_BYTES:
            self.truncated = True
            converted = self.opaque(value, limit=min(self.s.max_output, MAX_RESULT_BYTES))
        return converted

    # -- values --------------------------------------------------------------------------------------------------
    def value(self, v, depth):
        scalar = self.scalar(v)
        if scalar is not _NOT_SCALAR:
            return scalar
        if depth >= MAX_DEPTH:
            self.truncated = True
            return self.opaque(v)
        if isinstance(v, pd.DataFrame):
            return self.dataframe(v)
        if isinstance(v, pd.Series):
            return self.series(v)
        if isinstance(v, pd.Index):
            return self.index(v)
        if isinstance(v, np.ndarray):
            return self.ndarray(v)
        if isinstance(v, dict):
            return self.mapping(v, depth)
        if isinstance(v, (list, tuple, set, frozenset)):
            return self.sequence(v, depth)
        if chartspec.is_plotly_figure(v):
            return {'type': 'object', 'class': 'plotly.graph_objects.Figure', 'repr': 'a Plotly figure (see the chart)'}
        return self.opaque(v)

    def scalar(self, v):
        if v is None or isinstance(v, bool):
            return v
        if isinstance(v, str):
            return self.text(v)
        if v is pd.NaT or v is pd.NA:
            return None
        if isinstance(v, np.generic):
            if isinstance(v, np.bool_):
                return bool(v)
            if isinstance(v, np.integer):
                return int(v)
            if isinstance(v, np.floating):
                return self.float(float(v))
            if isinstance(v, np.datetime64):
                return None if np.isnat(v) else pd.Timestamp(v).isoformat()
            if isinstance(v, np.timedelta64):
                return None if np.isnat(v) else pd.Timedelta(v).isoformat()
            if isinstance(v, np.str_):
                return self.text(str(v))
            if isinstance(v, np.complexfloating):
                return self.text(str(v))
            return self.opaque(v)
        if isinstance(v, int):
            return v if abs(v) < 1 << 63 else self.text(str(v))
        if isinstance(v, float):
            return self.float(v)
        if isinstance(v, (pd.Timestamp, datetime.datetime, datetime.date, datetime.time)):
            return v.isoformat()
        if isinstance(v, pd.Timedelta):
            return v.isoformat()
        if isinstance(v, datetime.timedelta):
            return pd.Timedelta(v).isoformat()
        if isinstance(v, (pd.Period, pd.Interval, complex)):
            return self.text(str(v))
        if isinstance(v, decimal.Decimal):
            return self.float(float(v)) if v.is_finite() else self.text(str(v))
        if isinstance(v, fractions.Fraction):
            return self.float(float(v))
        if isinstance(v, (bytes, bytearray)):
            return self.text(repr(bytes(v[:self.s.max_output])))
        return _NOT_SCALAR

    @staticmethod
    def float(f):
        if math.isnan(f):
            return None
        if math.isinf(f):
            return 'Infinity' if f > 0 else '-Infinity'
        return f

    def text(self, s):
        if len(s) > self.s.max_output:
            self.truncated = True
            return s[:self.s.max_output]
        return s

    def label(self, v):
        """A row or column label as a string (JSON object keys are strings)."""
        if isinstance(v, tuple):
            return '(' + ', '.join(self.label(p) for p in v) + ')'
        converted = self.scalar(v)
        if converted is _NOT_SCALAR:
            return self.text(str(v))
        if converted is None:
            return 'NaN' if isinstance(v, float) else str(v)
        return converted if isinstance(converted, str) else json.dumps(converted)

    def opaque(self, v, limit=None):
        limit = limit or self.s.max_output
        text = repr(v)
        if len(text) > limit:
            self.truncated = True
            text = text[:limit]
        return {'type': 'object', 'class': type(v).__module__ + '.' + type(v).__qualname__, 'repr': text}

    # -- containers ----------------------------------------------------------------------------------------------
    def sequence(self, v, depth):
        items = v
        if isinstance(v, (set, frozenset)):
            try:
                items = sorted(v)
            except TypeError:
                items = list(v)
        out = []
        for i, item in enumerate(items):
            if i >= self.s.max_series_items:
                self.truncated = True
                break
            out.append(self.value(item, depth + 1))
        return out

    def mapping(self, v, depth):
        out = {}
        for i, (key, item) in enumerate(v.items()):
            if i >= self.s.max_series_items:
                self.truncated = True
                break
            out[self.label(key)] = self.value(item, depth + 1)
        return out

    def columns(self, frame):
        names, seen = [], set()
        for column in list(frame.columns[:MAX_COLUMNS]):
            name = self.label(column)
            base, n = name, 2
            while name in seen:
                name = '%s (%d)' % (base, n)
                n += 1
            seen.add(name)
            names.append(name)
        return names

    def dataframe(self, df):
        rows, cols = df.shape
        shown = df.iloc[:self.s.max_sample_rows, :MAX_COLUMNS]
        names = self.columns(shown)
        data = [{name: self.value(cell, MAX_DEPTH - 1) for name, cell in zip(names, row)}
                for row in shown.itertuples(index=False, name=None)]
        self.truncated |= rows > self.s.max_sample_rows or cols > MAX_COLUMNS
        out = {'type': 'dataframe', 'columns': names,
               'dtypes': {name: str(dtype) for name, dtype in zip(names, shown.dtypes)},
               'data': data, 'shape': [rows, cols], 'truncated': rows > self.s.max_sample_rows,
               'total_rows': rows}
        if not _default_index(df.index):
            out['index'] = [self.label(i) if isinstance(i, tuple) else self.value(i, MAX_DEPTH - 1)
                            for i in shown.index]
            out['index_names'] = [None if n is None else self.label(n) for n in df.index.names]
        if cols > MAX_COLUMNS:
            out['columns_truncated'] = True
        return out

    def series(self, s):
        n = len(s)
        shown = s.iloc[:self.s.max_series_items]
        labels = [self.label(i) for i in shown.index]
        values = [self.value(v, MAX_DEPTH - 1) for v in shown.tolist()]
        if len(set(labels)) == len(labels):
            data = dict(zip(labels, values))
        else:
            data = [[label, value] for label, value in zip(labels, values)]
        self.truncated |= n > self.s.max_series_items
        out = {'type': 'series', 'name': None if s.name is None else self.label(s.name), 'dtype': str(s.dtype),
               'data': data, 'length': n, 'truncated': n > self.s.max_series_items}
        names = [name for name in s.index.names if name is not None]
        if names:
            out['index_names'] = [self.label(name) for name in names]
        return out

    def index(self, index):
        n = len(index)
        shown = index[:self.s.max_series_items]
        self.truncated |= n > self.s.max_series_items
        return {'type': 'index', 'dtype': str(index.dtype),
                'data': [self.value(v, MAX_DEPTH - 1) for v in shown.tolist()],
                'length': n, 'truncated': n > self.s.max_series_items}

    def ndarray(self, a):
        limit = self.s.max_series_items
        truncated = a.ndim > 0 and a.shape[0] > limit
        shown = a[:limit] if a.ndim > 0 else a
        if shown.ndim > 1:
            shown = shown[(slice(None),) + tuple(slice(0, limit) for _ in range(shown.ndim - 1))]
            truncated = truncated or any(d > limit for d in a.shape[1:])
        if shown.size > limit * limit:
            truncated = True
            shown = shown.reshape(-1)[:limit]
        self.truncated |= truncated
        return {'type': 'ndarray', 'dtype': str(a.dtype), 'shape': list(a.shape),
                'data': self.value(shown.tolist(), 1) if shown.ndim > 0 else self.value(shown.item(), 1),
                'truncated': truncated}


_NOT_SCALAR = object()


def _default_index(index):
    return isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1 and index.name is None


MAX_SUMMARY_COLUMNS = 50
MAX_SUMMARY_LABEL = 200


def summary(value, settings):
    """Facts of the whole result, computed before it is cut to the sample the client gets: its row count and, per
    numeric column (a Series is one column), count, sum, mean, min and max with their row labels, and the first and
    last values. Interpretations take highest, lowest, first, last, totals and counts from here, never from the
    sample. ``None`` for results without rows (scalars, texts, mappings) or when the facts cannot be computed."""
    try:
        if isinstance(value, pd.Series):
            return _summary(len(value), [(value.name, value)], _labels(value.index, None), settings)
        if isinstance(value, pd.DataFrame):
            columns = [(name, value.iloc[:, i]) for i, name in enumerate(value.columns[:MAX_SUMMARY_COLUMNS])]
            return _summary(len(value), columns, _labels(value.index, value), settings)
        if isinstance(value, (pd.Index, np.ndarray)) and getattr(value, 'ndim', 1) == 1:
            series = pd.Series(np.asarray(value))
            return _summary(len(series), [(None, series)], _labels(series.index, None), settings)
        if isinstance(value, (list, tuple)) and value and all(
                isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))
                for v in value):
            series = pd.Series(list(value), dtype='float64')
            return _summary(len(series), [(None, series)], _labels(series.index, None), settings)
    except MemoryError:
        raise
    except Exception:  # noqa: the facts are a check on the sample, never a reason to fail the execution
        return None
    return None


def _labels(index, frame):
    """A function giving a row's label by position: the index label, or for a default index the first text or date
    column's value (a table of day and revenue after reset_index), else the row's position."""
    if frame is not None and _default_index(index):
        for i in range(min(frame.shape[1], MAX_SUMMARY_COLUMNS)):
            column = frame.iloc[:, i]
            if not pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
                return lambda pos, c=column: c.iloc[pos]
        return lambda pos: pos
    return lambda pos: index[pos]


def _summary(rows, columns, label_at, settings):
    converter = Converter(settings)

    def label(pos):
        text = converter.label(label_at(pos))
        return text if len(text) <= MAX_SUMMARY_LABEL else text[:MAX_SUMMARY_LABEL]

    out = []
    for name, column in columns:
        if not pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column) \
                or pd.api.types.is_complex_dtype(column):
            continue
        values = column.to_numpy(dtype='float64', na_value=np.nan)
        valid = ~np.isnan(values)
        count = int(valid.sum())
        facts = {'name': None if name is None else converter.label(name), 'count': count}
        if count:
            finite = np.where(valid, values, np.nan)
            low, high = int(np.nanargmin(finite)), int(np.nanargmax(finite))
            positions = np.flatnonzero(valid)
            first, last = int(positions[0]), int(positions[-1])
            facts.update({'sum': _fact(np.nansum(finite)), 'mean': _fact(np.nanmean(finite)),
                          'min': _fact(values[low]), 'min_label': label(low),
                          'max': _fact(values[high]), 'max_label': label(high),
                          'max_ties': int((values == values[high]).sum()),
                          'min_ties': int((values == values[low]).sum()),
                          'first': _fact(values[first]), 'first_label': label(first),
                          'last': _fact(values[last]), 'last_label': label(last)})
        out.append(facts)
    return {'rows': int(rows), 'columns': out}


def _fact(v):
    v = float(v)
    if math.isnan(v) or math.isinf(v):
        return None
    return int(v) if v.is_integer() and abs(v) < 2 ** 53 else v


def figures(settings, names=None):
    """Every figure the code left open (matplotlib) or built (Plotly, found in ``names``, the code's namespace), as
    base64 PNG bounded in number, pixels and bytes, each with its interactive ``spec`` (a Plotly figure JSON, or null
    with ``spec_note`` saying why)."""
    import matplotlib.pyplot as plt
    out, truncated = [], False
    numbers = plt.get_fignums()
    if len(numbers) > settings.max_figures:
        truncated = True
        numbers = numbers[:settings.max_figures]
    for number in numbers:
        fig = plt.figure(number)
        width, height = fig.get_size_inches()
        dpi = 100.0
        if max(width, height) * dpi > MAX_FIGURE_PIXELS:
            dpi = MAX_FIGURE_PIXELS / max(width, height)
            truncated = True  # scaled down
        png = None
        for attempt in range(3):
            buffer = io.BytesIO()
            fig.savefig(buffer, format='png', dpi=dpi)
            png = buffer.getvalue()
            if len(png) <= settings.max_figure_bytes:
                break
            dpi /= 2
            png = None
        if png is None:
            truncated = True
            continue
        figure = {'format': 'png', 'width': int(round(width * dpi)), 'height': int(round(height * dpi)),
                  'data': base64.b64encode(png).decode('ascii')}
        try:
            figure['plot'] = plotdata.figure_data(fig)  # after savefig: the tick labels exist
        except Exception:  # noqa: the data behind a chart is a bonus; the image is the answer
            figure['plot'] = None
        try:
            figure['spec'], note = chartspec.matplotlib_spec(fig, figure['plot'])
        except Exception as e:  # noqa: as for plot
            figure['spec'], note = None, 'the interactive chart could not be built: %s' % type(e).__name__
        if note:
            figure['spec_note'] = note
        out.append(figure)
    if names is not None:
        plotly = chartspec.plotly_figures(names)
        room = max(0, settings.max_figures - len(out))
        if len(plotly) > room:
            truncated = True
            plotly = plotly[:room]
        for fig in plotly:
            figure = chartspec.plotly_chart(fig, settings)
            if figure is None:
                truncated = True
            else:
                out.append(figure)
    return out, truncated


def error(exc, code, settings, filename):
    """Type, message and a traceback that shows only the analysis code's own lines."""
    lines = code.splitlines()
    message = _bounded(_message(exc), settings.max_output)
    out = {'type': type(exc).__name__, 'message': message}
    entries = []
    if isinstance(exc, SyntaxError) and exc.filename == filename:
        out['line'] = exc.lineno
        entries.append('  File "%s", line %s' % (filename, exc.lineno))
        if exc.text:
            entries.append('    ' + exc.text.rstrip('\n').strip())
            if exc.offset:
                indent = len(exc.text) - len(exc.text.lstrip())
                entries.append('    ' + ' ' * max(0, exc.offset - 1 - indent) + '^')
    else:
        tb = exc.__traceback__
        while tb is not None:
            frame_code = tb.tb_frame.f_code
            if frame_code.co_filename == filename:
                lineno = tb.tb_lineno
                out['line'] = lineno
                entries.append('  File "%s", line %s, in %s' % (filename, lineno, frame_code.co_name))
                if lineno and 0 < lineno <= len(lines):
                    entries.append('    ' + lines[lineno - 1].strip())
            tb = tb.tb_next
    header = ['Traceback (most recent call last):'] if entries and not isinstance(exc, SyntaxError) else []
    out['traceback'] = _bounded('\n'.join(header + entries + ['%s: %s' % (out['type'], message)]),
                                settings.max_output)
    return out


def _message(exc):
    if isinstance(exc, SyntaxError):
        return str(exc.msg)
    if isinstance(exc, KeyError) and len(exc.args) == 1:
        return repr(exc.args[0])
    try:
        return str(exc)
    except Exception:  # noqa: a user exception whose __str__ fails
        return '<unprintable %s>' % type(exc).__name__


def _bounded(text, limit):
    return text if len(text) <= limit else text[:limit] + '...'
