#!/usr/bin/python3
"""Parquet upload benchmark (issue 16): the same table uploaded as CSV and as Parquet, alternately, in one run.

Run through bench/parquet.sh. Prints the file sizes, the median upload time of each (HTTP upload to the stored session
and its response, RUNS times, default 5), their ratio, and checks that both sessions describe the same table (rows,
columns, dtypes), and the median of each ingest phase of both (the upload response's Server-Timing header).
"""
import os
import statistics
import sys
import urllib.request

import uploads

BASE, CSV, PARQUET = sys.argv[1], sys.argv[2], sys.argv[3]
RUNS = int(os.environ.get('RUNS', '5'))


def main():
    times = {'csv': [], 'parquet': []}
    phases = {'csv': [], 'parquet': []}
    shapes = {}
    for path in (CSV, PARQUET):  # warm-up of both paths (JIT, DuckDB's library load)
        _, body = uploads.upload(BASE, path)
        uploads.settle(BASE, body['session_id'])
        uploads.delete(BASE, body['session_id'])
    for _ in range(RUNS):
        for kind, path in (('csv', CSV), ('parquet', PARQUET)):
            elapsed, body = uploads.upload(BASE, path, phases[kind])
            times[kind].append(elapsed)
            info = body['datasets'][0]
            shapes[kind] = (info['rows'], info['column_names'], [info['data_types'][c] for c in info['column_names']])
            uploads.settle(BASE, body['session_id'])
            uploads.delete(BASE, body['session_id'])
    csv_s, pq_s = statistics.median(times['csv']), statistics.median(times['parquet'])
    print(f"CSV     {os.path.getsize(CSV) / 1e6:7.1f} MB  median upload {csv_s:6.2f} s  ({', '.join(f'{t:.2f}' for t in times['csv'])})")
    print(f"Parquet {os.path.getsize(PARQUET) / 1e6:7.1f} MB  median upload {pq_s:6.2f} s  ({', '.join(f'{t:.2f}' for t in times['parquet'])})")
    print(f"Parquet / CSV time ratio: {pq_s / csv_s:.2f}  (target < 1: Parquet faster)")
    print(f"same table: {shapes['csv'] == shapes['parquet']}  rows {shapes['csv'][0]}")
    if shapes['csv'] != shapes['parquet']:
        print(f"  csv:     {shapes['csv'][1:]}\n  parquet: {shapes['parquet'][1:]}")
    print('breakdown by phase (Server-Timing, median in s; phases may overlap)')
    names = []
    for kind in phases:
        for p in phases[kind]:
            names += [n for n in p if n not in names]
    print(f'{"phase":>16} {"CSV":>9} {"Parquet":>9}')
    for name in names:
        cells = []
        for kind in ('csv', 'parquet'):
            values = [p[name] for p in phases[kind] if name in p]
            cells.append(f'{statistics.median(values):9.3f}' if values else f'{"-":>9}')
        print(f'{name:>16} ' + ' '.join(cells))


if __name__ == '__main__':
    main()
