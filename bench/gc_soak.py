"""GC soak (issue 20): several clients at once upload the 100 MB and 10 MB sales files, ask a question of each upload
and keep their last sessions, for a fixed time; then the service's GC log is read for the collector in use, what must
never happen under load with G1 (full collections, evacuation failures; with the Parallel collector an old-generation
collection is a full one by design, and its pauses are what count) and for what the JVM options change (concurrent
marking cycles, pauses and their total, heap after collections, CPU), beside the time each question took under load.

Usage: gc_soak.py BASE PID GC_LOG SECONDS CLIENTS KEEP BIG.csv SMALL.csv
"""
import os
import re
import statistics
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
import pipeline  # noqa: E402
import uploads  # noqa: E402

HZ = os.sysconf('SC_CLK_TCK')
QUESTIONS = ['total revenue by region', 'average price by product', 'total quantity by category']


def cpu_seconds(pid):
    """The process' CPU seconds so far, or None once it has stopped."""
    try:
        stat = open(f'/proc/{pid}/stat').read()
    except FileNotFoundError:
        return None
    fields = stat[stat.rindex(')') + 2:].split()
    return (int(fields[11]) + int(fields[12])) / HZ


def rss_mb(pid):
    try:
        for line in open(f'/proc/{pid}/status'):
            if line.startswith('VmRSS:'):
                return int(line.split()[1]) / 1024
    except FileNotFoundError:
        pass
    return 0.0


def client(base, pid, deadline, keep, files, out, lock, index):
    held = []
    n = index
    while time.time() < deadline and cpu_seconds(pid) is not None:
        path = files[n % len(files)]
        n += 1
        try:
            elapsed, body = uploads.upload(base, path)
            session = body['session_id']
            _, total, done, last = pipeline.stream(base, session, QUESTIONS[n % len(QUESTIONS)])
            with lock:
                out['uploads'].append((os.path.basename(path), elapsed))
                out['answers'].append((done is not None, total, last))
            held.append(session)
            while len(held) > keep:
                uploads.delete(base, held.pop(0))
        except (SystemExit, Exception) as e:  # noqa: BLE001: a refused or failed call is counted, not fatal
            with lock:
                out['failed'].append(f'{os.path.basename(path)}: {str(e)[:200]}')
            time.sleep(1)
    for session in held:
        try:
            uploads.delete(base, session)
        except Exception:  # noqa: BLE001: the service may have stopped
            pass


def gc_summary(log):
    text = open(log).read()
    pauses = [float(m) for m in re.findall(r'Pause (?:Young|Remark|Cleanup|Full)[^\n]* ([\d.]+)ms', text)]
    after = [int(m) for m in re.findall(r'->(\d+)M\(\d+M\)', text)]
    collector = re.search(r'Using (\w+)', text)
    return {
        'collector': collector.group(1) if collector else '?',
        'total_pause_s': sum(pauses) / 1000,
        'full': len(re.findall(r'Pause Full', text)),
        'evacuation_failures': len(re.findall(r'Evacuation Failure|To-space exhausted', text)),
        'concurrent_cycles': len(re.findall(r'Concurrent Mark Cycle [\d.]+ms', text)),
        'pauses': len(pauses),
        'max_pause_ms': max(pauses, default=0.0),
        'p50_pause_ms': statistics.median(pauses) if pauses else 0.0,
        'peak_after_gc_mb': max(after, default=0),
    }


def main():
    base, pid, log, seconds, clients, keep, big, small = sys.argv[1:9]
    pid, seconds, clients, keep = int(pid), float(seconds), int(clients), int(keep)
    out = {'uploads': [], 'answers': [], 'failed': []}
    lock = threading.Lock()
    peak = [rss_mb(pid)]
    cpu0 = cpu_seconds(pid)
    deadline = time.time() + seconds
    threads = [threading.Thread(target=client, args=(base, pid, deadline, keep, [big, small], out, lock, i))
               for i in range(clients)]
    for t in threads:
        t.start()
    started = time.time()
    stopped = None
    while any(t.is_alive() for t in threads):
        if stopped is None and cpu_seconds(pid) is None:
            stopped = time.time() - started
        peak.append(rss_mb(pid))
        time.sleep(0.5)
    end = cpu_seconds(pid)
    if stopped is None and end is None:
        stopped = time.time() - started
    gc = gc_summary(log)
    if stopped is not None:
        print(f'  THE SERVICE STOPPED after {stopped:.0f} s (see its log: ExitOnOutOfMemoryError stops it on a heap '
              f'exhausted)')
    big_walls = [e for name, e in out['uploads'] if name == os.path.basename(big)]
    answered = sum(1 for ok, _, _ in out['answers'] if ok)
    print(f"  uploads {len(out['uploads'])} ({len(big_walls)} of the 100 MB file), failed {len(out['failed'])}; "
          f"questions answered {answered} of {len(out['answers'])}")
    if big_walls:
        print(f'  100 MB upload wall under load: median {statistics.median(big_walls):.2f} s, max {max(big_walls):.2f} s')
    answer_times = [total for ok, total, _ in out['answers'] if ok]
    if answer_times:
        print(f'  question answered under load: median {statistics.median(answer_times):.2f} s, '
              f'max {max(answer_times):.2f} s')
    if end is not None:
        print(f"  service CPU {end - cpu0:.1f} s; peak RSS {max(peak):.0f} MB")
    print(f"  GC ({gc['collector']}): full collections {gc['full']}, evacuation failures "
          f"{gc['evacuation_failures']}, concurrent cycles {gc['concurrent_cycles']}, pauses {gc['pauses']} "
          f"(median {gc['p50_pause_ms']:.1f} ms, max {gc['max_pause_ms']:.1f} ms, "
          f"total {gc['total_pause_s']:.1f} s), "
          f"peak heap after a pause {gc['peak_after_gc_mb']} MB")
    for line in out['failed'][:5]:
        print('  failed:', line)
    for ok, _, last in out['answers']:
        if not ok:
            print('  unanswered:', last)
            break


if __name__ == '__main__':
    main()
