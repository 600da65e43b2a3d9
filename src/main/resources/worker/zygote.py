"""A session zygote: forked from the supervisor for one session, it loads that session's datasets once, keeps them in
memory and forks one execution child per execution, ahead of time (SPARES of them wait for a job). It never runs
analysis code itself."""
import gc
import os
import selectors
import sys
import time
import traceback

import child
import datasets
import executor
import guard
import protocol

MAX_REQUEST = 64 * 1024 * 1024


def log(message):
    try:
        os.write(2, ('zygote %d: %s\n' % (os.getpid(), message)).encode('utf-8', 'replace'))
    except OSError:
        pass


# Spare children kept forked ahead (executor.Spare) while requests come: with two, a request that follows the previous
# result closely finds one ready and warmed while the other is being replaced. Measured (bench/worker.sh, 2 processors,
# issue 20): one spare, replaced at once after each result, 12.6-13.7 ms of overhead back to back in 4 runs; two,
# replaced after REFILL_DELAY, 11.2-12.8 ms in 4 runs. A spare at rest costs about 9 MiB of its own (the pages its
# warm-up wrote), so a zygote with no request for spare_idle_seconds (configure) keeps one.
SPARES = 2
# A fork and the new spare's warm-up take both processors for a few milliseconds (the fork copies the zygote's page
# tables: 3-4 ms on 200,000 rows). Forked right after a result, they delayed the result's way through the supervisor to
# the JVM, whose processes then waited for a processor: 8-10 ms from the zygote's reply to the caller on 2.3 M rows,
# against 3-5 ms when the fork waits this long (bench/worker.sh, 2 processors). A request that comes first and finds no
# spare has one forked for it, as before.
REFILL_DELAY = 0.003


