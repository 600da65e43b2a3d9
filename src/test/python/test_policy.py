"""The import allow-list: the shared file's syntax and what it allows."""
import support  # noqa: I100

import unittest

import json
import os

from policy import ImportPolicy, parse_allow_list


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


def _validation_policy():
    """The validator's data module, loaded as the validator loads validation/policy.py: with the worker's parser
    installed as ``import_policy``."""
    import importlib.util
    import sys
    import policy as worker_policy
    sys.modules.setdefault('import_policy', worker_policy)
    directory = os.path.join(support.REPO, 'src', 'main', 'resources', 'validation')
    if directory not in sys.path:
        sys.path.append(directory)  # its rule families (policy_*.py); its own policy.py is loaded by path below
    path = os.path.join(directory, 'policy.py')
    spec = importlib.util.spec_from_file_location('validation_policy', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return importlib.import_module('policy_data')  # the validator's data: where its ModuleRules lives


class SharedParserTest(unittest.TestCase):
    """Every Python reader of the allow-list reads the shared tricky fixture as ImportAllowListTest (Java) does."""

    FIXTURES = os.path.join(support.RESOURCES, 'policy')

    def fixture(self, name):
        with open(os.path.join(self.FIXTURES, name), encoding='utf-8', newline='') as f:
            return f.read()

    def test_the_worker_parser_reads_the_tricky_file_as_expected(self):
        expected = self.fixture('tricky-allowed-modules.expected.txt').split()
        self.assertEqual(expected, parse_allow_list(self.fixture('tricky-allowed-modules.txt')))

    def test_the_validator_and_the_worker_agree_on_the_tricky_file(self):
        text = self.fixture('tricky-allowed-modules.txt')
        rules = _validation_policy().ModuleRules(text)
        worker = ImportPolicy(text)
        for module in ('pandas', 'pandas.core.frame', 'pandas.io', 'pandas.io.common', 'numpy', 'numpy.linalg',
                       'math', 'matplotlib', 'matplotlib.pyplot', 'scipy', 'scipy.io', 'scipy.io.wavfile',
                       'scipy.stats', '_private_module', 'statsmodels.api', 'statsmodels', 'sklearn.linear_model',
                       'os', 'the', 'a', 'two'):
            with self.subTest(module=module):
                self.assertEqual(worker.allows(module), rules.allowed(module))
        self.assertFalse(worker.allows('os'))  # the commented-out line
        self.assertFalse(worker.allows('numpy.linalg'))  # `numpy#...` is the exact name only

    def test_every_reader_refuses_the_same_invalid_lines(self):
        with open(os.path.join(self.FIXTURES, 'invalid-allow-list-lines.json'), encoding='utf-8') as f:
            lines = json.load(f)
        module = _validation_policy()
        for line in lines:
            with self.subTest(line=line):
                text = 'math\n' + line + '\n'
                self.assertRaises(ValueError, parse_allow_list, text)
                self.assertRaises(ValueError, ImportPolicy, text)
                self.assertRaises(ValueError, module.ModuleRules, text)

    def test_the_shipped_file_is_within_the_grammar(self):
        self.assertTrue(parse_allow_list(support.allowed_modules()))
