"""The execution child: forked for one execution, it isolates itself, applies every layer, runs the analysis code,
converts what it produced to JSON under its own limits, writes that to its pipe and exits."""
import builtins
import datetime
import json
import math
import os
import resource
import select
import signal
import statistics
import sys
import time
import warnings

import bindings
import guard
import insights
import output
import protocol
from protocol import write_all

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

_OUT_OF_MEMORY = json.dumps({'status': 'error', 'error': {
    'type': 'MemoryError', 'message': 'the analysis ran out of memory',
    'traceback': 'MemoryError: the analysis ran out of memory'}}).encode()


class Marks:
    """The monotonic time (comparable across processes) at the end of each phase of this child, and the page faults
    it had taken by then. Reported in the reply only when the request's output settings ask for ``timings``
    (bench/worker_phases.py); nothing else reads them."""

    __slots__ = ('times',)

    def __init__(self):
        self.times = []

    def __call__(self, phase):
        self.times.append((phase, time.monotonic(), _faults()))

    def report(self):
        return [list(mark) for mark in self.times]


def _faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


class Job:
    """One execution: the code, the names it sees besides the standard ones, and its limits."""

    def __init__(self, code, variables, limits, settings, policy, roots, confinement=None):
        self.code = code
        self.variables = variables
        self.limits = limits
        self.settings = settings
        self.policy = policy
        self.roots = roots
        self.confinement = confinement or guard.Confinement.detect(roots)
        self.trusted_runners = ()
        self.marks = Marks()


def timeout_of(request):
    """The deadline of an Exec or Insights request, in seconds."""
    limits = request.limits or {}
    return min(3600.0, max(0.05, float(limits.get('timeout_ms', 5000)) / 1000.0))


def limits_of(request):
    """The rlimits of an Exec or Insights request."""
    limits = request.limits or {}
    return guard.Limits(
        address_space_headroom=max(64 << 20, int(limits.get('address_space_headroom', 1 << 30))),
        cpu_seconds=max(1, int(limits.get('cpu_seconds', int(timeout_of(request)) + 1))),
        max_open_files=min(1024, max(16, int(limits.get('max_open_files', 64)))))


def job_of(request, variables, context):
    """The Job of an Exec request, for a child of a zygote whose session has ``variables`` (and the earlier steps'
    results of a multi-step analysis, decoded from the request's JSON ``bindings``, never unpickled)."""
    if request.bindings:
        variables = dict(variables)
        variables.update(bindings.decode_all(request.bindings))
    return Job(code=request.code, variables=variables, limits=limits_of(request),
               settings=output.Settings.of(request.output), policy=context.policy, roots=context.roots,
               confinement=context.confinement)


def wait_and_run(job_fd, out_fd, parent_pid, variables, context):
    """A spare child: waits for its request on ``job_fd`` (written by its zygote, then closed), then runs it.
    While it waits it builds the datasets' column objects, off the execution's path."""
    guard.die_with_parent(parent_pid)
    guard.isolate_descriptors([job_fd, out_fd])
    _warm_up(variables, job_fd)
    waiting = (time.monotonic(), _faults())
    chunks = []
    while True:
        chunk = os.read(job_fd, 1 << 20)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(job_fd)
    if not chunks:
        os._exit(0)  # discarded without a job
    received = (time.monotonic(), _faults())
    try:
        request = protocol.parse_request(json.loads(b''.join(chunks)), ('exec', 'insights'))
        if isinstance(request, protocol.Insights):
            job, finish = insights_job(request, variables, context), _finish_insights
        else:
            job, finish = job_of(request, variables, context), None
    except BaseException as e:  # noqa
        write_all(out_fd, protocol.result_frame(_setup_failed(e)))
        os._exit(0)
    job.marks.times[:0] = [('ready',) + waiting, ('received',) + received]
    job.marks('parsed')
    run(job, out_fd, parent_pid, finish=finish)


# The code an ``insights`` child runs in place of analysis code: the trusted insights module (imported before any
# layer), called under every layer with the builtins analysis code gets, which the insights' own snippets then run with.
INSIGHTS_DRIVER = 'result = _insights(dfs, _default, __builtins__, _options)'


def insights_job(request, variables, context):
    """The Job of an ``insights`` request: the insights of the session's datasets, same limits as an execution."""
    frames = variables.get('dfs') or {}
    default = next((name for name, frame in frames.items() if frame is variables.get('df')), None)
    names = dict(variables)
    names.update({'_insights': insights.compute, '_default': default, '_options': request.options or {}})
    job = Job(code=INSIGHTS_DRIVER, variables=names, limits=limits_of(request),
              settings=output.Settings.of(request.output), policy=context.policy, roots=context.roots,
              confinement=context.confinement)
    job.trusted_runners = (insights.Runner.run.__code__,)
    return job


