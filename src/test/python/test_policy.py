"""The import allow-list: the shared file's syntax and what it allows."""
import support  # noqa: I100

import unittest

from policy import ImportPolicy


class ImportPolicyTest(unittest.TestCase):

    def test_exact_names_trees_and_exclusions(self):
        p = ImportPolicy('# comment\nmath\npandas.*\n!pandas.io.*\n!pandas.testing\nmatplotlib.pyplot  # charts\n')
        self.assertTrue(p.allows('math'))
        self.assertFalse(p.allows('math.x'))
        self.assertTrue(p.allows('pandas'))
        self.assertTrue(p.allows('pandas.core.frame'))
        self.assertFalse(p.allows('pandas.io'))
        self.assertFalse(p.allows('pandas.io.common'))
        self.assertFalse(p.allows('pandas.testing'))
        self.assertTrue(p.allows('matplotlib.pyplot'))
        self.assertFalse(p.allows('matplotlib'))
        self.assertTrue(p.allows_load('matplotlib'))
        self.assertFalse(p.allows_load('os'))
        self.assertFalse(p.allows(''))
        self.assertFalse(p.allows(None))

    def test_exclusions_win_over_narrower_inclusions(self):
        p = ImportPolicy('pandas.*\n!pandas.io.*\npandas.io.formats.style\n')
        self.assertFalse(p.allows('pandas.io.formats.style'))

    def test_invalid_lines_are_refused(self):
        for text in ('pandas.**', 'os path', '!', '1abc'):
            with self.subTest(text=text):
                with self.assertRaises(ValueError):
                    ImportPolicy(text)

    def test_the_shared_list(self):
        p = ImportPolicy(support.allowed_modules())
        for name in ('pandas', 'numpy', 'math', 'statistics', 'datetime', 're', 'json', 'collections', 'itertools',
                     'functools', 'scipy', 'scipy.stats', 'matplotlib.pyplot', 'seaborn', 'sklearn.linear_model',
                     'statsmodels.api'):
            self.assertTrue(p.allows(name), name)
        for name in ('os', 'sys', 'subprocess', 'socket', 'ctypes', '_io', 'pickle', 'builtins', 'importlib',
                     'pandas.io.common', 'numpy.ctypeslib', 'scipy.io', 'shutil', 'pathlib', 'urllib'):
            self.assertFalse(p.allows(name), name)


if __name__ == '__main__':
    unittest.main()
