"""The data behind a matplotlib figure, read from its artists, so that a frontend can redraw it: for each Axes its
kind, title, axis labels and series {label, kind, x[], y[]} (Line2D data, bar heights with their tick labels, histogram
bin edges and counts, scatter offsets). Bounded: at most MAX_POINTS points per series, MAX_SERIES series per Axes, and
MAX_BYTES of JSON per figure (else the series are dropped and ``truncated`` is set)."""
import datetime
import json
import math

import numpy as np
from matplotlib.collections import PathCollection
from matplotlib.category import StrCategoryLocator
from matplotlib.container import BarContainer
from matplotlib.ticker import FixedLocator

MAX_POINTS = 2000
MAX_SERIES = 50
MAX_BYTES = 256 * 1024


def figure_data(fig):
    """{'axes': [...], 'truncated': bool} for a figure (call after it was drawn, so that tick labels exist)."""
    state = {'truncated': False}
    axes = [_axes(ax, state) for ax in fig.get_axes()]
    out = {'axes': axes, 'truncated': state['truncated']}
    if len(json.dumps(out, allow_nan=False)) > MAX_BYTES:
        for ax in axes:
            ax['series'] = []
        out['truncated'] = True
    return out


def _axes(ax, state):
    series = []
    for container in ax.containers:
        if isinstance(container, BarContainer) and len(container.patches) > 0:
            series.append(_bars(ax, container, state))
    for line in ax.get_lines():
        label = _label(line.get_label())
        x, y = line.get_xdata(orig=True), line.get_ydata(orig=True)
        if label is None and len(x) == 2 and _is_reference_line(x, y):
            continue  # axhline / axvline
        series.append({'label': label, 'kind': 'line', 'x': _values(x, state), 'y': _values(y, state)})
    for collection in ax.collections:
        if isinstance(collection, PathCollection):
            offsets = np.asarray(collection.get_offsets())
            if offsets.ndim == 2 and offsets.shape[0] > 0:
                series.append({'label': _label(collection.get_label()), 'kind': 'scatter',
                               'x': _values(offsets[:, 0], state), 'y': _values(offsets[:, 1], state)})
    if len(series) > MAX_SERIES:
        state['truncated'] = True
        series = series[:MAX_SERIES]
    kinds = sorted({s['kind'] for s in series})
    return {'kind': kinds[0] if len(kinds) == 1 else ('mixed' if kinds else None),
            'title': ax.get_title() or None, 'x_label': ax.get_xlabel() or None, 'y_label': ax.get_ylabel() or None,
            'series': series}


def _bars(ax, container, state):
    patches = container.patches
    horizontal = getattr(container, 'orientation', 'vertical') == 'horizontal'
    if horizontal:
        positions = [p.get_y() + p.get_height() / 2 for p in patches]
        values = [p.get_width() for p in patches]
        starts = [p.get_y() for p in patches]
        widths = [p.get_height() for p in patches]
        axis = ax.yaxis
    else:
        positions = [p.get_x() + p.get_width() / 2 for p in patches]
        values = [p.get_height() for p in patches]
        starts = [p.get_x() for p in patches]
        widths = [p.get_width() for p in patches]
        axis = ax.xaxis
    label = _label(container.get_label())
    categories = None
    if isinstance(axis.get_major_locator(), (FixedLocator, StrCategoryLocator)):  # set by pandas, or categories
        categories = _tick_labels(positions, axis.get_majorticklocs(), [t.get_text() for t in axis.get_ticklabels()])
    if categories is None and _contiguous(starts, widths):
        edges = list(starts) + [starts[-1] + widths[-1]]
        return {'label': label, 'kind': 'hist', 'x': _values(edges, state, MAX_POINTS + 1),
                'y': _values(values, state)}
    return {'label': label, 'kind': 'barh' if horizontal else 'bar',
            'x': categories if categories is not None else _values(positions, state),
            'y': _values(values, state)}


def _tick_labels(positions, ticks, labels):
    """The label of the tick nearest to each bar's centre (grouped bars sit beside their tick), when every bar has a
    non-empty one within half the tick spacing: a categorical axis."""
    if len(labels) != len(ticks) or len(ticks) == 0 or not any(labels):
        return None
    ticks = list(ticks)
    spacing = min((b - a for a, b in zip(ticks, ticks[1:]) if b > a), default=1.0)
    out = []
    for p in positions[:MAX_POINTS]:
        nearest = min(range(len(ticks)), key=lambda i: abs(ticks[i] - p))
        if abs(ticks[nearest] - p) > spacing / 2 or not labels[nearest]:
            return None
        out.append(labels[nearest])
    return out


def _contiguous(starts, widths):
    return len(starts) > 1 and all(
        math.isclose(starts[i] + widths[i], starts[i + 1], rel_tol=1e-9, abs_tol=1e-9) for i in range(len(starts) - 1))


def _is_reference_line(x, y):
    try:
        return (x[0] == x[1] or y[0] == y[1]) and (min(x) >= 0 and max(x) <= 1 or min(y) >= 0 and max(y) <= 1)
    except Exception:  # noqa: values that do not compare are data
        return False


def _label(label):
    if label is None:
        return None
    label = str(label)
    return None if label.startswith('_') else label


def _values(values, state, limit=MAX_POINTS):
    values = list(values)
    if len(values) > limit:
        state['truncated'] = True
        values = values[:limit]
    return [_value(v) for v in values]


def _value(v):
    if isinstance(v, (np.datetime64,)):
        v = v.astype('datetime64[us]').item()
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, int):
        return v if abs(v) < 2 ** 53 else float(v)
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    if isinstance(v, (datetime.datetime, datetime.date)):
        return v.isoformat()
    if hasattr(v, 'isoformat'):
        try:
            return v.isoformat()
        except Exception:  # noqa
            return str(v)
    try:
        f = float(v)
        return f if math.isfinite(f) else None
    except (TypeError, ValueError):
        return str(v)
