#!/usr/bin/python3
"""Ingest benchmark (issue 2): HTTP upload → stored session, against pandas.read_csv of the same file.

Run through bench/ingest.sh. Prints, for a 10 MB and a 100 MB sales CSV: our ingest time (upload through HTTP to the
stored session and the response; median of N), pandas.read_csv time of the same file (median of N, in a process that
has already imported pandas), their ratio, the growth of the service's RSS during the 100 MB uploads, and the
breakdown of our ingest by phase (median of each phase of the upload response's Server-Timing header; phases may
overlap: the original is stored while the file is parsed), and the CPU the service spent per upload (request to
response; all its threads, from /proc/<pid>/stat) against pandas.read_csv's CPU, with the threads that spent it
(/proc/<pid>/task/*/stat, grouped by name; threads that ended during the upload, like the per-parse csv-records
thread, are counted as "(ended threads)"). The machine has 2 cores: wall time is bounded below by CPU / 2.

The service's first uploads are slower than later ones: classes load, and the JIT compiles the ingest's code, the
store's and the HTTP stack's for many uploads (still 0.13 s of compiler CPU per 100 MB upload after 20 of them). The
first warm-up upload of each size is printed as it went (the first of all is the service's first upload since it
started); no value of WARMUP gives a service that has finished warming: after 20 uploads of each size it is faster
than after 5, and still compiling.
"""
import re
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
WARMUP = int(os.environ.get('WARMUP', '1'))  # uploads of each file before the measured runs


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
times, cpus = [], []
for _ in range(runs):
    t, c = time.perf_counter(), time.process_time()
    df = pd.read_csv(path)
    times.append(time.perf_counter() - t); cpus.append(time.process_time() - c)
print(statistics.median(times), len(df), statistics.median(cpus))
'''

TICK = os.sysconf('SC_CLK_TCK')


def stat_cpu(path):
    """(name, CPU seconds) of a /proc stat file: utime + stime."""
    with open(path) as f:
        text = f.read()
    name = text[text.index('(') + 1:text.rindex(')')]
    fields = text[text.rindex(')') + 2:].split()
    return name, (int(fields[11]) + int(fields[12])) / TICK


def cpu_snapshot(pid):
    """The process's CPU seconds (every thread, ended ones included) and each live thread's (tid -> (name, s))."""
    threads = {}
    for tid in os.listdir(f'/proc/{pid}/task'):
        try:
            threads[tid] = stat_cpu(f'/proc/{pid}/task/{tid}/stat')
        except (FileNotFoundError, ProcessLookupError, ValueError):
            pass
    return stat_cpu(f'/proc/{pid}/stat')[1], threads


def cpu_spent(before, after):
    """Total CPU seconds between two snapshots, and by thread group (names with their numbers folded)."""
    total = after[0] - before[0]
    groups = {}
    for tid, (name, cpu) in after[1].items():
        spent = cpu - before[1].get(tid, (name, 0.0))[1]
        if spent > 0:
            key = re.sub(r'\d+', '#', name)
            groups[key] = groups.get(key, 0.0) + spent
    live = sum(groups.values())
    if total - live > 0.02:
        groups['(ended threads)'] = total - live
    return total, groups


def pandas_read(path):
    out = subprocess.run(['/usr/bin/python3', '-c', PANDAS, path, str(RUNS)], capture_output=True, text=True,
                         check=True).stdout.split()
    return float(out[0]), int(out[1]), float(out[2])


def main():
    print(f'service pid {PID}, {WARMUP} warm-up upload(s) per size, then {RUNS} runs per size, median reported'
          ' (background work settles between runs)')
    first = {}
    for path in FILES:
        for _ in range(WARMUP):  # warm-up (JIT, store)
            elapsed, body = uploads.upload(BASE, path)
            first.setdefault(path, elapsed)
            uploads.settle(BASE, body['session_id'])
            uploads.delete(BASE, body['session_id'])
    results = []
    for path in FILES:
        size = os.path.getsize(path) / (1024 * 1024)
        times = []
        base_rss = rss_mb(PID)
        sampler = RssSampler(PID)
        sampler.start()
        rows = None
        phases = []
        cpus = []
        for _ in range(RUNS):
            before = cpu_snapshot(PID)
            elapsed, body = uploads.upload(BASE, path, phases)
            cpus.append(cpu_spent(before, cpu_snapshot(PID)))
            times.append(elapsed)
            rows = body['data_info']['rows']
            uploads.settle(BASE, body['session_id'])
            uploads.delete(BASE, body['session_id'])
        sampler.running = False
        sampler.join()
        ours = statistics.median(times)
        theirs, pandas_rows, pandas_cpu = pandas_read(path)
        assert rows == pandas_rows, f'row counts differ: {rows} vs {pandas_rows}'
        results.append((size, ours, theirs, sampler.peak - base_rss, base_rss, rows, phases, cpus, pandas_cpu))
    print(f'{"file":>8} {"rows":>10} {"ingest (s)":>11} {"pandas read (s)":>16} {"pandas/ingest":>14} {"RSS growth (MB)":>16}')
    for size, ours, theirs, growth, base, rows, *_ in results:
        # the peak is the steadier figure: growth also depends on how far the idle service had trimmed its memory
        print(f'{size:7.0f}M {rows:10d} {ours:11.3f} {theirs:16.3f} {theirs / ours:13.2f}x {growth:16.0f}   '
              f'(RSS before {base:.0f} MB, peak {base + growth:.0f} MB)')
    if first:
        print('first warm-up upload of each size (s): ' + ', '.join(
            f'{os.path.getsize(p) / (1024 * 1024):.0f}M {t:.3f}' for p, t in first.items())
              + ' (the first of all is the first since the service started)')
    print()
    print('breakdown of our ingest by phase (Server-Timing, median of each phase in s; phases may overlap)')
    names = []
    for *_, phases, _, _ in results:
        for p in phases:
            names += [n for n in p if n not in names]
    print(f'{"phase":>16} ' + ' '.join(f'{size:9.0f}M' for size, *_ in results))
    for name in names:
        cells = []
        for *_, phases, _, _ in results:
            values = [p[name] for p in phases if name in p]
            cells.append(f'{statistics.median(values):10.3f}' if values else f'{"-":>10}')
        print(f'{name:>16} ' + ' '.join(cells))
    print(f'{"client total":>16} ' + ' '.join(f'{ours:10.3f}' for _, ours, *_ in results))
    print()
    print('CPU per upload (s, median; request to response, every thread of the service) against pandas.read_csv\'s CPU')
    for size, *_, cpus, pandas_cpu in results:
        total = statistics.median(c[0] for c in cpus)
        print(f'{size:7.0f}M  service CPU {total:6.3f} s   pandas CPU {pandas_cpu:6.3f} s   pandas/service CPU '
              f'{pandas_cpu / total:5.2f}x   (2 cores: wall >= {total / 2:.3f} s)')
        names = {n for c in cpus for n in c[1]}
        by_thread = {n: statistics.median(c[1].get(n, 0.0) for c in cpus) for n in names}
        for name, cpu in sorted(by_thread.items(), key=lambda kv: -kv[1])[:10]:
            if cpu >= 0.005:
                print(f'{"":10}{name:>28} {cpu:6.3f} s')


if __name__ == '__main__':
    main()
