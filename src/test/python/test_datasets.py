"""datasets.load and the memory release after it (issue 20, target 5): the frames code sees are exactly what the
plain read gives (values, dtypes, dates, NA tokens), before and after the zygote gives the freed heap back."""
import support  # noqa: I100 (first: it configures the environment before numpy is imported)

import os
import tempfile
import unittest

import numpy as np
import pandas as pd

import datasets

CORPUS = '/work/shared/corpus/dabench/tables'


def plain_read(spec):
    """The read datasets.load made before issue 20 (the reference the frames must equal)."""
    columns = list(spec['columns'])
    dates = [c for c in spec.get('date_columns') or [] if c in columns]
    dtypes = {c: t for c, t in (spec.get('dtypes') or {}).items()
              if c in columns and c not in dates and not str(t).startswith('datetime')}
    frame = pd.read_csv(spec['path'], header=0, names=columns, dtype=dtypes, parse_dates=dates or False,
                        keep_default_na=False, na_values=spec.get('na_values') or [''], encoding='utf-8')
    for column in dates:
        if not pd.api.types.is_datetime64_any_dtype(frame[column]):
            frame[column] = pd.to_datetime(frame[column], errors='coerce')
    return frame


class DatasetsTest(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix='datasets-test-')

    def tearDown(self):
        for name in os.listdir(self.dir):
            os.remove(os.path.join(self.dir, name))
        os.rmdir(self.dir)

    def specs(self):
        rng = np.random.default_rng(11)
        rows = 5000
        mixed = pd.DataFrame({
            'id': ['ORD-%06d' % i for i in range(rows)],
            'city': rng.choice(['Lisbon', 'São Paulo', 'Zürich', '東京', ''], rows),
            'qty': rng.integers(-5, 100, rows),
            'price': np.where(rng.random(rows) < 0.1, np.nan, rng.random(rows) * 100),
            'paid': rng.random(rows) < 0.5,
            'when': pd.Timestamp('2024-01-01') + pd.to_timedelta(rng.integers(0, 1000, rows), unit='h'),
        })
        specs = [dict(support.write_canonical(mixed, self.dir, 'mixed'), na_values=[''])]
        # NA tokens a dataset declared: they read as missing, other text stays text
        tokens = os.path.join(self.dir, 'tokens.csv')
        with open(tokens, 'w', encoding='utf-8') as f:
            f.write('name,score,seen\nAna,NA,2024-02-01T00:00:00\nNULL,3.5,\nBen,n/a,2024-02-03T10:30:00\n'
                    'NONE,.,not a date\n')
        specs.append({'name': 'tokens', 'path': tokens, 'columns': ['name', 'score', 'seen'],
                      'dtypes': {'name': 'object', 'score': 'object', 'seen': 'datetime64[ns]'},
                      'date_columns': ['seen'], 'na_values': ['', 'NA', 'NULL', 'n/a']})
        for table in ('titanic.csv', 'insurance.csv', 'hotel_data.csv'):
            path = os.path.join(CORPUS, table)
            if os.path.exists(path):
                specs.append(dict(support.write_canonical(pd.read_csv(path), self.dir, table[:-4]),
                                  na_values=['']))
        return specs

    def test_loaded_frames_equal_the_plain_read_and_survive_the_memory_release(self):
        specs = self.specs()
        frames, default = datasets.load(specs)
        self.assertEqual('mixed', default)
        before = {name: frame.copy(deep=True) for name, frame in frames.items()}
        self.assertTrue(datasets.release_free_memory(), 'glibc has malloc_trim')
        for spec in specs:
            name = spec['name']
            with self.subTest(dataset=name):
                reference = plain_read(spec)
                pd.testing.assert_frame_equal(reference, frames[name], check_dtype=True, check_exact=True)
                pd.testing.assert_frame_equal(before[name], frames[name], check_dtype=True, check_exact=True)
        self.assertEqual(['Ana', None, 'Ben', 'NONE'], [None if pd.isna(v) else v for v in frames['tokens']['name']])
        self.assertTrue(pd.isna(frames['tokens']['score'][0]))
        self.assertEqual('.', frames['tokens']['score'][3])
        self.assertTrue(pd.isna(frames['tokens']['seen'][3]))
        self.assertEqual('datetime64[ns]', str(frames['mixed']['when'].dtype))
        self.assertEqual('bool', str(frames['mixed']['paid'].dtype))

    def test_huge_pages_leave_the_frames_unchanged_and_back_their_arrays(self):
        """The zygote moves its datasets' arrays (and the supervisor its heap) to transparent huge pages after loading:
        the values are the same bytes, and where the kernel offers THP the arrays' memory is in huge pages."""
        rows = 1_500_000  # 12 MB per column: whole 2 MB spans
        rng = np.random.default_rng(5)
        frames = {'big': pd.DataFrame({'a': rng.random(rows), 'b': rng.integers(0, 1000, rows),
                                       'k': rng.choice(['x', 'y', 'z'], rows)})}
        before = frames['big'].copy(deep=True)
        ranges = datasets.frame_ranges(frames)
        self.assertGreaterEqual(len(ranges), 2)  # the float block and the integer block
        moved = datasets.huge_pages(ranges)
        datasets.huge_pages(datasets.anonymous_ranges())
        pd.testing.assert_frame_equal(before, frames['big'], check_dtype=True, check_exact=True)
        if _thp_available():
            self.assertGreater(moved, 0)
            self.assertGreater(_huge_bytes_within(ranges), 0)

    def test_loading_again_after_a_release_gives_the_same_frames(self):
        specs = self.specs()
        first, _ = datasets.load(specs)
        datasets.release_free_memory()
        second, _ = datasets.load(specs)
        for name in first:
            with self.subTest(dataset=name):
                pd.testing.assert_frame_equal(first[name], second[name], check_dtype=True, check_exact=True)


def _thp_available():
    try:
        with open('/sys/kernel/mm/transparent_hugepage/enabled') as f:
            return '[never]' not in f.read()
    except OSError:
        return False


def _huge_bytes_within(ranges):
    """The AnonHugePages of the mappings that hold ``ranges``, from /proc/self/smaps."""
    total, inside = 0, False
    with open('/proc/self/smaps') as f:
        for line in f:
            fields = line.split()
            if '-' in fields[0] and len(fields[0].split('-')) == 2 and all(
                    c in '0123456789abcdef-' for c in fields[0]):
                start, end = (int(a, 16) for a in fields[0].split('-'))
                inside = any(s < end and e > start for s, e in ranges)
            elif inside and fields[0] == 'AnonHugePages:':
                total += int(fields[1]) * 1024
    return total


if __name__ == '__main__':
    unittest.main()
