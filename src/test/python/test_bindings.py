"""Earlier steps' results given back to a later step: the JSON output.py makes, decoded as data."""
import support  # noqa: I100

import json
import unittest

import numpy as np
import pandas as pd

import bindings
import output


def roundtrip(value):
    converted = output.Converter(output.Settings()).result(value)
    return bindings.decode(json.loads(json.dumps(converted)))


class BindingsTest(unittest.TestCase):

    def test_a_dataframe_comes_back_with_its_columns_and_index(self):
        frame = pd.DataFrame({'region': ['N', 'S'], 'sales': [1.5, 2.5]}).set_index('region')
        back = roundtrip(frame)
        self.assertIsInstance(back, pd.DataFrame)
        self.assertEqual(list(back.columns), ['sales'])
        self.assertEqual(list(back.index), ['N', 'S'])
        self.assertEqual(back.index.name, 'region')
        self.assertEqual(back['sales'].sum(), 4.0)

    def test_a_series_and_a_scalar_come_back(self):
        series = pd.Series([3, 4], index=['a', 'b'], name='n')
        back = roundtrip(series)
        self.assertIsInstance(back, pd.Series)
        self.assertEqual(back['b'], 4)
        self.assertEqual(back.name, 'n')
        self.assertEqual(roundtrip(np.float64(2.5)), 2.5)
        self.assertEqual(roundtrip({'mean': 1.0, 'rows': 3}), {'mean': 1.0, 'rows': 3})

    def test_a_withheld_result_fails_every_use_with_its_reason(self):
        step = bindings.decode_all({'step1': {'type': 'withheld', 'reason': 'step1 was too large'}})['step1']
        uses = [lambda: step.sum(), lambda: step['a'], lambda: len(step), lambda: step / 2, lambda: list(step),
                lambda: step == 1, lambda: pd.DataFrame(step).shape, lambda: float(step)]
        for use in uses:
            with self.assertRaises((ValueError, TypeError)) as caught:
                use()
            if isinstance(caught.exception, ValueError):
                self.assertIn('too large', str(caught.exception))
        with self.assertRaisesRegex(ValueError, 'too large'):
            step.sum()

    def test_names_other_than_steps_are_refused(self):
        with self.assertRaises(ValueError):
            bindings.decode_all({'__builtins__': 1})
        with self.assertRaises(ValueError):
            bindings.decode_all({'df': 1})
        self.assertEqual(bindings.decode_all({'step1': 5}), {'step1': 5})


if __name__ == '__main__':
    unittest.main()
