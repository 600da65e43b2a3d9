"""Where an execution's time goes inside the worker: the real zygote path (a spare child forked ahead from a process
holding the dataset, every layer applied, the result converted and written to its pipe), with the child reporting the
end of each of its phases (output setting ``timings``, bench only) and this process timing the fork, the hand-off, the
pipe and the exit. The analysis code's own time is compared with the same code run in this (parent) process, which
holds the same DataFrame: plain pandas on the same pages.

Usage: worker_phases.py <dataset.csv> <spec.json> [runs] [pause_ms] [code]   (run by bench/worker.sh; without code,
the benchmark's usual codes)
"""
import gc
import json
import os
import resource
import selectors
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
WORKER = os.path.join(HERE, '..', 'src', 'main', 'resources', 'worker')
ALLOWED = os.path.join(HERE, '..', 'src', 'main', 'resources', 'policy', 'allowed-modules.txt')
sys.path.insert(0, WORKER)
os.environ['OPENBLAS_NUM_THREADS'] = '1'  # as the JVM starts the supervisor
os.environ['OMP_NUM_THREADS'] = '1'
os.environ['MPLBACKEND'] = 'Agg'

import preload  # noqa: E402,F401  (what the supervisor imports before it forks)
import child  # noqa: E402
import datasets  # noqa: E402
import executor  # noqa: E402
import guard  # noqa: E402
import protocol  # noqa: E402
import supervisor  # noqa: E402

CODES = (
    "result = df['revenue'].sum()",
    "result = df.groupby('category')['revenue'].mean()",
    "result = df.head()",
    "result = df[df['quantity'] > 5].groupby(['region', 'category'])['revenue'].sum().unstack()",
    "result = df.groupby('category')['revenue'].sum()",
)

# (label, from mark, to mark): the child's marks, plus 'handoff', 'data' and 'exit' taken in this process
PHASES = (
    ('job hand-off (pipe, wake-up)', 'handoff', 'received'),
    ('request parse, job', 'received', 'parsed'),
    ('descriptors, env, signals', 'parsed', 'isolated'),
    ('compile', 'isolated', 'compiled'),
    ('rlimits', 'compiled', 'rlimits'),
    ('privileges', 'rlimits', 'privileges'),
    ('landlock', 'privileges', 'landlock'),
    ('seccomp load', 'landlock', 'seccomp'),
    ('hide modules + audit hook', 'seccomp', 'audit_hook'),
    ('restricted builtins', 'audit_hook', 'builtins'),
    ('analysis code', 'builtins', 'executed'),
    ('result conversion', 'executed', 'converted'),
    ('JSON encoding', 'converted', 'encoded'),
    ('pipe write (+ bench re-encode)', 'encoded', 'data'),
    ('exit (teardown, pidfd)', 'data', 'exit'),
    ('reap (wait4, read)', 'exit', 'reaped'),
)


def main():
    csv_path, spec_path = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 30
    pause = float(sys.argv[4]) / 1000 if len(sys.argv) > 4 else 0.1
    codes = (sys.argv[5],) if len(sys.argv) > 5 else CODES
    with open(spec_path) as f:
        spec = json.load(f)
    with open(ALLOWED, encoding='utf-8') as f:
        context = supervisor.Context(f.read())
    guard.seccomp_filter()
    guard.prepare_hidden_modules()
    gc.collect()
    gc.freeze()
    datasets.huge_pages(datasets.anonymous_ranges())  # as the supervisor does
    spec.update({'name': 'sales', 'default': True, 'path': csv_path})
    frames, default = datasets.load([spec])
    gc.collect()
    datasets.release_free_memory()  # as the zygote does
    datasets.huge_pages(datasets.frame_ranges(frames))
    gc.freeze()
    variables = child.namespace(frames, default)
    print('dataset: %s, %d rows; %d runs per code, %.0f ms between executions; confined: %s'
          % (os.path.basename(csv_path), len(frames[default]), runs, pause * 1000, context.report['confined']))
    spare_forks = []
    for code in codes:
        samples, plain = [], []
        for i in range(runs + 2):
            started, cpu = time.monotonic(), _cpu()
            spare = executor.Spare(variables, context)
            spare_forks.append(time.monotonic() - started)
            fork_cpu = _cpu() - cpu
            time.sleep(pause)  # the spare is forked when the previous execution ends; the next job comes later
            marks = run_one(spare, code, i)
            marks['cpu:fork'] = fork_cpu
            plain.append(plain_run(code, frames[default]))
            if i >= 2:  # the first runs warm caches, as in the Java benchmark
                samples.append(marks)
        report(code, samples, plain)
    print('(page faults: medians of what the child took in the phase, a figure the machine\'s load does not change)')
    print('spare fork (in the zygote, off the execution path): median %.2f ms' % (1000 * statistics.median(spare_forks)))