def _finish_insights(names, job, stdout, started):
    computed = names.get('result') or {}
    elapsed = round((time.monotonic() - started) * 1000, 3)
    return json.dumps({'status': 'ok', 'result': computed, 'stdout': '', 'figures': [], 'duration_ms': elapsed},
                      ensure_ascii=False, allow_nan=False, default=str).encode('utf-8')


def _warm_up(variables, job_fd):
    """Steps of well under a millisecond, stopped once the job has arrived: the datasets' column objects, then, each
    step once a processor is idle (see idle_processor), a rehearsal of the child's own work after the analysis code.
    A forked child pays a copy-on-write fault for every page it first writes (reference counts of the code and objects
    it uses, the allocator's pages); paid here, while the spare waits, they are off the execution's path. (Their cost
    at exit is off it too: the zygote replies from the complete result frame, see executor.Running.finish_early.)"""
    try:
        for frame in (variables.get('dfs') or {}).values():
            for column in frame.columns:
                if select.select([job_fd], [], [], 0)[0]:
                    return
                frame[column]  # noqa: B018 (creates and caches the column's Series)
        with warnings.catch_warnings():  # what the libraries warn about here is no execution's business
            warnings.simplefilter('ignore')
            for step in _rehearsal():
                if not _idle_before_job(job_fd):
                    return
                step()
    except Exception:  # noqa: warming up is an optimisation only
        pass


_PROCESSORS = len(os.sched_getaffinity(0))


def idle_processor():
    """Whether a processor is free now, by the kernel's count of runnable tasks (this one included: the fourth field
    of /proc/loadavg) against the processors this process may run on. The rehearsal buys a few milliseconds on the
    next execution's path (its page faults paid ahead) for several times that in processor time (pandas' own overhead
    on a made-up table): worth it on an idle processor, a loss when the machine is busy, e.g. a burst of executions,
    where every processor-millisecond is some execution's. Measured on 10,000 rows: the child's processor time per
    execution 23-29 ms with the rehearsal, 12-22 ms without; its path 3-5 ms shorter with it."""
    try:
        with open('/proc/loadavg', 'rb') as f:
            running = int(f.read().split()[3].split(b'/')[0])
    except (OSError, IndexError, ValueError):
        return False
    return running <= _PROCESSORS


def _idle_before_job(job_fd):
    """Waits until a processor is idle (True) or the job has arrived (False), looking again after growing pauses
    (1 ms to 50 ms): a few wake-ups a second at most while the machine stays busy."""
    pause = 0.001
    while True:
        if select.select([job_fd], [], [], 0)[0]:
            return False
        if idle_processor():
            return True
        if select.select([job_fd], [], [], pause)[0]:
            return False
        pause = min(pause * 2, 0.05)


def _rehearsal():
    """Steps of a few milliseconds at most that run the result conversion, its summary and JSON encoding on a small
    made-up table (never on the session's data: nothing has confined this process yet), and a compilation. They leave
    nothing behind that an execution sees: the converter and the summary keep no state between calls."""
    table = []
    settings = output.Settings()

    def make_table():
        table.append(pd.DataFrame({'k': ['a', 'b', 'a', 'c'], 'v': [1.5, 2.0, 3.25, 4.0], 'n': [1, 2, 3, 4],
                                   'd': np.array(['2020-01-01', '2020-02-01', '2020-03-01', '2020-04-01'],
                                                 dtype='datetime64[ns]'),
                                   'b': [True, False, True, False]}))

    def convert(make):
        value = make(table[0])
        converter = output.Converter(settings)
        json.dumps({'status': 'ok', 'result': converter.result(value), 'summary': output.summary(value, settings)},
                   ensure_ascii=False, allow_nan=False).encode('utf-8')

    values = (lambda f: f.head(), lambda f: f.groupby('k')['v'].mean(),
              lambda f: f[f['n'] > 1].groupby(['k', 'b'])['v'].sum().unstack(), lambda f: f['v'].sum())
    steps = [make_table] + [lambda make=make: convert(make) for make in values]
    steps.append(lambda: compile('result = df.head()', guard.USER_FILENAME, 'exec', dont_inherit=True))
    return steps


def namespace(frames, default_name):
    """The variables of a session: ``df`` (the default dataset) and ``dfs`` (all by name)."""
    default = frames.get(default_name) if default_name is not None else None
    if default is None and frames:
        default = next(iter(frames.values()))
    return {'df': default, 'dfs': dict(frames)}


