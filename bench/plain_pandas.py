"""The baseline: the same code in plain Python and pandas, on the same canonical dataset loaded the same way.
Usage: plain_pandas.py <csv> <spec.json>. Prints "ready", then for each line of JSON {"code": ..., "runs": n} on
stdin runs the code n times and prints the seconds of each run as a JSON list. The benchmark interleaves these runs
with the worker's, so that both see the same machine."""
import json
import sys
import time

import pandas as pd


def main():
    path, spec_path = sys.argv[1], sys.argv[2]
    with open(spec_path) as f:
        spec = json.load(f)
    dates = spec['date_columns']
    df = pd.read_csv(path, header=0, names=spec['columns'],
                     dtype={c: t for c, t in spec['dtypes'].items() if c not in dates},
                     parse_dates=dates, keep_default_na=False, na_values=[''], encoding='utf-8')
    print('ready', flush=True)
    compiled = {}
    for line in sys.stdin:
        request = json.loads(line)
        code = request['code']
        if code not in compiled:
            compiled[code] = compile(code, '<analysis>', 'exec')
            exec(compiled[code], {'df': df, 'dfs': {'sales': df}, 'pd': pd, 'result': None})  # one-time costs
        times = []
        for _ in range(request.get('runs', 1)):
            namespace = {'df': df, 'dfs': {'sales': df}, 'pd': pd, 'result': None}
            started = time.perf_counter()
            exec(compiled[code], namespace)
            times.append(time.perf_counter() - started)
        print(json.dumps(times), flush=True)


main()