def run_one(spare, code, job_id):
    request = protocol.Exec(id=job_id, session='s', key='k', code=code,
                            limits={'timeout_ms': 60000}, output={'timings': True})
    before_job = _cpu_of(spare.pid)
    handoff = time.monotonic()
    running = spare.start(job_id, request)
    data = exited = None
    with selectors.DefaultSelector() as selector:
        selector.register(running.fd, selectors.EVENT_READ, 'pipe')
        selector.register(running.pidfd, selectors.EVENT_READ, 'exit')
        while exited is None:
            for key, _ in selector.select(60):
                now = time.monotonic()
                if key.data == 'exit':
                    exited = now
                elif data is None:
                    data = now
                    running.read_available()
                    selector.unregister(running.fd)
    header, body = running.reap()
    reaped = time.monotonic()
    if header.get('outcome') != 'completed':
        raise SystemExit('execution failed: %s %s' % (header, body[:500]))
    result = json.loads(body)
    if result.get('status') != 'ok':
        raise SystemExit('execution failed: %s' % result)
    marks = {phase: at for phase, at, _ in result['timings']}
    marks.update({'faults:' + phase: faults for phase, _, faults in result['timings']})
    marks.update({'handoff': handoff, 'data': data if data is not None else exited, 'exit': exited, 'reaped': reaped})
    if before_job is not None and header.get('cpu_ms') is not None:
        marks.update({'cpu:before_job': before_job, 'cpu:child': header['cpu_ms'] / 1000})
    return marks


def _cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _cpu_of(pid):
    """The processor time a live process has had, in seconds (its schedstat: nanoseconds, not clock ticks)."""
    try:
        with open('/proc/%d/schedstat' % pid) as f:
            return int(f.read().split()[0]) / 1e9
    except (OSError, IndexError, ValueError):
        return None


def plain_run(code, frame):
    compiled = compile(code, '<analysis>', 'exec')
    names = {'df': frame, 'dfs': {'sales': frame}, 'result': None}
    started = time.monotonic()
    exec(compiled, names)
    return time.monotonic() - started


def report(code, samples, plain):
    print('\n%s' % code)
    total = statistics.median(m['reaped'] - m['handoff'] for m in samples)
    user = statistics.median(m['executed'] - m['builtins'] for m in samples)
    for label, start, end in PHASES:
        values = [m[end] - m[start] for m in samples if start in m and end in m]
        faults = [m['faults:' + end] - m['faults:' + start] for m in samples
                  if 'faults:' + start in m and 'faults:' + end in m]
        if values:
            print('  %-34s %8.2f ms %s' % (label, 1000 * statistics.median(values),
                                           '%7d page faults' % statistics.median(faults) if faults else ''))
    to_result = statistics.median(m['data'] - m['handoff'] for m in samples)
    plain_median = statistics.median(plain)
    print('  %-34s %8.2f ms   (hand-off to the result on the pipe: where the zygote replies now)'
          % ('total to result', 1000 * to_result))
    print('  %-34s %8.2f ms   (total to result minus analysis code)' % ('overhead', 1000 * (to_result - user)))
    print('  %-34s %8.2f ms   (hand-off to the child reaped: where the zygote replied before)'
          % ('total to reaped', 1000 * total))
    print('  %-34s %8.2f ms   (total to reaped minus analysis code)' % ('overhead if waiting for the exit',
                                                                           1000 * (total - user)))
    print('  %-34s %8.2f ms   (same code in the zygote-like parent: %.2fx in the child)'
          % ('plain pandas, same process', 1000 * plain_median, user / plain_median if plain_median else 0))
    cpu = [m for m in samples if 'cpu:child' in m]
    if cpu:
        fork = statistics.median(m['cpu:fork'] for m in cpu)
        before = statistics.median(m['cpu:before_job'] for m in cpu)
        whole = statistics.median(m['cpu:child'] for m in cpu)
        print('  processor time per execution      %8.2f ms   = fork in the zygote %.2f + child before its job '
              '(after-fork, warm-up; the rehearsal only on an idle processor) %.2f + child from its job to its exit '
              '(layers, code, result, teardown) %.2f'
              % (1000 * (fork + whole), 1000 * fork, 1000 * before, 1000 * (whole - before)))


if __name__ == '__main__':
    main()