class Zygote:

    def __init__(self, sock, context):
        self.sock = sock
        self.context = context
        self.frames = {}
        self.default = None
        self.running = {}
        self.spares = []
        self.refill_at = None
        self.last_request = None
        self.selector = selectors.DefaultSelector()

    def send(self, header, body=b''):
        protocol.write_all(self.sock, protocol.encode(header, body))

    def load(self, specs):
        started = time.monotonic()
        try:
            self.frames, self.default = datasets.load(specs)
        except MemoryError:
            self.send(protocol.zygote_load_failed('not enough memory to load the datasets'))
            os._exit(0)
        except Exception as e:  # noqa: any reader error is the dataset's problem, reported to the caller
            self.send(protocol.zygote_load_failed('%s: %s' % (type(e).__name__, str(e)[:2000])))
            os._exit(0)
        gc.collect()
        datasets.release_free_memory()
        datasets.huge_pages(datasets.frame_ranges(self.frames))
        gc.freeze()
        shapes = {name: list(frame.shape) for name, frame in self.frames.items()}
        self.send(protocol.zygote_loaded(shapes, int((time.monotonic() - started) * 1000), private_bytes()))

    def serve(self):
        reader = protocol.FrameReader(MAX_REQUEST)
        self.selector.register(self.sock, selectors.EVENT_READ, None)
        self.refill()
        while True:
            deadlines = [r.deadline for r in self.running.values() if r.killed_for is None]
            if self.refill_at is not None:
                deadlines.append(self.refill_at)
            if len(self.spares) > 1:
                deadlines.append(self.last_request + self.context.spare_idle_seconds)
            timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
            events = self.selector.select(timeout)
            now = time.monotonic()
            for running in list(self.running.values()):
                if running.killed_for is None and now >= running.deadline:
                    running.kill('timeout')
            for key, _ in events:
                if key.data is None:
                    data = os.read(self.sock, 1 << 20)
                    if not data:
                        self.stop()
                    for header, _ in reader.feed(data):
                        self.handle(header)
                else:
                    kind, running = key.data
                    if kind == 'pipe':
                        if self.running.get(running.id) is not running:
                            continue  # finished by an earlier event of this round
                        if not running.read_available():
                            self.selector.unregister(running.fd)
                        if running.complete:
                            self.finish_early(running)
                    elif running.replied:
                        self.selector.unregister(running.pidfd)
                        running.collect()
                    else:
                        self.finish(running)
                        self.refill_soon()
            if self.refill_at is not None and time.monotonic() >= self.refill_at:
                self.refill()  # after the round's requests: one that came meanwhile takes a spare without waiting
            while len(self.spares) > self.spares_wanted():
                self.spares.pop().discard()

    def handle(self, header):
        try:
            request = protocol.parse_request(header, protocol.ZYGOTE_OPS)
        except protocol.MalformedRequest as e:
            log('malformed request: %s' % e)
            if e.id is not None and e.op in ('exec', 'insights'):
                self.end(e.id, protocol.result(e.id, 'rejected', error='malformed request: %s' % e))
            return
        if isinstance(request, (protocol.Exec, protocol.Insights)):
            self.start(request)
        elif isinstance(request, protocol.Cancel):
            running = self.running.get(request.id)
            if running is not None:
                running.kill('cancelled')
        elif isinstance(request, protocol.Exit):
            self.stop()

    def end(self, request_id, header, body=b''):
        """The result of an execution, then its end: nothing more is sent for ``request_id``."""
        # one write for both: the supervisor relays them together, in one write to the JVM
        protocol.write_all(self.sock, protocol.encode(header, body)
                           + protocol.encode(protocol.end_of_execution(request_id)))

    def start(self, request):
        job_id = request.id
        self.last_request = time.monotonic()
        try:
            spare = self.spares.pop(0) if self.spares else self.fork_spare()
            running = spare.start(job_id, request)
        except (OSError, ValueError, TypeError) as e:
            self.end(job_id, protocol.result(job_id, 'crashed', error='could not start: %s' % e))
            return
        self.running[job_id] = running
        self.selector.register(running.fd, selectors.EVENT_READ, ('pipe', running))
        self.selector.register(running.pidfd, selectors.EVENT_READ, ('exit', running))

    def fork_spare(self):
        return executor.Spare(child.namespace(self.frames, self.default), self.context)

    def refill(self):
        """Forks an execution child ahead of time, one per call; the next, when one is still missing, REFILL_DELAY
        later."""
        self.refill_at = None
        if len(self.spares) < self.spares_wanted():
            try:
                self.spares.append(self.fork_spare())
            except OSError as e:
                log('could not fork ahead: %s' % e)
                return
        if len(self.spares) < self.spares_wanted():
            self.refill_soon()

    def spares_wanted(self):
        """SPARES while requests come, one once none came for spare_idle_seconds (and before the first)."""
        recent = (self.last_request is not None
                  and time.monotonic() - self.last_request < self.context.spare_idle_seconds)
        return SPARES if recent else 1

    def refill_soon(self):
        """Forks the missing spares REFILL_DELAY from now (or at the time already set, if sooner)."""
        if self.refill_at is None:
            self.refill_at = time.monotonic() + REFILL_DELAY

    def finish(self, running):
        try:
            self.selector.unregister(running.fd)
        except KeyError:
            pass
        self.selector.unregister(running.pidfd)
        del self.running[running.id]
        header, body = running.reap()
        self.end(running.id, header, body)

    def finish_early(self, running):
        """Its result frame is complete: the result is sent now; the child is killed and reaped once it is gone."""
        try:
            self.selector.unregister(running.fd)
        except KeyError:
            pass
        del self.running[running.id]
        header, body = running.finish_early()
        self.end(running.id, header, body)
        self.refill_soon()

    def stop(self):
        for running in self.running.values():
            running.kill('cancelled')
        for spare in self.spares:
            spare.discard()
        os._exit(0)


def main(sock, specs, context, parent_pid):
    """Entry point in the forked zygote; never returns."""
    try:
        guard.die_with_parent(parent_pid)
        null = os.open('/dev/null', os.O_RDWR)
        os.dup2(null, 0)
        os.dup2(null, 1)
        keep = {0, 1, 2, sock}
        for fd in _open_descriptors():
            if fd not in keep:
                try:
                    os.close(fd)
                except OSError:
                    pass
        sys.stdout = sys.stderr
        zygote = Zygote(sock, context)
        zygote.load(specs)
        zygote.serve()
    except BaseException:  # noqa
        log(traceback.format_exc(limit=5))
    finally:
        os._exit(1)


def private_bytes():
    """Memory this zygote does not share with the supervisor (USS); measured before any child shares it."""
    total = 0
    try:
        with open('/proc/self/smaps_rollup') as f:
            for line in f:
                if line.startswith(('Private_Clean:', 'Private_Dirty:')):
                    total += int(line.split()[1]) * 1024
    except OSError:
        pass
    return total


def _open_descriptors():
    try:
        return [int(name) for name in os.listdir('/proc/self/fd')]
    except OSError:
        return list(range(3, 1024))
