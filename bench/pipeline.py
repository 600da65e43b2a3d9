#!/usr/bin/python3
"""Pipeline benchmark (issue 5), driven by bench/pipeline.sh.

mode `overhead BASE`: sequential analyses against an instantly answering stub; prints the time to the first event
and the pipeline overhead (request → done, minus the LLM stages and the worker execution, from done.timings) as
medians and p95.
mode `concurrent BASE N`: N concurrent streams against a stub that delays each call by 1 s (distinct code per
stream): prints the wall time and how many ended with done, for BURSTS bursts one after the other (default 2): the
first right after start-up, while the JIT still compiles the request path (cold), the last on a warmed service (the
stub counts requests, so every burst's code is new to the service: no cache helps a later burst).
mode `warm-stub STUB_BASE`: 400 calls to the LLM stub (half streamed), so that its own JIT is done before the service
starts (bench/pipeline.sh).
mode `train BASE`: 20 sequential analyses, then 50 at once: the training run's workload when bench/pipeline.sh records
the JVM's AOT cache of a build.
"""
import http.client
import json
import os
import statistics
import sys
import threading
import time
import urllib.parse
import urllib.request

GEN = '/usr/bin/python3'


def upload(base, path):
    import subprocess
    out = subprocess.run(['curl', '-s', '-F', f'file=@{path}', f'{base}/api/session/create'], capture_output=True,
                         text=True, check=True).stdout
    return json.loads(out)['session_id']


