"""Generates the benchmark's canonical CSV datasets (see DatasetSource) and their specs, if missing:
sales-200k (200,000 rows) and sales-2m (2.3 million rows, about 100 MB)."""
import json
import os
import sys

import numpy as np
import pandas as pd

OUT = sys.argv[1] if len(sys.argv) > 1 else 'target/bench'
CATEGORIES = ['Books', 'Electronics', 'Garden', 'Toys', 'Grocery', 'Clothing', 'Sports', 'Beauty', 'Music', 'Tools']
REGIONS = ['North', 'South', 'East', 'West']


def make(name, rows, seed):
    path = os.path.join(OUT, name + '.csv')
    spec_path = os.path.join(OUT, name + '.json')
    if not (os.path.exists(path) and os.path.exists(spec_path)):
        rng = np.random.default_rng(seed)
        quantity = rng.integers(1, 10, rows)
        price = np.round(rng.uniform(1, 200, rows), 2)
        frame = pd.DataFrame({
            'date': pd.Timestamp('2020-01-01') + pd.to_timedelta(rng.integers(0, 1461, rows), unit='D'),
            'category': np.array(CATEGORIES)[rng.integers(0, len(CATEGORIES), rows)],
            'region': np.array(REGIONS)[rng.integers(0, len(REGIONS), rows)],
            'product': np.char.add('P', rng.integers(100, 999, rows).astype(str)),
            'quantity': quantity,
            'price': price,
            'revenue': np.round(quantity * price, 2),
        })
        frame.to_csv(path, index=False, date_format='%Y-%m-%d')
        spec = {'columns': list(frame.columns), 'date_columns': ['date'],
                'dtypes': {'date': 'datetime64[ns]', 'category': 'object', 'region': 'object', 'product': 'object',
                           'quantity': 'int64', 'price': 'float64', 'revenue': 'float64'}, 'rows': rows}
        with open(spec_path, 'w') as f:
            json.dump(spec, f)
    print('%s: %d bytes' % (path, os.path.getsize(path)))


os.makedirs(OUT, exist_ok=True)
make('sales-200k', 200_000, 1)
make('sales-2m', 2_300_000, 2)
