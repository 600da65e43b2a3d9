#!/usr/bin/python3
"""Memory per session (issue 20, target 5): what a dataset held by the worker costs, against what pandas itself
needs for that DataFrame (``df.memory_usage(deep=True).sum()``).

Run through bench/memory.sh, which starts the packaged service. For each table (a tiny one first, as the baseline,
then the ~100 MB one): upload it over HTTP, ask a question (so the session's zygote holds the data and has forked its
spare children), find the session's zygote in the process tree (java → supervisor → zygote → children) and read
/proc/PID/smaps_rollup of the zygote and its children. The dataset's cost is the big session's figure minus the tiny
session's (the same interpreter, imports and spare children otherwise). pandas' own figure comes from a separate
process that loads the same file with the session's dtypes through the worker's own datasets.load.

Figures: the PSS of the zygote plus its idle spare children (pages shared between them count once in total; pages
shared with the supervisor, i.e. the imported libraries, count in part and cancel out in the difference), the
zygote's RSS, the worker's own figure (sandbox.cache.bytes: the zygote's USS at load, before it forks), and the
zygote's peak RSS during the load. The zygote's USS alone is near zero once its spare children share its pages, so it
is not a figure. While a question runs, the running child's peak USS (sampled) is its extra cost: pages it copied on
write plus what the query allocates.
"""
import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

BASE = sys.argv[1]
JAVA_PID = int(sys.argv[2])
WORKER = sys.argv[3]
TABLES = [arg.split(':') for arg in sys.argv[4:]]  # name:tiny.csv:big.csv:question|question...
MB = 1024 * 1024


def rollup(pid):
    figures = {}
    try:
        with open(f'/proc/{pid}/smaps_rollup') as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 2 and parts[0].endswith(':') and parts[1].isdigit():
                    figures[parts[0][:-1]] = int(parts[1]) * 1024
    except OSError:
        return None
    figures['Uss'] = figures.get('Private_Clean', 0) + figures.get('Private_Dirty', 0)
    return figures


def children(pid):
    """Child processes of ``pid``, whichever of its threads forked them."""
    found = []
    try:
        tasks = os.listdir(f'/proc/{pid}/task')
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f'/proc/{pid}/task/{task}/children') as f:
                found.extend(int(p) for p in f.read().split())
        except OSError:
            pass
    return found


def cmdline(pid):
    try:
        with open(f'/proc/{pid}/cmdline', 'rb') as f:
            return f.read().replace(b'\0', b' ').decode('utf-8', 'replace')
    except OSError:
        return ''


def supervisors():
    """The worker supervisors under the service (one per worker of the pool; a session's zygote is a fork of one of
    them, with the same command line)."""
    return [pid for pid in children(JAVA_PID) if 'supervisor.py' in cmdline(pid)]


def zygotes():
    return {z for pid in supervisors() for z in children(pid)}


def post(path, body, content_type='application/json', accept='application/json', timeout=300):
    req = urllib.request.Request(BASE + path, data=body, method='POST',
                                 headers={'Content-Type': content_type, 'Accept': accept})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.loads(r.read())


def get(path):
    with urllib.request.urlopen(BASE + path, timeout=60) as r:
        return json.loads(r.read())


def upload(path, attempts=3):
    """Uploads; a 503 (the store did not answer in time, as on a loaded machine) is tried again."""
    for attempt in range(attempts):
        out = subprocess.run(['curl', '-s', '-S', '-F', f'file=@{path}', f'{BASE}/api/session/create'],
                             capture_output=True, text=True, check=True).stdout
        body = json.loads(out)
        if 'session_id' in body:
            return body
        if body.get('status') != 503 or attempt == attempts - 1:
            raise SystemExit(f'upload failed: {out[:500]}')
        print(f'upload of {os.path.basename(path)} answered 503, trying again', flush=True)
        time.sleep(5)


class ChildSampler(threading.Thread):
    """Samples the USS of the zygote's children while a question runs; a spare child at rest is the reference."""

    def __init__(self, zygote):
        super().__init__(daemon=True)
        self.zygote, self.peak, self.running = zygote, 0, True

    def run(self):
        while self.running:
            for pid in children(self.zygote):
                figures = rollup(pid)
                if figures:
                    self.peak = max(self.peak, figures['Uss'])
            time.sleep(0.005)


