"""Uploads through the service's HTTP API for the ingest benchmarks (bench/ingest.py, bench/parquet.py): an upload with
its time and the phases of its Server-Timing header, waiting for its background work, deleting its session."""
import json
import subprocess
import tempfile
import time
import urllib.request


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


def upload(base, path, phases=None):
    """Uploads ``path`` as a new session: (seconds to the response, its JSON body); its phases appended to ``phases``."""
    with tempfile.NamedTemporaryFile('r') as headers:
        start = time.perf_counter()
        out = subprocess.run(['curl', '-s', '-S', '-D', headers.name, '-F', f'file=@{path}',
                              f'{base}/api/session/create'], capture_output=True, text=True, check=True).stdout
        elapsed = time.perf_counter() - start
        timing = server_timing(headers.read())
    body = json.loads(out)
    if 'session_id' not in body:
        raise SystemExit(f'upload of {path} failed: {out[:500]}')
    if phases is not None:
        phases.append(timing)
    return elapsed, body


def settle(base, session, wait=60):
    """Waits for the upload's background work (worker prefetch, insights) so that it does not slow the next run."""
    deadline = time.time() + wait
    while time.time() < deadline:
        with urllib.request.urlopen(f'{base}/api/session/{session}/insights') as r:
            if json.loads(r.read()).get('status') != 'pending':
                return
        time.sleep(0.2)


def delete(base, session):
    urllib.request.urlopen(urllib.request.Request(f'{base}/api/session/{session}', method='DELETE')).read()
