#!/usr/bin/python3
"""Parquet upload benchmark (issue 16): the same table uploaded as CSV and as Parquet, alternately, in one run.

Run through bench/parquet.sh. Prints the file sizes, the median upload time of each (HTTP upload to the stored session
and its response, RUNS times, default 5), their ratio, and checks that both sessions describe the same table (rows,
columns, dtypes), and the median of each ingest phase of both (the upload response's Server-Timing header).
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

BASE, CSV, PARQUET = sys.argv[1], sys.argv[2], sys.argv[3]
RUNS = int(os.environ.get('RUNS', '5'))


def server_timing(headers):
    """The phases of a Server-Timing header ('receive;dur=12.3, parse;dur=45.6') in seconds."""
    phases = {}
    for line in headers.splitlines():
        name, _, value = line.partition(':')
        if name.strip().lower() != 'server-timing':
            continue
        for metric in value.split(','):
            parts = [p.strip() for p in metric.split(';')]
            for p in parts[1:]:
                if p.startswith('dur='):
                    phases[parts[0]] = phases.get(parts[0], 0.0) + float(p[4:]) / 1000
    return phases


def upload(path, phases=None):
    with tempfile.NamedTemporaryFile('r') as headers:
        start = time.perf_counter()
        out = subprocess.run(['curl', '-s', '-S', '-D', headers.name, '-F', f'file=@{path}',
                              f'{BASE}/api/session/create'], capture_output=True, text=True, check=True).stdout
        elapsed = time.perf_counter() - start
        timing = server_timing(headers.read())
    body = json.loads(out)
    if 'session_id' not in body:
        raise SystemExit(f'upload of {path} failed: {out[:500]}')
    if phases is not None:
        phases.append(timing)
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
    phases = {'csv': [], 'parquet': []}
    shapes = {}
    for path in (CSV, PARQUET):  # warm-up of both paths (JIT, DuckDB's library load)
        _, body = upload(path)
        settle(body['session_id'])
        delete(body['session_id'])
    for _ in range(RUNS):
        for kind, path in (('csv', CSV), ('parquet', PARQUET)):
            elapsed, body = upload(path, phases[kind])
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
