#!/usr/bin/python3
"""Generated tables for the offline analyst's question set: a 5,000-row sales ledger, an HR file, a JSON product
list and a reps dataset joined to the ledger on sales_rep. Deterministic (fixed seed); written into a directory.

Run:  /usr/bin/python3 src/test/python/offline_tables.py <directory>
"""
import json
import os
import sys

import numpy as np
import pandas as pd

REPS = ['Alice Moreau', 'Ben Okafor', 'Carla Diaz', 'David Chen', 'Emma Novak', 'Farid Haddad', 'Grace Lee',
        'Hugo Berg', 'Ines Silva', 'Jonas Weber', 'Kira Tanaka', 'Liam Walsh']


def ledger(rng):
    n = 5000
    dates = pd.Timestamp('2023-01-01') + pd.to_timedelta(rng.integers(0, 731, n), unit='D')
    category = rng.choice(['Technology', 'Furniture', 'Office Supplies'], n, p=[0.3, 0.25, 0.45])
    base = {'Technology': 420.0, 'Furniture': 260.0, 'Office Supplies': 18.0}
    unit_price = np.round([base[c] * rng.uniform(0.5, 1.5) for c in category], 2)
    units = rng.integers(1, 15, n)
    discount = rng.choice([0.0, 0.05, 0.1, 0.2], n, p=[0.5, 0.2, 0.2, 0.1])
    revenue = np.round(units * unit_price * (1 - discount), 2)
    df = pd.DataFrame({
        'order_id': np.arange(100001, 100001 + n),
        'order_date': dates.strftime('%Y-%m-%d'),
        'region': rng.choice(['East', 'West', 'North', 'South'], n, p=[0.3, 0.3, 0.2, 0.2]),
        'sales_rep': rng.choice(REPS, n),
        'product_category': category,
        'units': units,
        'unit_price': unit_price,
        'discount': discount,
        'revenue': revenue,
    })
    return df.sort_values(['order_date', 'order_id']).reset_index(drop=True)


def reps():
    teams = ['Falcons', 'Falcons', 'Falcons', 'Owls', 'Owls', 'Owls', 'Owls', 'Ravens', 'Ravens', 'Ravens',
             'Ravens', 'Ravens']
    managers = {'Falcons': 'Nadia Roy', 'Owls': 'Peter Holm', 'Ravens': 'Sara Quinn'}
    return pd.DataFrame({'sales_rep': REPS, 'team': teams, 'manager': [managers[t] for t in teams],
                         'hire_year': [2015, 2017, 2018, 2016, 2019, 2020, 2021, 2014, 2018, 2022, 2019, 2023]})


def hr(rng):
    n = 800
    department = rng.choice(['Engineering', 'Sales', 'Marketing', 'Finance', 'Support'], n,
                            p=[0.3, 0.25, 0.15, 0.1, 0.2])
    base = {'Engineering': 92000, 'Sales': 64000, 'Marketing': 70000, 'Finance': 78000, 'Support': 48000}
    salary = np.round([base[d] * rng.uniform(0.7, 1.5) for d in department], 0)
    hired = pd.Timestamp('2012-01-01') + pd.to_timedelta(rng.integers(0, 4300, n), unit='D')
    return pd.DataFrame({
        'employee_id': np.arange(1, n + 1),
        'department': department,
        'gender': rng.choice(['Female', 'Male'], n),
        'age': rng.integers(21, 65, n),
        'salary': salary,
        'hire_date': hired.strftime('%Y-%m-%d'),
        'performance_score': rng.choice([1, 2, 3, 4, 5], n, p=[0.05, 0.15, 0.4, 0.3, 0.1]),
        'remote': rng.choice(['yes', 'no'], n, p=[0.35, 0.65]),
        'overtime_hours': rng.integers(0, 40, n),
        'city': rng.choice(['Berlin', 'Lisbon', 'Madrid', 'Dublin'], n),
    })


def products(rng):
    n = 240
    category = rng.choice(['Kitchen', 'Garden', 'Toys', 'Books', 'Sports'], n)
    price = np.round(rng.uniform(3, 250, n), 2)
    return [{'product_id': 5000 + i, 'product_name': 'Item %03d' % i, 'category': str(category[i]),
             'price': float(price[i]), 'stock': int(rng.integers(0, 500)), 'supplier': str(rng.choice(
                 ['Acme', 'Globex', 'Initech', 'Umbrella'])), 'rating': float(np.round(rng.uniform(1, 5), 1))}
            for i in range(n)]


def write(directory):
    os.makedirs(directory, exist_ok=True)
    rng = np.random.default_rng(20250114)
    paths = {'ledger': os.path.join(directory, 'ledger.csv'), 'reps': os.path.join(directory, 'reps.csv'),
             'hr': os.path.join(directory, 'hr.csv'), 'products': os.path.join(directory, 'products.json')}
    ledger(rng).to_csv(paths['ledger'], index=False)
    reps().to_csv(paths['reps'], index=False)
    hr(rng).to_csv(paths['hr'], index=False)
    with open(paths['products'], 'w') as f:
        json.dump(products(rng), f, indent=1)
    return paths


if __name__ == '__main__':
    print(json.dumps(write(sys.argv[1])))
