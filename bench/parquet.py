#!/usr/bin/python3
"""Parquet upload benchmark (issue 16): the same table uploaded as CSV and as Parquet, alternately, in one run.

Run through bench/parquet.sh. Prints the file sizes, the median upload time of each (HTTP upload to the stored session
and its response, RUNS times, default 5), their ratio, and checks that both sessions describe the same table (rows,
columns, dtypes).
"""
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request

BASE, CSV, PARQUET = sys.argv[1], sys.argv[2], sys.argv[3]
RUNS = int(os.environ.get('RUNS', '5'))


def upload(path):
    start = time.perf_counter()
    out = subprocess.run(['curl', '-s', '-S', '-F', f'file=@{path}', f'{BASE}/api/session/create'],
                         capture_output=True, text=True, check=True).stdout
    elapsed = time.perf_counter() - start
    body = json.loads(out)
    if 'session_id' not in body:
        raise SystemExit(f'upload of {path} failed: {out[:500]}')
    return elapsed, body


def settle(session):
    """Waits for the upload's background work (worker prefetch, insights) so that it does not slow the next run."""
    deadline = time.time() + 60
    while time.time() < deadline:
        with urllib.request.urlopen(f'{BASE}/api/session/{session}/insights') as r:
            if json.loads(r.read()).get('status') != 'pending':
                return
        time.sleep(0.2)


def delete(session):
    urllib.request.urlopen(urllib.request.Request(f'{BASE}/api/session/{session}', method='DELETE')).read()


def main():
    times = {'csv': [], 'parquet': []}
    shapes = {}
    for path in (CSV, PARQUET):  # warm-up of both paths (JIT, DuckDB's library load)
        _, body = upload(path)
        settle(body['session_id'])
        delete(body['session_id'])
    for _ in range(RUNS):
        for kind, path in (('csv', CSV), ('parquet', PARQUET)):
            elapsed, body = upload(path)
            times[kind].append(elapsed)
            info = body['datasets'][0]
            shapes[kind] = (info['rows'], info['column_names'], [info['data_types'][c] for c in info['column_names']])
            settle(body['session_id'])
            delete(body['session_id'])
    csv_s, pq_s = statistics.median(times['csv']), statistics.median(times['parquet'])
    print(f"CSV     {os.path.getsize(CSV) / 1e6:7.1f} MB  median upload {csv_s:6.2f} s  ({', '.join(f'{t:.2f}' for t in times['csv'])})")
    print(f"Parquet {os.path.getsize(PARQUET) / 1e6:7.1f} MB  median upload {pq_s:6.2f} s  ({', '.join(f'{t:.2f}' for t in times['parquet'])})")
    print(f"Parquet / CSV time ratio: {pq_s / csv_s:.2f}  (target < 1: Parquet faster)")
    print(f"same table: {shapes['csv'] == shapes['parquet']}  rows {shapes['csv'][0]}")
    if shapes['csv'] != shapes['parquet']:
        print(f"  csv:     {shapes['csv'][1:]}\n  parquet: {shapes['parquet'][1:]}")


if __name__ == '__main__':
    main()
