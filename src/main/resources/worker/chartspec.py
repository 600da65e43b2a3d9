"""Interactive chart specs (Plotly figure JSON, ``{data, layout}``) for every chart an execution produced.

* Plotly figures the code built (bound to a name, the result, or passed to ``fig.show()``, which here means "capture
  this figure") become their own ``to_plotly_json()`` with numpy/pandas values made plain JSON, and get a static PNG
  drawn by matplotlib from the spec (bar, scatter lines/markers, histogram, pie, box; other traces get an image saying
  that no static image is available).
* matplotlib figures get a spec built from the data behind them (``plotdata.figure_data``): bar, barh, line,
  histogram and scatter traces, axis titles, title, legend names, numbers without offsets or "1e6" corner labels,
  date axes as dates.

Bounded like ``plot``: at most ``plotdata.MAX_POINTS`` values per array (more are cut, and the spec says so in
``note``) and ``MAX_SPEC_BYTES`` of JSON per spec (a larger spec is refused with its reason; the PNG stays)."""
import base64
import datetime
import decimal
import io
import json
import math
import sys

import numpy as np

import plotdata

MAX_SPEC_BYTES = plotdata.MAX_BYTES * 2
MAX_POINTS = plotdata.MAX_POINTS
MAX_DEPTH = 20
MAX_TRACES = plotdata.MAX_SERIES

# Figures passed to fig.show() in this process (an execution child), in call order.
_shown = []


# -- capture ----------------------------------------------------------------------------------------------------------
def is_plotly_figure(value):
    """Whether ``value`` is a Plotly figure (without importing plotly when the code did not)."""
    base = sys.modules.get('plotly.basedatatypes')
    return base is not None and isinstance(value, base.BaseFigure)


def _capture_show(fig, *args, **kwargs):  # noqa: ARG001 (renderers and their options are ignored on purpose)
    """``fig.show()`` and ``plotly.io.show(fig)`` in the worker: capture the figure as a chart, never render or serve."""
    if is_plotly_figure(fig) and not any(f is fig for f in _shown):
        _shown.append(fig)


def install():
    """Makes ``show`` capture instead of render (called once in the supervisor, inherited by every fork). Writers
    (write_html, write_image...) are left as they are: the validator refuses them and the sandbox contains them."""
    try:
        import plotly.basedatatypes as base
        import plotly.io as pio
    except ImportError:
        return
    base.BaseFigure.show = _capture_show
    pio.show = _capture_show
    try:
        pio.renderers.default = 'json'
    except Exception:  # noqa: the renderer is never used; show is replaced above
        pass


def plotly_figures(names):
    """The Plotly figures of an execution: those shown, then those bound to module-level names (the result last),
    and figures directly inside a list, tuple or dict bound to a name; each once."""
    found = list(_shown)

    def add(value):
        if is_plotly_figure(value) and not any(f is value for f in found):
            found.append(value)

    def scan(value):
        add(value)
        if isinstance(value, (list, tuple)):
            for item in value[:MAX_TRACES]:
                add(item)
        elif isinstance(value, dict):
            for item in list(value.values())[:MAX_TRACES]:
                add(item)

    for name, value in list(names.items()):
        if name != 'result' and not name.startswith('__'):
            scan(value)
    scan(names.get('result'))
    return found


# -- plain JSON ------------------------------------------------------------------------------------------------------
class _Bounds:
    def __init__(self):
        self.cut = False


def plain(value, bounds, depth=0):
    """``value`` (from to_plotly_json: dicts, lists, numpy arrays and scalars, pandas values) as plain JSON values;
    arrays cut to MAX_POINTS items; NaN and infinities become null."""
    if depth > MAX_DEPTH:
        bounds.cut = True
        return None
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value if abs(value) < 2 ** 53 else float(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): plain(v, bounds, depth + 1) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return plain(value.item(), bounds, depth + 1)
        if value.dtype.kind == 'M':
            value = np.datetime_as_string(value, unit='auto').astype(object)
            value = np.where(value == 'NaT', None, value)
        return plain(list(value), bounds, depth + 1)
    if isinstance(value, (list, tuple)) or _is_pandas_array(value):
        items = list(value)
        if len(items) > MAX_POINTS:
            bounds.cut = True
            items = items[:MAX_POINTS]
        return [plain(v, bounds, depth + 1) for v in items]
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else str(np.datetime_as_string(value, unit='auto'))
    if isinstance(value, np.generic):
        return plain(value.item(), bounds, depth + 1)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        try:
            if value != value:  # NaT
                return None
        except Exception:  # noqa
            pass
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return plain(float(value), bounds, depth + 1)
    if hasattr(value, 'to_plotly_json'):
        return plain(value.to_plotly_json(), bounds, depth + 1)
    text = str(value)
    return text if text not in ('NaT', 'nan', '<NA>') else None