def run(job, out_fd, parent_pid, layers=guard.ALL, finish=None):
    """Runs ``job`` in this (freshly forked) process and exits; never returns. ``layers`` and ``finish`` (which turns
    the final namespace or the error into the bytes to write) are for the Python test suite only."""
    try:
        payload = _run(job, out_fd, parent_pid, layers, finish or _finish_json)
    except MemoryError:
        payload = _OUT_OF_MEMORY
    except BaseException as e:  # noqa: the sandbox could not be set up; never run the code then
        payload = _setup_failed(e)
    try:
        write_all(out_fd, protocol.result_frame(payload))
    except BaseException:  # noqa
        os._exit(3)
    os._exit(0)


def _run(job, out_fd, parent_pid, layers, finish):
    mark = job.marks
    guard.die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    guard.isolate_descriptors([out_fd])
    os.environ.clear()
    os.chdir('/')
    os.umask(0o777)
    sys.path[:] = [p for p in sys.path if p and guard.within(os.path.realpath(p), job.roots)]
    mark('isolated')

    names = {'__name__': '__main__', '__doc__': None, 'pd': pd, 'np': np, 'plt': plt, 'datetime': datetime,
             'math': math, 'statistics': statistics}
    names.update(job.variables)
    names['result'] = None
    settings = job.settings
    try:
        code = compile(job.code, guard.USER_FILENAME, 'exec', dont_inherit=True)
    except (SyntaxError, ValueError) as e:
        return _error_json(e, job, None)
    mark('compiled')

    try:
        if layers.rlimits:
            guard.apply_rlimits(job.limits)
        mark('rlimits')
        if layers.privileges:
            guard.drop_privileges()
        mark('privileges')
        if layers.landlock:
            job.confinement.apply()  # before seccomp, which refuses the Landlock syscalls
        mark('landlock')
        if layers.seccomp:
            guard.install_seccomp()
        mark('seccomp')
        if layers.audit:
            guard.hide_modules()
            # the function that converts the result runs after the analysis code: its directory holds library code
            # (the worker's own, or a test's)
            finish_dir = os.path.dirname(os.path.abspath(finish.__code__.co_filename))
            guard.install_audit_hook(job.policy, job.roots, code, job.trusted_runners, code_dirs=(finish_dir,))
        mark('audit_hook')
        names['__builtins__'] = guard.restricted_builtins(job.policy) if layers.builtins else dict(vars(builtins))
        mark('builtins')
    except BaseException as e:  # noqa
        return _setup_failed(e)

    stdout = output.BoundedText(settings.max_output)
    sys.stdout = stdout
    sys.stderr = output.BoundedText(settings.max_output)
    started = time.monotonic()
    try:
        exec(code, names)
    except MemoryError:
        return _OUT_OF_MEMORY
    except BaseException as e:  # noqa: everything the code raises is its result
        return _error_json(e, job, stdout)
    mark('executed')
    return finish(names, job, stdout, started)


def _finish_json(names, job, stdout, started):
    settings = job.settings
    elapsed = round((time.monotonic() - started) * 1000, 3)
    try:
        converter = output.Converter(settings)
        result = converter.result(names.get('result'))
        summary = output.summary(names.get('result'), settings)
        figures, figures_truncated = output.figures(settings, names)
        job.marks('converted')
        body = {'status': 'ok', 'result': result, 'result_truncated': converter.truncated, 'summary': summary,
                'stdout': stdout.value(), 'stdout_truncated': stdout.truncated, 'figures': figures,
                'figures_truncated': figures_truncated, 'duration_ms': elapsed}
        payload = json.dumps(body, ensure_ascii=False, allow_nan=False).encode('utf-8')
        if settings.timings:
            job.marks('encoded')
            body['timings'] = job.marks.report()
            payload = json.dumps(body, ensure_ascii=False, allow_nan=False).encode('utf-8')
        return payload
    except MemoryError:
        return _OUT_OF_MEMORY
    except BaseException as e:  # noqa: a result that cannot be converted fails the execution
        return _error_json(e, job, stdout, 'the result could not be converted: ')


def _error_json(e, job, stdout, prefix=''):
    err = output.error(e, job.code, job.settings, guard.USER_FILENAME)
    if prefix:
        err['message'] = prefix + err['message']
    body = {'status': 'error', 'error': err}
    if stdout is not None:
        body['stdout'] = stdout.value()
        body['stdout_truncated'] = stdout.truncated
    return json.dumps(body, ensure_ascii=False).encode('utf-8')


def _setup_failed(e):
    return json.dumps({'status': 'setup_failed', 'error': {
        'type': type(e).__name__, 'message': 'the sandbox could not be set up: %s' % e}}).encode('utf-8')
