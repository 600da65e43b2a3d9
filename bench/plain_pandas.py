"""The baseline: the same code in plain Python and pandas, on the same canonical dataset loaded the same way.
Usage: plain_pandas.py <csv> <spec.json> <runs> <code>...; prints {code: [seconds of each run]} as JSON."""
import json
import sys
import time

import pandas as pd


def main():
    path, spec_path, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(spec_path) as f:
        spec = json.load(f)
    dates = spec['date_columns']
    df = pd.read_csv(path, header=0, names=spec['columns'],
                     dtype={c: t for c, t in spec['dtypes'].items() if c not in dates},
                     parse_dates=dates, keep_default_na=False, na_values=[''], encoding='utf-8')
    timings = {}
    for code in sys.argv[4:]:
        compiled = compile(code, '<analysis>', 'exec')
        times = []
        for _ in range(runs + 1):
            namespace = {'df': df, 'dfs': {'sales': df}, 'pd': pd, 'result': None}
            started = time.perf_counter()
            exec(compiled, namespace)
            times.append(time.perf_counter() - started)
        timings[code] = times[1:]  # the first run pays one-time costs a warm worker does not pay either
    print(json.dumps(timings))


main()
