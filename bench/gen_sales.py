#!/usr/bin/python3
"""Writes a sales-like CSV (date, category, product, region, quantity, price, revenue) of about SIZE megabytes.

Usage: gen_sales.py OUT.csv SIZE_MB [SEED]
"""
import random
import sys
from datetime import date, timedelta

CATEGORIES = {
    'Electronics': ['Phone', 'Laptop', 'Tablet', 'Headphones', 'Monitor', 'Camera'],
    'Furniture': ['Desk', 'Chair', 'Bookcase', 'Sofa', 'Lamp'],
    'Office': ['Pen', 'Paper', 'Stapler', 'Binder', 'Notebook'],
    'Clothing': ['Shirt', 'Jacket', 'Shoes', 'Hat'],
    'Grocery': ['Coffee', 'Tea', 'Snacks', 'Water'],
}
REGIONS = ['North', 'South', 'East', 'West', 'Central']


def main():
    out, size_mb = sys.argv[1], float(sys.argv[2])
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 42)
    target = int(size_mb * 1_000_000)
    start = date(2022, 1, 1)
    prices = {p: round(rng.uniform(2, 900), 2) for ps in CATEGORIES.values() for p in ps}
    cats = list(CATEGORIES)
    written = 0
    with open(out, 'w', newline='') as f:
        header = 'date,category,product,region,quantity,price,revenue\n'
        f.write(header)
        written += len(header)
        lines = []
        while written < target:
            cat = rng.choice(cats)
            product = rng.choice(CATEGORIES[cat])
            qty = rng.randint(1, 12)
            price = prices[product]
            line = f'{start + timedelta(days=rng.randrange(1096))},{cat},{product},{rng.choice(REGIONS)},{qty},{price},{round(qty * price, 2)}\n'
            lines.append(line)
            written += len(line)
            if len(lines) >= 10000:
                f.write(''.join(lines))
                lines.clear()
        f.write(''.join(lines))


if __name__ == '__main__':
    main()