def _is_pandas_array(value):
    module = type(value).__module__ or ''
    return module.startswith('pandas') and hasattr(value, '__len__') and hasattr(value, 'dtype')


def bounded(spec, cut):
    """``(spec, note)``: the spec when it fits in MAX_SPEC_BYTES (note says what was cut), else ``(None, reason)``."""
    text = json.dumps(spec, allow_nan=False, ensure_ascii=False)
    if len(text.encode('utf-8')) > MAX_SPEC_BYTES:
        return None, 'the interactive chart is larger than %d KB, only the image is shown' % (MAX_SPEC_BYTES // 1024)
    return spec, ('each series cut to its first %d points' % MAX_POINTS) if cut else None


def plotly_spec(fig):
    """``(spec, note, drawable)`` of a Plotly figure: ``drawable`` is the (cut) spec even when it is too large to send,
    for the static image."""
    bounds = _Bounds()
    raw = fig.to_plotly_json()
    data = raw.get('data') or []
    if len(data) > MAX_TRACES:
        bounds.cut = True
        data = data[:MAX_TRACES]
    drawable = {'data': plain(list(data), bounds), 'layout': plain(raw.get('layout') or {}, bounds)}
    spec, note = bounded(drawable, bounds.cut)
    if spec is None and (spec_without_template := _without_template(raw, data)) is not None:
        return spec_without_template, 'the default Plotly theme was left out to keep the chart small', drawable
    return spec, note, drawable


def _without_template(raw, data):
    layout = dict(raw.get('layout') or {})
    if 'template' not in layout:
        return None
    layout.pop('template')
    bounds = _Bounds()
    spec, _ = bounded({'data': plain(list(data), bounds), 'layout': plain(layout, bounds)}, bounds.cut)
    return spec


# -- matplotlib -> spec ----------------------------------------------------------------------------------------------
_NUMBERS = {'exponentformat': 'none', 'separatethousands': True, 'automargin': True}


def matplotlib_spec(fig, plot):
    """``(spec, note)`` of a matplotlib figure, from ``plot`` (its data read by plotdata.figure_data)."""
    if not plot or not plot.get('axes'):
        return None, 'the figure has no axes to make interactive'
    axes = fig.get_axes()
    data, layout = [], {'showlegend': False, 'margin': {'t': 50, 'l': 60, 'r': 20, 'b': 50}}
    titles = []
    for i, (ax, found) in enumerate(zip(axes, plot['axes'])):
        suffix = '' if i == 0 else str(i + 1)
        box = ax.get_position()
        x_name, y_name = 'xaxis' + suffix, 'yaxis' + suffix
        x_axis = dict(_NUMBERS, domain=[_clip(box.x0), _clip(box.x1)], anchor='y' + suffix)
        y_axis = dict(_NUMBERS, domain=[_clip(box.y0), _clip(box.y1)], anchor='x' + suffix)
        if found.get('x_label'):
            x_axis['title'] = {'text': found['x_label']}
        if found.get('y_label'):
            y_axis['title'] = {'text': found['y_label']}
        if found.get('title'):
            titles.append(found['title'])
        horizontal = False
        for series in found.get('series') or []:
            trace = _trace(series)
            if trace is None:
                continue
            horizontal = horizontal or series['kind'] == 'barh'
            trace['xaxis'], trace['yaxis'] = 'x' + suffix, 'y' + suffix
            if series.get('label'):
                trace['name'] = series['label']
                trace['showlegend'] = True
                layout['showlegend'] = True
            data.append(trace)
            category_axis = y_axis if series['kind'] == 'barh' else x_axis
            if series['kind'] in ('bar', 'barh') and all(isinstance(v, str) for v in series['x']):
                category_axis['type'] = 'category'
            elif _dates(series.get('x')):
                (y_axis if series['kind'] == 'barh' else x_axis)['type'] = 'date'
        if sum(1 for s in found.get('series') or [] if s['kind'] in ('bar', 'barh')) > 1:
            layout['barmode'] = 'group'
        layout[x_name], layout[y_name] = x_axis, y_axis
    if not data:
        return None, 'the figure has no bar, line, histogram or scatter data to make interactive'
    if titles:
        layout['title'] = {'text': ' | '.join(titles) if len(titles) > 1 else titles[0]}
    spec = {'data': data, 'layout': layout}
    return bounded(spec, bool(plot.get('truncated')))


def _trace(series):
    kind, x, y = series['kind'], series.get('x') or [], series.get('y') or []
    if kind == 'bar':
        return {'type': 'bar', 'x': x, 'y': y}
    if kind == 'barh':
        return {'type': 'bar', 'orientation': 'h', 'x': y, 'y': x}
    if kind == 'hist':
        if len(x) < 2:
            return None
        centres = [_mid(a, b) for a, b in zip(x, x[1:])]
        widths = [None if a is None or b is None else b - a for a, b in zip(x, x[1:])]
        return {'type': 'bar', 'x': centres, 'y': y, 'width': widths, 'customdata': [[a, b] for a, b in zip(x, x[1:])],
                'hovertemplate': '[%{customdata[0]}, %{customdata[1]}): %{y}<extra></extra>'}
    if kind == 'line':
        return {'type': 'scatter', 'mode': 'lines', 'x': x, 'y': y}
    if kind == 'scatter':
        return {'type': 'scatter', 'mode': 'markers', 'x': x, 'y': y}
    return None


def _mid(a, b):
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return (a + b) / 2
    return a


def _clip(v):
    return min(1.0, max(0.0, round(float(v), 4)))


def _dates(values):
    if not values:
        return False
    sample = [v for v in values[:20] if v is not None]
    if not sample or not all(isinstance(v, str) for v in sample):
        return False
    try:
        for v in sample:
            datetime.datetime.fromisoformat(v)
        return True
    except ValueError:
        return False


# -- spec -> PNG (matplotlib) ----------------------------------------------------------------------------------------
STATIC_TRACES = ('bar', 'scatter', 'scattergl', 'histogram', 'pie', 'box')
MAX_LABEL = 40  # characters of a category drawn on the static image
MAX_TICKS = 60  # category labels drawn on an axis of the static image (more: none, the bars stay)


def static_png(spec, max_bytes, width_px=700, height_px=450):
    """A PNG of a Plotly spec drawn with matplotlib (common traces); for other trace types a PNG saying that no static
    image is available. Returns ``(png_bytes, width, height)`` or None when no image fits ``max_bytes``."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    dpi = 100.0
    fig = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi)
    FigureCanvasAgg(fig)
    traces = (spec or {}).get('data') or []
    layout = (spec or {}).get('layout') or {}
    types = [str(t.get('type') or 'scatter') for t in traces if isinstance(t, dict)]
    unsupported = sorted({t for t in types if t not in STATIC_TRACES})
    if not types or unsupported:
        ax = fig.add_subplot(111)
        ax.set_axis_off()
        what = ', '.join(unsupported) if unsupported else 'an empty figure'
        ax.text(0.5, 0.5, 'Static image not available for %s;\nsee the interactive chart.' % what,
                ha='center', va='center', wrap=True, fontsize=12)
    elif all(t == 'pie' for t in types):
        _draw_pies(fig, traces)
    else:
        ax = fig.add_subplot(111)
        _draw_cartesian(ax, traces, layout)
    title = _text(layout.get('title'))
    if title:
        fig.suptitle(title)
    for attempt in range(3):
        buffer = io.BytesIO()
        fig.savefig(buffer, format='png', dpi=dpi)
        png = buffer.getvalue()
        if len(png) <= max_bytes:
            return png, int(round(width_px * dpi / 100.0)), int(round(height_px * dpi / 100.0))
        dpi /= 2
    return None


def _text(title):
    if isinstance(title, dict):
        title = title.get('text')
    return _untagged(title) if isinstance(title, str) and title else None


def _untagged(text):
    import re
    return re.sub(r'<[^>]*>', '', text)


def _numbers(values):
    out = []
    for v in values or []:
        try:
            out.append(float(v))
        except (TypeError, ValueError):
            out.append(math.nan)
    return out


def _axis_values(values):
    """Values for a matplotlib axis: numbers, dates (from ISO strings) or categories (strings)."""
    values = list(values or [])
    if values and all(isinstance(v, (int, float)) and not isinstance(v, bool) or v is None for v in values):
        return [math.nan if v is None else v for v in values]
    if _dates(values):
        return [None if v is None else datetime.datetime.fromisoformat(v) for v in values]
    return ['' if v is None else str(v)[:MAX_LABEL] for v in values]


def _draw_cartesian(ax, traces, layout):
    import matplotlib.ticker as ticker
    bars = [t for t in traces if t.get('type') == 'bar']
    n_bars, bar_index = len(bars), 0
    for t in traces:
        kind = t.get('type') or 'scatter'
        name = _untagged(str(t['name'])) if t.get('name') is not None else None
        x, y = t.get('x'), t.get('y')
        if kind == 'bar':
            horizontal = t.get('orientation') == 'h'
            cats, vals = (y, x) if horizontal else (x, y)
            vals = _numbers(vals)
            cats = _axis_values(cats) if cats is not None else list(range(len(vals)))
            if all(isinstance(c, str) for c in cats) and n_bars > 1 and layout.get('barmode') != 'stack':
                positions = np.arange(len(cats)) + (bar_index - (n_bars - 1) / 2) * (0.8 / n_bars)
                width = 0.8 / n_bars
                (ax.barh if horizontal else ax.bar)(positions, vals, width, label=name)
                (ax.set_yticks if horizontal else ax.set_xticks)(np.arange(len(cats)), cats)
            else:
                (ax.barh if horizontal else ax.bar)(cats, vals, label=name)
            bar_index += 1
        elif kind in ('scatter', 'scattergl'):
            mode = str(t.get('mode') or ('lines+markers' if len(x or y or []) < 20 else 'lines'))
            xs = _axis_values(x) if x is not None else list(range(len(y or [])))
            style = ('-' if 'lines' in mode else '') + ('o' if 'markers' in mode else '')
            ax.plot(xs, _numbers(y), style or 'o', label=name)
        elif kind == 'histogram':
            values = _numbers(x if x is not None else y)
            values = [v for v in values if not math.isnan(v)]
            if values:
                ax.hist(values, bins=int(t.get('nbinsx') or 0) or 'auto', label=name,
                        orientation='horizontal' if x is None else 'vertical')
        elif kind == 'box':
            values = [v for v in _numbers(y if y is not None else x) if not math.isnan(v)]
            if values:
                ax.boxplot(values, labels=[name or ''], vert=y is not None)
    for axis, key in ((ax.xaxis, 'xaxis'), (ax.yaxis, 'yaxis')):
        if len(axis.get_ticklocs()) > MAX_TICKS:
            axis.set_ticks([])
        title = _text((layout.get(key) or {}).get('title'))
        if title:
            (ax.set_xlabel if key == 'xaxis' else ax.set_ylabel)(title)
        formatter = axis.get_major_formatter()
        if isinstance(formatter, ticker.ScalarFormatter):
            formatter.set_useOffset(False)
            formatter.set_scientific(False)
    if any(t.get('name') is not None and t.get('showlegend', True) is not False for t in traces):
        ax.legend()


def _draw_pies(fig, traces):
    for i, t in enumerate(traces):
        ax = fig.add_subplot(1, len(traces), i + 1)
        values = [0.0 if math.isnan(v) or v < 0 else v for v in _numbers(t.get('values'))]
        labels = [str(v) for v in (t.get('labels') or range(len(values)))]
        if sum(values) > 0:
            ax.pie(values, labels=labels[:len(values)], autopct='%1.1f%%', normalize=True)
        ax.set_aspect('equal')


def plotly_chart(fig, settings):
    """A figure entry (as output.figures makes them) for a Plotly figure: its static PNG, ``spec`` and ``note``;
    None when no PNG fits the byte bound."""
    try:
        spec, note, drawable = plotly_spec(fig)
    except Exception as e:  # noqa: a figure that cannot be serialised is reported, not fatal
        spec, note, drawable = None, 'the Plotly figure could not be read: %s' % type(e).__name__, None
    try:
        drawn = static_png(drawable, settings.max_figure_bytes)
    except Exception:  # noqa: a spec matplotlib cannot draw gets the "not available" image
        drawn = static_png(None, settings.max_figure_bytes)
    if drawn is None:
        return None
    png, width, height = drawn
    out = {'format': 'png', 'width': width, 'height': height, 'data': base64.b64encode(png).decode('ascii'),
           'plot': None, 'spec': spec, 'source': 'plotly'}
    if note:
        out['spec_note'] = note
    return out
