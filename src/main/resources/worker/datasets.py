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


_HUGE = 2 << 20
_MADV_HUGEPAGE = 14
_MADV_COLLAPSE = 25  # Linux 6.1+: collapses a range into transparent huge pages now, not when khugepaged gets to it
_madvise = None


def _madvise_call():
    global _madvise
    if _madvise is None:
        try:
            call = ctypes.CDLL(None, use_errno=True).madvise
            call.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
            call.restype = ctypes.c_int
            _madvise = call
        except (OSError, AttributeError):
            _madvise = False
    return _madvise


def huge_pages(ranges):
    """Backs the whole 2 MB spans of ``ranges`` ([(start, end)] addresses of this process's private memory) by
    transparent huge pages, the bytes unchanged. Every fork copies the page table of the memory it shares: 512 entries
    for 2 MB of 4 kB pages, one for a huge page. A zygote forks a child per execution: its fork, and the child's exit,
    cost a fraction once the libraries' heap and the datasets are in huge pages (measured on the 2.3 M-row dataset:
    7.3 ms -> 3.5 ms per fork). A child that writes to a shared huge page gets a copy of 4 kB, as before (the kernel
    splits the mapping). Returns the bytes asked for; nothing happens on a kernel without THP or MADV_COLLAPSE.
    The collapse is paid once, in the load: measured on the 2.3 M-row dataset (98 MB of column arrays), 15-95 ms
    against a read of 1.5-6 s (a busy machine, 3 alternating runs each), for a fork of 2.4-2.6 ms instead of
    4.3-40 ms with MADV_HUGEPAGE alone (which leaves the collapse to khugepaged, later); so it stays in the load."""
    madvise = _madvise_call()
    if not madvise:
        return 0
    total = 0
    for start, end in ranges:
        start = (start + _HUGE - 1) & ~(_HUGE - 1)
        end &= ~(_HUGE - 1)
        if end - start < _HUGE:
            continue
        if madvise(start, end - start, _MADV_HUGEPAGE) == 0 and madvise(start, end - start, _MADV_COLLAPSE) == 0:
            total += end - start
    return total


def anonymous_ranges():
    """The private writable anonymous memory of this process (the heap and anonymous mappings): where the supervisor's
    libraries keep their objects once imported."""
    ranges = []
    try:
        with open('/proc/self/maps') as f:
            for line in f:
                fields = line.split()
                if len(fields) < 5 or not fields[1].startswith('rw') or fields[1][3] != 'p':
                    continue
                if len(fields) > 5 and fields[5] != '[heap]':
                    continue  # a file's mapping, the stack, vdso...
                start, end = (int(address, 16) for address in fields[0].split('-'))
                ranges.append((start, end))
    except OSError:
        pass
    return ranges


def frame_ranges(frames):
    """The memory of the datasets' column arrays (numeric, datetime and boolean blocks; the pointers of object
    columns, not the strings they point to)."""
    ranges = []
    for frame in frames.values():
        for block in frame._mgr.blocks:
            values = getattr(block, 'values', None)
            interface = getattr(values, '__array_interface__', None)
            if interface and values.nbytes >= _HUGE:
                start = interface['data'][0]
                ranges.append((start, start + values.nbytes))
    return ranges
