"""Forks execution children and follows them. The end of an execution is learned from the child's complete result
frame (see protocol.result_frame: written by the child's trusted code once the analysis code has ended) or from its
exit (a pidfd), never from end-of-file on its pipe; the pipe is read with a hard cap."""
import json
import os
import selectors
import signal
import time

import child
import guard
import protocol

MAX_RESULT = 16 * 1024 * 1024


class Running:
    """One execution child, seen from its parent."""

    def __init__(self, job_id, pid, read_fd, timeout, cpu_seconds):
        self.id = job_id
        self.pid = pid
        self.fd = read_fd
        self.pidfd = os.pidfd_open(pid)
        self.started = time.monotonic()
        self.deadline = self.started + timeout
        self.cpu_seconds = cpu_seconds
        self.chunks = []
        self.size = 0
        self.expected = None  # the payload length the child's frame announces, once its prefix has arrived
        self.killed_for = None
        self.replied = False  # answered from its complete frame; only its exit is still to be collected

    def read_available(self):
        """Reads what the pipe holds now. Returns False when the pipe need not be watched any more: at end-of-file
        (which says nothing about the child's end) or when the child wrote more than the cap (it is then killed)."""
        while True:
            try:
                chunk = os.read(self.fd, 1 << 16)
            except BlockingIOError:
                return True
            except OSError:
                return False
            if not chunk:
                return False
            self.size += len(chunk)
            if self.size > MAX_RESULT + protocol.RESULT_PREFIX:
                self.kill('too_large')
                return False
            self.chunks.append(chunk)
            if self.expected is None and self.size >= protocol.RESULT_PREFIX:
                self.chunks = [b''.join(self.chunks)]
                self.expected = protocol.result_length(self.chunks[0])
                if self.expected > MAX_RESULT:
                    self.kill('too_large')
                    return False

    def kill(self, reason):
        if self.killed_for is None:
            self.killed_for = reason
        try:
            signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
        except ProcessLookupError:
            pass

    @property
    def complete(self):
        """Whether the child's result frame has arrived whole (and nothing after it), in time."""
        return (self.killed_for is None and self.expected is not None
                and self.size == protocol.RESULT_PREFIX + self.expected)

    def payload(self):
        """The result the child wrote: the payload of its complete frame, else None."""
        if not self.complete:
            return None
        return b''.join(self.chunks)[protocol.RESULT_PREFIX:]

    def finish_early(self):
        """Once the frame is complete: the (header, body) of a completed execution, at once. The child has nothing
        left to do but exit; it is killed (nothing it might still run outlives its result) and its teardown is not
        waited for: collect() reaps it when its pidfd becomes readable."""
        body = self.payload()
        cpu_ms = _cpu_ms(self.pid)  # before the kill: the child is still there to be read
        self.replied = True
        try:
            signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
        except ProcessLookupError:
            pass
        elapsed = round((time.monotonic() - self.started) * 1000, 3)  # microseconds kept: a short run is not 0
        return protocol.result(self.id, 'completed', duration_ms=elapsed, cpu_ms=cpu_ms), body

    def collect(self):
        """Reaps a child that was answered by finish_early (its pidfd is readable)."""
        os.waitpid(self.pid, 0)
        os.close(self.fd)
        os.close(self.pidfd)

    def reap(self):
        """Once the pidfd is readable: drains the pipe, collects the exit status and returns (header, body)."""
        if self.killed_for != 'too_large':
            self.read_available()
        _, status, usage = os.wait4(self.pid, 0)
        os.close(self.fd)
        os.close(self.pidfd)
        elapsed = round((time.monotonic() - self.started) * 1000, 3)  # microseconds kept: a short run is not 0
        cpu_ms = int((usage.ru_utime + usage.ru_stime) * 1000)
        body = self.payload() or b''
        outcome = self._outcome(status, body, cpu_ms)
        header = protocol.result(self.id, outcome, duration_ms=elapsed, cpu_ms=cpu_ms, max_rss_kb=usage.ru_maxrss,
                                 signal=os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
                                 exit_code=os.WEXITSTATUS(status) if os.WIFEXITED(status) else None)
        return header, body if outcome == 'completed' else b''

    def _outcome(self, status, body, cpu_ms):
        if self.killed_for is not None:
            return self.killed_for
        if os.WIFEXITED(status):
            if os.WEXITSTATUS(status) == 0:
                return 'completed' if body else 'no_output'
            return 'crashed'
        sig = os.WTERMSIG(status)
        if sig == signal.SIGXCPU or (sig == signal.SIGKILL and cpu_ms >= self.cpu_seconds * 1000 - 50):
            return 'cpu_limit'
        return 'killed'


_CLOCK_TICKS = os.sysconf('SC_CLK_TCK')


def _cpu_ms(pid):
    """The CPU time (user and system) of a live child, from /proc (the kernel's count, not the child's word)."""
    try:
        with open('/proc/%d/stat' % pid, 'rb') as f:
            fields = f.read().rsplit(b')', 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 // _CLOCK_TICKS
    except (OSError, IndexError, ValueError):
        return None


class Spare:
    """A child forked ahead of time, blocked until it is handed its job: the fork is paid while the zygote is idle,
    not on the execution's path. It inherits the zygote's datasets, like any child."""

    def __init__(self, variables, context):
        job_read, self.job_fd = os.pipe()
        self.fd, result_write = os.pipe()
        parent = os.getpid()
        self.pid = os.fork()
        if self.pid == 0:
            try:
                os.close(self.job_fd)
                os.close(self.fd)
                child.wait_and_run(job_read, result_write, parent, variables, context)
            finally:
                os._exit(98)
        os.close(job_read)
        os.close(result_write)

    def start(self, job_id, request):
        """Hands the child its job (an Exec or Insights request) and returns its Running; the deadline starts now."""
        limits = child.limits_of(request)
        try:
            protocol.write_all(self.job_fd, json.dumps(protocol.request_header(request)).encode('utf-8'))
        except OSError:
            pass  # the child died; its exit will tell
        finally:
            os.close(self.job_fd)
        os.set_blocking(self.fd, False)
        return Running(job_id, self.pid, self.fd, child.timeout_of(request), limits.cpu_seconds)

    def discard(self):
        os.close(self.job_fd)
        os.close(self.fd)
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)


def spawn(job_id, job, timeout, layers=guard.ALL, finish=None):
    """Forks a child that runs ``job``; returns its Running. ``layers`` and ``finish``: tests only."""
    read_fd, write_fd = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read_fd)
            child.run(job, write_fd, parent, layers, finish)
        finally:
            os._exit(98)
    os.close(write_fd)
    os.set_blocking(read_fd, False)
    return Running(job_id, pid, read_fd, timeout, job.limits.cpu_seconds)


def run_blocking(job, timeout, layers=guard.ALL, finish=None):
    """Runs one execution to its end in this process (for tests and tools): returns (header, body)."""
    running = spawn(0, job, timeout, layers, finish)
    with selectors.DefaultSelector() as selector:
        selector.register(running.fd, selectors.EVENT_READ, 'pipe')
        selector.register(running.pidfd, selectors.EVENT_READ, 'exit')
        registered = True
        while True:
            remaining = running.deadline - time.monotonic()
            if remaining <= 0 and running.killed_for is None:
                running.kill('timeout')
            events = selector.select(max(remaining, 0.05) if running.killed_for is None else 1.0)
            for key, _ in events:
                if key.data == 'exit':
                    return running.reap()
                if registered and not running.read_available():
                    selector.unregister(running.fd)
                    registered = False
