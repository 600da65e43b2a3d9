"""Earlier steps' results of a multi-step analysis, given back to a later step as data.

The service holds each step's result as the JSON ``output.py`` made of it (a DataFrame's first rows, a Series' first
items, a scalar, a list or a mapping) and sends it back in the ``bindings`` of an ``exec`` request; the child decodes
it here into ``step1``, ``step2``... before the analysis code runs. Only JSON is read: nothing a child returned is ever
unpickled or evaluated. A result that was cut to its bounds is never given as if whole: the service sends it as
``{"type": "withheld", "reason": ...}`` and the step's name is a ``Withheld`` whose every use fails with that reason.
"""

import re

import pandas as pd

NAME = re.compile(r'^step[1-9][0-9]?$')
MAX_BINDINGS = 20


class Withheld:
    """An earlier step's result that was too large to pass on whole; any use of it fails with the reason."""

    __slots__ = ('_reason',)

    def __init__(self, reason):
        object.__setattr__(self, '_reason', str(reason))

    def _refuse(self, *args, **kwargs):
        raise ValueError(object.__getattribute__(self, '_reason'))

    def __getattr__(self, name):
        self._refuse()

    __getitem__ = __iter__ = __len__ = __contains__ = __call__ = _refuse
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _refuse
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = __mod__ = __pow__ = _refuse
    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __bool__ = __float__ = __int__ = _refuse
    __hash__ = None

    def __repr__(self):
        return '<withheld: %s>' % object.__getattribute__(self, '_reason')


def decode_all(values):
    """``{stepN: value}`` decoded; names other than step1..step99 and more than MAX_BINDINGS values are refused."""
    if not isinstance(values, dict) or len(values) > MAX_BINDINGS:
        raise ValueError('bindings must be an object of at most %d step results' % MAX_BINDINGS)
    out = {}
    for name, value in values.items():
        if not isinstance(name, str) or not NAME.match(name):
            raise ValueError('a binding is named step1..step99, not %r' % (name,))
        out[name] = decode(value)
    return out


def decode(value):
    """A typed result back as a pandas object: dataframe -> DataFrame, series -> Series, index/ndarray -> list,
    an opaque object -> its repr (text); plain JSON (numbers, text, lists, mappings) as it is."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    kind = value.get('type')
    if kind == 'withheld':
        return Withheld(value.get('reason', 'this earlier result was too large to pass on whole'))
    if kind == 'dataframe' and isinstance(value.get('data'), list) and isinstance(value.get('columns'), list):
        frame = pd.DataFrame(value['data'], columns=value['columns'])
        index = value.get('index')
        if isinstance(index, list) and len(index) == len(frame):
            frame.index = index
            names = value.get('index_names')
            if isinstance(names, list) and len(names) == 1:
                frame.index.name = names[0]
        return frame
    if kind == 'series' and 'data' in value:
        data = value['data']
        if isinstance(data, list):
            series = pd.Series([v for _, v in data], index=[k for k, _ in data], name=value.get('name'))
        else:
            series = pd.Series(data, name=value.get('name'), dtype=None if data else 'float64')
        names = value.get('index_names')
        if isinstance(names, list) and len(names) == 1:
            series.index.name = names[0]
        return series
    if kind in ('index', 'ndarray') and 'data' in value:
        return value['data']
    if kind == 'object' and 'repr' in value and 'class' in value:
        return value['repr']
    return {k: decode(v) for k, v in value.items()}
