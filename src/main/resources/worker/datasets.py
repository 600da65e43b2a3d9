"""Loads a session's datasets from their canonical CSV files with exactly their stored schema (see the Javadoc of
io.llmanalytics.dataset.DatasetSource)."""
import ctypes

import pandas as pd


def load(specs):
    """``specs``: [{name, default, path, columns, dtypes, date_columns, na_values}]. Returns ({name: DataFrame}, default name)."""
    frames = {}
    default = None
    for spec in specs:
        name = spec['name']
        columns = list(spec['columns'])
        dates = [c for c in spec.get('date_columns') or [] if c in columns]
        dtypes = {c: t for c, t in (spec.get('dtypes') or {}).items()
                  if c in columns and c not in dates and not str(t).startswith('datetime')}
        frame = pd.read_csv(spec['path'], header=0, names=columns, dtype=dtypes, parse_dates=dates or False,
                            keep_default_na=False, na_values=spec.get('na_values') or [''],
                            encoding='utf-8')
        for column in dates:
            if not pd.api.types.is_datetime64_any_dtype(frame[column]):
                frame[column] = pd.to_datetime(frame[column], errors='coerce')
        frames[name] = frame
        if spec.get('default') and default is None:
            default = name
    if default is None and frames:
        default = next(iter(frames))
    return frames, default


def release_free_memory():
    """Gives the heap that loading freed (the CSV parser's buffers and temporaries) back to the operating system, so
    that a zygote holds its frames and little else; the frames are not touched. glibc keeps freed memory below its
    heap's top for reuse: ``malloc_trim(0)`` returns every free page. Measured on a 200 000-row table of unique
    strings: the zygote's private memory once loaded fell from 1.13x to 0.93x of ``memory_usage(deep=True)``.
    A C library without ``malloc_trim`` (musl) has nothing to do here."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return False
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    trim(0)
    return True
