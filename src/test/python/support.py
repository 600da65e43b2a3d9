"""Shared helpers of the worker's Python tests: paths, a supervisor client speaking the real protocol, canonical
dataset files."""
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
WORKER = os.path.join(REPO, 'src', 'main', 'resources', 'worker')
ALLOWED_MODULES = os.path.join(REPO, 'src', 'main', 'resources', 'policy', 'allowed-modules.txt')
RESOURCES = os.path.join(REPO, 'src', 'test', 'resources')
PYTHON = '/usr/bin/python3'

if WORKER not in sys.path:
    sys.path.insert(0, WORKER)
# As in the supervisor: BLAS must not start threads before the forks (an execution child may not create any).
if 'numpy' in sys.modules and os.environ.get('OPENBLAS_NUM_THREADS') != '1':
    raise RuntimeError('import support before numpy or pandas, so that OPENBLAS_NUM_THREADS=1 applies')
os.environ['OPENBLAS_NUM_THREADS'] = '1'
os.environ['OMP_NUM_THREADS'] = '1'
os.environ['MPLBACKEND'] = 'Agg'

import protocol  # noqa: E402


def until(condition, timeout, interval=0.05):
    """Polls ``condition`` until it holds (True) or ``timeout`` seconds have passed (its last value): the Python
    tests' counterpart of Awaitility."""
    deadline = time.monotonic() + timeout
    while True:
        if condition():
            return True
        if time.monotonic() >= deadline:
            return bool(condition())
        threading.Event().wait(interval)


def alive(pid):
    """Whether ``pid`` is a process that has not exited (a zombie has exited: its parent has yet to reap it)."""
    try:
        with open('/proc/%d/stat' % pid, 'rb') as f:
            return f.read().rsplit(b')', 1)[1].split()[0] != b'Z'
    except OSError:
        return False


def children(pid):
    """The live child processes of ``pid``, whichever of its threads forked them."""
    found = []
    try:
        tasks = os.listdir('/proc/%d/task' % pid)
    except OSError:
        return found
    for task in tasks:
        try:
            with open('/proc/%d/task/%s/children' % (pid, task)) as f:
                found.extend(int(p) for p in f.read().split())
        except OSError:
            pass
    return [p for p in found if alive(p)]


def corpus_dir():
    """The shared test corpus: <repo>/../shared/corpus, else /work/shared/corpus."""
    for candidate in (os.path.join(REPO, '..', 'shared', 'corpus'), os.path.join(REPO, '..', '..', 'shared', 'corpus'),
                      '/work/shared/corpus'):
        if os.path.isdir(candidate):
            return os.path.abspath(candidate)
    raise RuntimeError('test corpus not found next to the repository nor at /work/shared/corpus')


def allowed_modules():
    with open(ALLOWED_MODULES, encoding='utf-8') as f:
        return f.read()


def write_canonical(frame, directory, name):
    """Writes ``frame`` as a canonical CSV (see DatasetSource) and returns the dataset spec the worker loads."""
    import pandas as pd
    path = os.path.join(directory, name + '.csv')
    frame.to_csv(path, index=False, date_format='%Y-%m-%dT%H:%M:%S')
    dtypes, dates = {}, []
    for column, dtype in frame.dtypes.items():
        if pd.api.types.is_datetime64_any_dtype(dtype):
            dtypes[column] = 'datetime64[ns]'
            dates.append(column)
        elif pd.api.types.is_bool_dtype(dtype):
            dtypes[column] = 'bool'
        elif pd.api.types.is_integer_dtype(dtype):
            dtypes[column] = 'int64'
        elif pd.api.types.is_float_dtype(dtype):
            dtypes[column] = 'float64'
        else:
            dtypes[column] = 'object'
    return {'name': name, 'default': False, 'path': path, 'columns': [str(c) for c in frame.columns],
            'dtypes': dtypes, 'date_columns': dates}


class SupervisorClient:
    """Starts the real supervisor the way the JVM does and talks to it over the framed protocol."""

    def __init__(self, memory_budget=2 << 30, timeout_ms=3000, configure=None):
        self.dir = tempfile.mkdtemp(prefix='worker-test-')
        env = {'PATH': '/usr/bin:/bin', 'LANG': 'C.UTF-8', 'OPENBLAS_NUM_THREADS': '1',
               'MPLCONFIGDIR': os.path.join(tempfile.gettempdir(), 'llm-analytics-mpl-test')}
        self.proc = subprocess.Popen([PYTHON, '-I', '-B', os.path.join(WORKER, 'supervisor.py')],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, cwd=self.dir)
        self.next_id = 1
        self.timeout_ms = timeout_ms
        self.pending = []
        self.send(dict({'op': 'configure', 'allowed_modules': allowed_modules(), 'memory_budget': memory_budget},
                       **(configure or {})))
        self.ready = self.receive(lambda h: h.get('type') == 'ready', timeout=60)

    def send(self, header):
        self.proc.stdin.write(protocol.encode(header))
        self.proc.stdin.flush()

    def _read(self):
        frame = protocol.read_frame(self.proc.stdout.fileno(), 64 << 20)
        if frame is None:
            raise EOFError('the supervisor closed its output')
        return frame

    def receive(self, match, timeout=30):
        for i, frame in enumerate(self.pending):
            if match(frame[0]):
                return self.pending.pop(i)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            frame = self._read()
            if match(frame[0]):
                return frame
            self.pending.append(frame)
        raise TimeoutError('no matching frame within %s s' % timeout)

    def request_id(self):
        self.next_id += 1
        return self.next_id

    def load(self, session, specs, key='k1'):
        rid = self.request_id()
        self.send({'op': 'load', 'id': rid, 'session': session, 'key': key, 'datasets': specs})
        header, _ = self.receive(lambda h: h.get('id') == rid and h.get('type') in ('loaded', 'load_failed'),
                                 timeout=120)
        return header

    def start(self, session, code, key='k1', timeout_ms=None, output=None, limits=None):
        rid = self.request_id()
        lim = {'timeout_ms': timeout_ms or self.timeout_ms, 'cpu_seconds': int((timeout_ms or self.timeout_ms) / 1000) + 2,
               'address_space_headroom': 1 << 30, 'max_open_files': 64}
        lim.update(limits or {})
        self.send({'op': 'exec', 'id': rid, 'session': session, 'key': key, 'code': code, 'limits': lim,
                   'output': output or {'max_output': 10000, 'max_sample_rows': 10, 'max_series_items': 100}})
        return rid

    def wait(self, rid, timeout=60):
        """The result (or not_loaded) of an execution; a result must be followed by its end_of_execution."""
        header, body = self.receive(lambda h: h.get('id') == rid and h.get('type') in ('result', 'not_loaded'),
                                    timeout=timeout)
        if header['type'] == 'result':
            self.receive(lambda h: h.get('id') == rid and h.get('type') == 'end_of_execution', timeout=timeout)
        return header, (json.loads(body) if body else None)

    def execute(self, session, code, **kwargs):
        return self.wait(self.start(session, code, **kwargs))

    def close(self):
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()