def stream(base, session, question):
    """Runs one analysis over SSE; returns (time to first event, total time, done document or None, last event, with
    the error event's data when there was one)."""
    url = urllib.parse.urlparse(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
    body = json.dumps({'question': question})
    start = time.perf_counter()
    conn.request('POST', f'/api/session/{session}/analyze', body=body,
                 headers={'Content-Type': 'application/json', 'Accept': 'text/event-stream'})
    resp = conn.getresponse()
    first = None
    name, data, last, done, error = None, None, None, None, None
    while True:
        line = resp.readline()  # decoded: ends with the chunked body, not with the (kept-alive) connection
        if not line:
            break
        line = line.decode().rstrip('\r\n')
        if first is None and line.startswith('event:'):
            first = time.perf_counter() - start
        if line.startswith('event:'):
            name = line[6:].strip()
        elif line.startswith('data:'):
            data = line[5:].strip()
        elif line == '' and name:
            last = name
            if name == 'done':
                done = json.loads(data)
            elif name == 'error':
                error = data
            name, data = None, None
    total = time.perf_counter() - start
    conn.close()
    return first, total, done, last if error is None else f'{last}: {error}'


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def overhead(base, csv, runs):
    session = upload(base, csv)
    for i in range(5):
        stream(base, session, f'warm-up {i}')
    firsts, overheads, totals = [], [], []
    stages, parts = {}, {}
    for i in range(runs):
        first, total, done, last = stream(base, session, f'question {i}')
        if done is None:
            raise SystemExit(f'analysis ended with {last}')
        t = done['timings']
        llm_and_worker = t['generation'] + t['interpretation'] + t['execution']
        overheads.append(total * 1000 - llm_and_worker)
        if 'run' in t:  # the service's opt-in breakdown (ANALYSIS_TIMINGS_BREAKDOWN=true)
            own = {k: t[k] for k in ('prepare', 'prompt', 'lookup', 'validation', 'history')}
            own['other in the run'] = t['run'] - sum(own.values()) - llm_and_worker
            own['outside the run'] = total * 1000 - t['run']
            for k, v in own.items():
                stages.setdefault(k, []).append(v)
            for k in ('history.charts', 'history.number', 'history.insert', 'history.check', 'outside.request',
                      'outside.session'):
                if k in t:  # the history's parts: charts stored, then its store round trips
                    parts.setdefault(k, []).append(t[k])
        firsts.append(first * 1000)
        totals.append(total * 1000)
    print(f'sequential analyses: {runs}, instant LLM stub, 10,000-row dataset')
    print(f'  time to first event  median {statistics.median(firsts):6.1f} ms   p95 {pct(firsts, 95):6.1f} ms   (target <= 50 ms)')
    print(f'  pipeline overhead    median {statistics.median(overheads):6.1f} ms   p95 {pct(overheads, 95):6.1f} ms   (target <= 30 ms)')
    print(f'  request -> done      median {statistics.median(totals):6.1f} ms')
    if stages:
        print('  overhead by stage (medians; "outside the run": HTTP, access gate, session read, SSE writes):')
        for k, v in stages.items():
            print(f'    {k:<18} {statistics.median(v):6.1f} ms   p95 {pct(v, 95):6.1f} ms')
    if parts:
        print('  history and outside the run by part (medians; number, insert, check and outside.session are one store'
              ' round trip each; outside.request is the request before the run, the session read included):')
        for k, v in parts.items():
            print(f'    {k:<18} {statistics.median(v):6.1f} ms   p95 {pct(v, 95):6.1f} ms')


def concurrent(base, csv, n, bursts):
    session = upload(base, csv)
    stream(base, session, 'warm-up')
    for b in range(1, bursts + 1):
        label = 'cold, the first after start-up' if b == 1 else 'warm' if b == bursts else 'warming'
        burst(base, session, n, f'burst {b} of {bursts} ({label})')


def burst(base, session, n, label):
    results = [None] * n

    def run(i):
        results[i] = stream(base, session, f'{label}: concurrent question {i}')

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    done = sum(1 for r in results if r and r[2] is not None)
    lasts = {}
    for r in results:
        lasts[r[3] if r else None] = lasts.get(r[3] if r else None, 0) + 1
    print(f'{n} concurrent streams, LLM stub delaying each call by 1 s, distinct code per stream: {label}')
    print(f'  wall time {wall:5.2f} s (target <= 6 s)   ended with done: {done}/{n}   endings: {lasts}')
    timings = [r[2]['timings'] for r in results if r and r[2] is not None]
    if timings:  # where the streams waited: each stage's median and p95 over the streams, in ms
        stages = [k for k in timings[0] if all(k in t for t in timings)]
        print('  per stream, by stage (ms): ' + '   '.join(
            f'{k} {statistics.median([t[k] for t in timings]):.0f}/{pct([t[k] for t in timings], 95):.0f}'
            for k in stages) + '   (median/p95)')


def warm_stub(base, n=400):
    """Warms the LLM stub's own JIT before the service starts: it stands in for a remote model, whose processor time
    is not the service's, yet it shares this machine's cores with the service; cold, it took about 1.5 s of them
    during the first burst. Half the calls stream (as interpretations do), half do not (as code generation)."""
    url = urllib.parse.urlparse(base)

    def call(i):
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
        body = {'model': 'warm-up', 'messages': [{'role': 'user', 'content': f'warm-up {i}'}], 'stream': i % 2 == 0}
        conn.request('POST', '/v1/chat/completions', body=json.dumps(body), headers={'Content-Type': 'application/json'})
        conn.getresponse().read()
        conn.close()

    for start in range(0, n, 200):
        threads = [threading.Thread(target=call, args=(i,)) for i in range(start, min(n, start + 200))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()


if __name__ == '__main__':
    if sys.argv[1] == 'warm-stub':
        warm_stub(sys.argv[2])
        sys.exit(0)
    mode, base, csv = sys.argv[1], sys.argv[2], sys.argv[3]
    if mode == 'overhead':
        overhead(base, csv, int(sys.argv[4]) if len(sys.argv) > 4 else 50)
    elif mode == 'train':  # the workload of the training run that records the JVM's AOT cache (bench/pipeline.sh)
        overhead(base, csv, 20)
        burst(base, upload(base, csv), 50, 'training')
    else:
        concurrent(base, csv, int(sys.argv[4]) if len(sys.argv) > 4 else 200, int(os.environ.get('BURSTS', '2')))
