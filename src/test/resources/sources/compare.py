"""Compares a dataset the service imported from a database with what pandas' read_sql gives on the same table.

Reads a JSON request on stdin: {worker, url, table, parse_dates, canonical, columns, dtypes, date_columns,
na_values}. Loads the canonical file exactly as the worker does (worker/datasets.py) and the table with
pd.read_sql(..., parse_dates=...) through SQLAlchemy (psycopg2 / PyMySQL) or sqlite3. Zoned timestamps are
converted to UTC and made naive; JSON and arrays (dicts and lists in pandas) are compared as JSON. Prints the
differences and exits 1 when there are any, prints "same" and exits 0 otherwise."""
import json
import math
import sqlite3
import sys

import pandas as pd

req = json.load(sys.stdin)
sys.path.insert(0, req['worker'])
import datasets  # noqa: E402

if req['url'].startswith('sqlite:///'):
    con = sqlite3.connect(req['url'][len('sqlite:///'):])
else:
    import sqlalchemy
    args = {'init_command': "SET time_zone = '+00:00'"} if req['url'].startswith('mysql') else {}
    con = sqlalchemy.create_engine(req['url'], connect_args=args).connect()
expected = pd.read_sql(req['sql'], con, parse_dates=req['parse_dates'] or None)
frames, _ = datasets.load([{'name': 't', 'default': True, 'path': req['canonical'], 'columns': req['columns'],
                            'dtypes': req['dtypes'], 'date_columns': req['date_columns'],
                            'na_values': req['na_values']}])
actual = frames['t']
problems = []
if list(expected.columns) != list(actual.columns):
    problems.append(f'columns: pandas {list(expected.columns)}, service {list(actual.columns)}')
if len(expected) != len(actual):
    problems.append(f'rows: pandas {len(expected)}, service {len(actual)}')


def norm(v):
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT:
        return None
    if isinstance(v, (dict, list)):
        return json.dumps(v, sort_keys=True)
    if isinstance(v, str) and v[:1] in '[{' and v[-1:] in ']}':
        try:
            return json.dumps(json.loads(v), sort_keys=True)
        except ValueError:
            return v
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    if hasattr(v, 'item'):
        return v.item()
    return v


for column in expected.columns:
    if column not in actual.columns:
        continue
    e = expected[column]
    a = actual[column]
    if isinstance(e.dtype, pd.DatetimeTZDtype):
        e = e.dt.tz_convert('UTC').dt.tz_localize(None)
    elif e.dtype == object and e.map(lambda v: hasattr(v, 'tzinfo') and v.tzinfo is not None).any():
        e = pd.to_datetime(e, utc=True).dt.tz_localize(None)
    if str(e.dtype) != str(a.dtype):
        problems.append(f'{column}: dtype pandas {e.dtype}, service {a.dtype}')
    ev = [norm(v) for v in e.tolist()]
    av = [norm(v) for v in a.tolist()]
    if ev != av:
        problems.append(f'{column}: values pandas {ev[:5]}, service {av[:5]}')
known = set(req.get('known_differences') or [])
notes = [p for p in problems if p.split(':')[0] in known and ': values ' in p]
problems = [p for p in problems if p not in notes]
for note in notes:
    print('known difference (worker loads object columns as text):', note)
print('\n'.join(problems) if problems else 'same')
sys.exit(1 if problems else 0)