def parse(raw):
    """The child's JSON, or None when there is none or it is malformed (a failed execution for the JVM)."""
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None


def hostile_cases():
    with open(os.path.join(RESOURCES, 'hostile', 'cases.json'), encoding='utf-8') as f:
        return json.load(f)['cases']


class Listener:
    """A TCP listener on 127.0.0.1 that records whether anything connected."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(('127.0.0.1', 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connected = threading.Event()
        self.stopped = False
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while not self.stopped:
            try:
                conn, _ = self.sock.accept()
                self.connected.set()
                conn.close()
            except OSError:
                pass

    def close(self):
        self.stopped = True
        self.thread.join(2)
        self.sock.close()



class HostileWorld:
    """What hostile cases aim at: a TCP listener, a secret file, a victim file, unique paths; and their goals."""

    def __init__(self):
        self.listener = Listener()
        self.secret_value = 'secret-' + secrets.token_hex(8)
        fd, self.secret = tempfile.mkstemp(prefix='llm-hostile-secret-')
        os.write(fd, (self.secret_value + '\n').encode())
        os.close(fd)
        os.chmod(self.secret, 0o644)
        # a secret of the process that starts the worker (the service's own, e.g. its LLM key): the worker's
        # environment is built explicitly, so it must never be visible to analysis code
        self.service_secret = 'sk-hostile-' + secrets.token_hex(8)
        os.environ['LLM_HOSTILE_API_KEY'] = self.service_secret
        # a value in another session's dataset (the test loads it into a bystander session, column secret_note)
        self.other_secret = 'other-secret-' + secrets.token_hex(8)

    def close(self):
        self.listener.close()
        os.unlink(self.secret)

    def prepare(self, case):
        """Returns (code, goal, cleanup) for one run of ``case``."""
        token = secrets.token_hex(8)
        fd, victim = tempfile.mkstemp(prefix='llm-hostile-victim-')
        os.write(fd, b'victim')
        os.close(fd)
        os.chmod(victim, 0o666)
        values = {'token': token, 'port': str(self.listener.port), 'secret': self.secret,
                  'secret_value': self.secret_value, 'victim': victim, 'service_secret': self.service_secret,
                  'other_secret': self.other_secret}

        def fill(text):
            for key, value in values.items():
                text = text.replace('{' + key + '}', value)
            return text

        def cleanup():
            for path in (victim, '/tmp/llm-hostile-' + token, '/tmp/llm-hostile-' + token + '.npy',
                         '/tmp/llm-hostile-' + token + '.png', '/dev/shm/llm-hostile-' + token):
                if os.path.isdir(path):
                    os.rmdir(path)
                elif os.path.exists(path):
                    os.unlink(path)

        self.listener.connected.clear()
        goal = {k: fill(v) if isinstance(v, str) else v for k, v in case['goal'].items()}
        return fill(case['code']), goal, cleanup

    def reached(self, goal, header, raw, probe=None):
        """Whether an execution (its result header and raw body) reached ``goal``; ``probe(code)`` runs a state
        probe and returns its parsed body."""
        body = parse(raw)
        kind = goal['kind']
        ok = header.get('outcome') == 'completed' and body is not None and body.get('status') == 'ok'
        if kind in ('succeeds', 'completes'):
            return ok
        if kind == 'result_contains':
            return goal['text'] in (raw or b'').decode('utf-8', 'replace')
        if kind == 'file_exists':
            # a spawned process (posix_spawn, not waited for) may create the file after the execution has ended:
            # when the code ran to its end, wait for the file to appear (on a busy machine the spawned process can
            # take seconds to start)
            if ok:
                return until(lambda: os.path.exists(goal['path']), timeout=15.0)
            return os.path.exists(goal['path'])
        if kind == 'file_missing':
            return not os.path.exists(goal['path'])
        if kind == 'file_emptied':
            return os.path.getsize(goal['path']) == 0
        if kind == 'connects':
            return self.listener.connected.wait(0.3)
        if kind == 'output_exceeds':
            flagged = ok and (body.get('result_truncated') or body.get('stdout_truncated')
                              or body.get('figures_truncated'))
            return len(raw or b'') > goal['bytes'] or (ok and not flagged)
        if kind == 'state_leak':
            result = probe(goal['probe'])
            return result is not None and result.get('status') == 'ok' and result.get('result') == goal['leaked']
        raise AssertionError('unknown goal kind %s' % kind)