def ask(session, question, zygote=None):
    sampler = ChildSampler(zygote) if zygote else None
    if sampler:
        sampler.start()
    started = time.perf_counter()
    for attempt in range(3):
        try:
            answer = post(f'/api/session/{session}/analyze', json.dumps({'question': question}).encode())
            break
        except urllib.error.HTTPError as e:
            if e.code != 503 or attempt == 2:
                raise SystemExit(f'the question {question!r} was refused: {e.code} {e.read()[:500]!r}')
            print(f'the question {question!r} answered 503, trying again', flush=True)
            time.sleep(5)
    elapsed = time.perf_counter() - started
    if sampler:
        sampler.running = False
        sampler.join()
    if answer.get('error') or not answer.get('raw_result'):
        raise SystemExit(f'the question {question!r} did not run: {json.dumps(answer)[:500]}')
    return elapsed, (sampler.peak if sampler else 0)


def settle(session):
    """Waits for the upload's background work (the insights, computed in an execution child) to end."""
    deadline = time.time() + 300
    while time.time() < deadline:
        if get(f'/api/session/{session}/insights').get('status') != 'pending':
            return
        time.sleep(0.2)
    raise SystemExit('the insights of session %s did not end within 300 s' % session)


def cpu_ticks(pid):
    try:
        with open(f'/proc/{pid}/stat') as f:
            fields = f.read().rsplit(')', 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except OSError:
        return None


def quiet(zygote):
    """Waits until the zygote's children are only its idle spares (no execution running: the same children, none of
    them using CPU time, for half a second; one spare in builds before issue 20's fifth round, two since)."""
    deadline = time.time() + 120
    while time.time() < deadline:
        kids = children(zygote)
        if kids:
            ticks = [cpu_ticks(k) for k in kids]
            time.sleep(0.5)
            if children(zygote) == kids and [cpu_ticks(k) for k in kids] == ticks:
                return
        else:
            time.sleep(0.1)
    raise SystemExit('zygote %d did not settle to idle spare children' % zygote)


def session_zygote(before, upload_body, question):
    """The session's zygote after its upload, a question and the insights, with only its idle spare children."""
    session = upload_body['session_id']
    ask(session, question)
    settle(session)
    new = zygotes() - before
    if len(new) != 1:
        raise SystemExit('expected one new zygote after the upload, found %s (supervisors %s, their children %s)'
                         % (sorted(new), supervisors(), sorted(zygotes())))
    pid = new.pop()
    quiet(pid)
    return session, pid


def hwm(pid):
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            if line.startswith('VmHWM:'):
                return int(line.split()[1]) * 1024
    return 0


def group(pid):
    own = rollup(pid)
    kids = [k for k in (rollup(c) for c in children(pid)) if k]
    return {
        'uss': own['Uss'], 'pss': own['Pss'], 'rss': own['Rss'], 'hwm': hwm(pid),
        'group_pss': own['Pss'] + sum(k['Pss'] for k in kids),
        'spare_uss': max((k['Uss'] for k in kids), default=0),
    }


def cached_bytes():
    """The worker's own figure (sandbox.cache.bytes): each zygote's private memory once loaded, before any fork."""
    try:
        with urllib.request.urlopen(BASE + '/q/metrics', timeout=30) as r:
            for line in r.read().decode().splitlines():
                if line.startswith('sandbox_cache_bytes'):
                    return float(line.split()[-1])
    except OSError:
        pass
    return None


PANDAS = r'''
import json, sys, time
sys.path.insert(0, sys.argv[1])
import datasets
spec = json.loads(sys.argv[2])
t = time.perf_counter()
frames, _ = datasets.load([spec])
t = time.perf_counter() - t
df = frames[spec['name']]
print(json.dumps({'deep': int(df.memory_usage(deep=True).sum()), 'rows': len(df), 'seconds': t,
                  'dtypes': {c: str(d) for c, d in df.dtypes.items()}}))
'''


def pandas_deep(path, info):
    columns = info['column_names']
    types = info['data_types']
    dates = [c for c in columns if str(types.get(c, '')).startswith('datetime')]
    spec = {'name': 'data', 'path': path, 'columns': columns, 'dtypes': types, 'date_columns': dates,
            'na_values': ['']}
    out = subprocess.run(['/usr/bin/python3', '-c', PANDAS, WORKER, json.dumps(spec)], capture_output=True,
                         text=True, check=True).stdout
    return json.loads(out)


def load():
    with open('/proc/loadavg') as f:
        return ' '.join(f.read().split()[:3])


def main():
    print('load average (1/5/15 min) at start: %s' % load())
    rows = []
    for name, tiny, big, questions in TABLES:
        # the first question makes the zygote; the others (distinct, so that none comes from the result cache) are
        # the executions measured
        question, *measured = questions.split('|')
        before = zygotes()
        tiny_session, tiny_pid = session_zygote(before, upload(tiny), question)
        cached_tiny = cached_bytes()
        before = zygotes()
        big_body = upload(big)
        big_session, big_pid = session_zygote(before, big_body, question)
        cached_big = cached_bytes()
        t, b = group(tiny_pid), group(big_pid)
        runs = [ask(big_session, q, big_pid) for q in measured]
        child_peak = max(peak for _, peak in runs)
        elapsed = sorted(e for e, _ in runs)[len(runs) // 2]
        pandas = pandas_deep(big, big_body['data_info'])
        deep = pandas['deep']
        gpss = b['group_pss'] - t['group_pss']
        rss = b['rss'] - t['rss']
        print(f'\n== {name}: {os.path.getsize(big) / 1e6:.0f} MB CSV, {pandas["rows"]} rows, dtypes {pandas["dtypes"]}')
        print(f'pandas df.memory_usage(deep=True).sum(): {deep / MB:8.1f} MiB (separate process, datasets.load'
              f' {pandas["seconds"]:.1f} s)')
        print(f'zygote + spares, PSS:     big {b["group_pss"] / MB:7.1f}  tiny {t["group_pss"] / MB:6.1f}'
              f'  dataset {gpss / MB:7.1f} MiB  ratio {gpss / deep:.2f}x')
        print(f'zygote RSS:                 big {b["rss"] / MB:7.1f}  tiny {t["rss"] / MB:6.1f}'
              f'  dataset {rss / MB:7.1f} MiB  ratio {rss / deep:.2f}x')
        if cached_big is not None and cached_tiny is not None:
            own = cached_big - cached_tiny
            print(f'worker metric sandbox.cache.bytes (zygote USS at load, before any fork): +{own / MB:.1f} MiB'
                  f'  ratio {own / deep:.2f}x')
        print(f'zygote peak RSS (VmHWM, during the load): big {b["hwm"] / MB:.1f}  tiny {t["hwm"] / MB:.1f}'
              f'  dataset {(b["hwm"] - t["hwm"]) / MB:.1f} MiB  ratio {(b["hwm"] - t["hwm"]) / deep:.2f}x')
        print(f'spare child at rest: USS {b["spare_uss"] / MB:.1f} MiB; execution child running {measured}'
              f' (median {elapsed:.2f} s request to answer): peak USS {child_peak / MB:.1f} MiB'
              f' (+{(child_peak - b["spare_uss"]) / MB:.1f} MiB copied on write or allocated,'
              f' {(child_peak - b["spare_uss"]) / deep:.2f}x)')
        rows.append((name, gpss / deep, rss / deep))
        for session in (tiny_session, big_session):
            urllib.request.urlopen(urllib.request.Request(f'{BASE}/api/session/{session}', method='DELETE')).read()
    print('\nload average (1/5/15 min) at end: %s' % load())
    print('target: a dataset held by the worker costs <= 1.5x pandas\' deep memory')
    for name, r_pss, r_rss in rows:
        print(f'  {name:8s} zygote+spares PSS {r_pss:.2f}x  zygote RSS {r_rss:.2f}x'
              f'  {"OK" if max(r_pss, r_rss) <= 1.5 else "OVER"}')


if __name__ == '__main__':
    main()
