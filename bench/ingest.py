#!/usr/bin/python3
"""Ingest benchmark (issue 2): HTTP upload → stored session, against pandas.read_csv of the same file.

Run through bench/ingest.sh. Prints, for a 10 MB and a 100 MB sales CSV: our ingest time (upload through HTTP to the
stored session and the response; median of N), pandas.read_csv time of the same file (median of N, in a process that
has already imported pandas), their ratio, the growth of the service's RSS during the 100 MB uploads, and the
breakdown of our ingest by phase (median of each phase of the upload response's Server-Timing header; phases may
overlap: the original is stored while the file is parsed).
"""
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

import uploads

BASE = sys.argv[1]
PID = int(sys.argv[2])
FILES = sys.argv[3:]
RUNS = int(os.environ.get('RUNS', '5'))


def rss_mb(pid):
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1]) / 1024
    return 0.0


class RssSampler(threading.Thread):
    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak, self.running = pid, 0.0, True

    def run(self):
        while self.running:
            self.peak = max(self.peak, rss_mb(self.pid))
            time.sleep(0.01)


PANDAS = r'''
import sys, time, statistics
import pandas as pd
path, runs = sys.argv[1], int(sys.argv[2])
times = []
for _ in range(runs):
    t = time.perf_counter(); df = pd.read_csv(path); times.append(time.perf_counter() - t)
print(statistics.median(times), len(df))
'''


def pandas_read(path):
    out = subprocess.run(['/usr/bin/python3', '-c', PANDAS, path, str(RUNS)], capture_output=True, text=True,
                         check=True).stdout.split()
    return float(out[0]), int(out[1])


def main():
    print(f'service pid {PID}, {RUNS} runs per size, median reported (background work settles between runs)')
    for path in FILES:
        uploads.upload(BASE, path)  # warm-up (JIT, store)
    results = []
    for path in FILES:
        size = os.path.getsize(path) / (1024 * 1024)
        times = []
        base_rss = rss_mb(PID)
        sampler = RssSampler(PID)
        sampler.start()
        rows = None
        phases = []
        for _ in range(RUNS):
            elapsed, body = uploads.upload(BASE, path, phases)
            times.append(elapsed)
            rows = body['data_info']['rows']
            uploads.settle(BASE, body['session_id'])
            uploads.delete(BASE, body['session_id'])
        sampler.running = False
        sampler.join()
        ours = statistics.median(times)
        theirs, pandas_rows = pandas_read(path)
        assert rows == pandas_rows, f'row counts differ: {rows} vs {pandas_rows}'
        results.append((size, ours, theirs, sampler.peak - base_rss, base_rss, rows, phases))
    print(f'{"file":>8} {"rows":>10} {"ingest (s)":>11} {"pandas read (s)":>16} {"pandas/ingest":>14} {"RSS growth (MB)":>16}')
    for size, ours, theirs, growth, base, rows, _ in results:
        print(f'{size:7.0f}M {rows:10d} {ours:11.3f} {theirs:16.3f} {theirs / ours:13.2f}x {growth:16.0f}   (RSS before {base:.0f} MB)')
    print()
    print('breakdown of our ingest by phase (Server-Timing, median of each phase in s; phases may overlap)')
    names = []
    for *_, phases in results:
        for p in phases:
            names += [n for n in p if n not in names]
    print(f'{"phase":>16} ' + ' '.join(f'{size:9.0f}M' for size, *_ in results))
    for name in names:
        cells = []
        for *_, phases in results:
            values = [p[name] for p in phases if name in p]
            cells.append(f'{statistics.median(values):10.3f}' if values else f'{"-":>10}')
        print(f'{name:>16} ' + ' '.join(cells))
    print(f'{"client total":>16} ' + ' '.join(f'{ours:10.3f}' for _, ours, *_ in results))


if __name__ == '__main__':
    main()
