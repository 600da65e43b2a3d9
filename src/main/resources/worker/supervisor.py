"""The worker supervisor, started by the JVM as ``python3 -I -B supervisor.py``.

It imports the analysis libraries once, then speaks the worker protocol on its stdin/stdout: the messages, their
fields and the end of an execution are described once, in protocol.py (the JVM's side points there too).

Each session's datasets live in a zygote process forked from here (so loading never blocks the supervisor or other
sessions); zygotes are evicted least recently used when their private memory exceeds the budget.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # -I leaves the script's directory out
os.environ.setdefault('OPENBLAS_NUM_THREADS', '1')
os.environ.setdefault('OMP_NUM_THREADS', '1')
os.environ.setdefault('MKL_NUM_THREADS', '1')
os.environ['MPLBACKEND'] = 'Agg'

import gc  # noqa: E402
import selectors  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402

import preload  # noqa: E402,F401  (imports and warms up the analysis libraries)
import datasets  # noqa: E402
import guard  # noqa: E402
import policy  # noqa: E402
import protocol  # noqa: E402
import zygote  # noqa: E402

MAX_REQUEST = 64 * 1024 * 1024
MAX_ZYGOTE_FRAME = 24 * 1024 * 1024


def log(message):
    try:
        os.write(2, ('supervisor: %s\n' % message).encode('utf-8', 'replace'))
    except OSError:
        pass


class Context:
    """What every zygote and child inherits: the import policy, the readable directories and the confinement."""

    def __init__(self, allowed_modules, allow_unconfined=False, landlock='auto', spare_idle_seconds=10.0):
        self.policy = policy.ImportPolicy(allowed_modules)
        self.spare_idle_seconds = spare_idle_seconds
        self.roots = guard.library_roots()
        self.confinement = guard.Confinement.detect(self.roots, allow_unconfined)
        if landlock == 'off':
            # test-only simulation of a kernel without Landlock, asked for by the JVM (never by an environment
            # variable): it can only make the worker refuse, or run as unconfined as sandbox.allow-unconfined allows
            self.confinement.abi = 0
        self.report = guard.confinement_self_test(self.confinement.read_roots, self.confinement.abi, guard.__file__)
        if not self.report['confined']:
            self.confinement.abi = 0  # children refuse to run analysis code, unless running unconfined is allowed
        self.report['allow_unconfined'] = self.confinement.allow_unconfined


class ZygoteHandle:

    def __init__(self, session, key, pid, sock):
        self.session = session
        self.key = key
        self.pid = pid
        self.pidfd = os.pidfd_open(pid)
        self.sock = sock
        self.reader = protocol.FrameReader(MAX_ZYGOTE_FRAME)
        self.out = bytearray()
        self.state = 'loading'
        self.waiters = []
        self.inflight = set()
        self.resulted = set()  # executions whose result was relayed, not yet their end
        self.last_used = time.monotonic()
        self.bytes = 0
        self.shapes = {}


class Supervisor:

    def __init__(self, context, budget, out_fd, idle_seconds=600.0):
        self.context = context
        self.budget = budget
        self.idle_seconds = idle_seconds
        self.out_fd = out_fd
        self.selector = selectors.DefaultSelector()
        self.sessions = {}
        self.zygotes = {}
        self.owners = {}
        self.reader = protocol.FrameReader(MAX_REQUEST)
        self.batch = None

    # -- output to the JVM -----------------------------------------------------------------------------------------
    def reply(self, header, body=b''):
        if self.batch is not None:
            self.batch += protocol.encode(header, body)
        else:
            protocol.write_all(self.out_fd, protocol.encode(header, body))

    def flush_batch(self):
        """Writes what was batched while handling one read of a zygote's socket (a result and its end, typically)
        in one write: one wake-up of the JVM's reader instead of one per message."""
        batch, self.batch = self.batch, None
        if batch:
            protocol.write_all(self.out_fd, batch)

    # -- main loop -----------------------------------------------------------------------------------------------
    def loop(self):
        self.selector.register(0, selectors.EVENT_READ, ('jvm', None))
        while True:
            for key, mask in self.selector.select(timeout=min(self.idle_seconds / 4, 30.0)):
                kind, z = key.data
                if kind == 'jvm':
                    data = os.read(0, 1 << 20)
                    if not data:
                        self.shutdown()
                    try:
                        frames = self.reader.feed(data)
                    except protocol.ProtocolError as e:
                        log('unreadable request stream: %s' % e)
                        self.shutdown()
                    for header, _ in frames:
                        self.handle(header)
                elif kind == 'sock':
                    if mask & selectors.EVENT_READ:
                        self.batch = bytearray()
                        try:
                            self.read_zygote(z)
                        finally:
                            self.flush_batch()
                    if mask & selectors.EVENT_WRITE and z.pid in self.zygotes:
                        self.flush_zygote(z)
                elif kind == 'exit':
                    self.zygote_exited(z)
            self.retire_idle()

    def retire_idle(self):
        """Sessions nobody asked about for idle_seconds give their memory back (reloaded on their next question)."""
        now = time.monotonic()
        for z in [z for z in self.sessions.values() if z.state == 'ready' and not z.inflight
                  and now - z.last_used > self.idle_seconds]:
            self.retire(z, 'idle')

    def handle(self, header):
        try:
            request = protocol.parse_request(header)
        except protocol.MalformedRequest as e:
            log('malformed request: %s' % e)
            self.reject(header, e)
            return
        if isinstance(request, protocol.Load):
            self.load(request)
        elif isinstance(request, (protocol.Exec, protocol.Insights)):
            self.execute(request)
        elif isinstance(request, protocol.Cancel):
            z = self.owners.get(request.id)
            if z is not None:
                self.send_zygote(z, request)
        elif isinstance(request, protocol.Evict):
            z = self.sessions.get(request.session)
            if z is not None:
                self.evict(z, 'requested')
        elif isinstance(request, protocol.Stats):
            self.reply(protocol.stats(request.id, [{'session': z.session, 'state': z.state, 'bytes': z.bytes,
                                                    'inflight': len(z.inflight), 'pid': z.pid}
                                                   for z in self.sessions.values()], self.cached_bytes()))
        elif isinstance(request, protocol.Shutdown):
            self.shutdown()
        else:
            log('%s is only the first request' % request.op)

    def reject(self, header, error):
        """Answers a malformed request that can still be named, so that its caller does not wait for nothing."""
        if error.id is None:
            return
        if error.op == 'load':
            self.reply(protocol.load_failed(error.id, header.get('session'), header.get('key'),
                                            'malformed request: %s' % error))
        elif error.op in ('exec', 'insights'):
            self.end(error.id, protocol.result(error.id, 'rejected', error='malformed request: %s' % error))

    def end(self, request_id, header, body=b''):
        """The result of an execution and its end."""
        self.reply(header, body)
        self.reply(protocol.end_of_execution(request_id))

    # -- sessions ------------------------------------------------------------------------------------------------
    def load(self, request):
        session, key = request.session, request.key
        z = self.sessions.get(session)
        if z is not None and z.key == key:
            if z.state == 'ready':
                z.last_used = time.monotonic()
                self.reply(self.loaded_message(z, request.id))
            else:
                z.waiters.append(request.id)
            return
        if z is not None:
            self.retire(z, 'replaced')
        specs = request.datasets
        parent_sock, child_sock = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        pid = os.fork()
        if pid == 0:
            parent_sock.close()
            zygote.main(child_sock.detach(), specs, self.context, os.getppid())
        child_fd = child_sock.detach()
        os.close(child_fd)
        parent_sock.setblocking(False)
        z = ZygoteHandle(session, key, pid, parent_sock.detach())
        z.waiters.append(request.id)
        self.sessions[session] = z
        self.zygotes[pid] = z
        self.selector.register(z.sock, selectors.EVENT_READ, ('sock', z))
        self.selector.register(z.pidfd, selectors.EVENT_READ, ('exit', z))

    def execute(self, request):
        z = self.sessions.get(request.session)
        if z is None or z.key != request.key or z.state != 'ready':
            self.reply(protocol.not_loaded(request.id))
            return
        z.last_used = time.monotonic()
        z.inflight.add(request.id)
        self.owners[request.id] = z
        self.send_zygote(z, request)

    def loaded_message(self, z, request_id):
        return protocol.loaded(request_id, z.session, z.key, z.bytes, z.shapes, self.cached_bytes(),
                               len(self.sessions))

    def cached_bytes(self):
        """Memory of the zygotes in service (retired ones exit as soon as their executions end)."""
        return sum(z.bytes for z in self.zygotes.values() if z.state in ('loading', 'ready'))

    # -- zygote I/O ----------------------------------------------------------------------------------------------
    def send_zygote(self, z, request):
        """Forwards a request dataclass to the zygote."""
        z.out += protocol.encode(protocol.request_header(request))
        self.flush_zygote(z)

    def flush_zygote(self, z):
        try:
            while z.out:
                n = os.write(z.sock, z.out)
                del z.out[:n]
        except BlockingIOError:
            pass
        except OSError:
            z.out.clear()
        events = selectors.EVENT_READ | (selectors.EVENT_WRITE if z.out else 0)
        self.selector.modify(z.sock, events, ('sock', z))

    def read_zygote(self, z):
        """Reads and handles what the zygote sent; False when there was nothing to read."""
        try:
            data = os.read(z.sock, 1 << 20)
        except BlockingIOError:
            return False
        except OSError:
            data = b''
        if not data:
            self.selector.unregister(z.sock)
            os.close(z.sock)
            z.sock = -1
            return False
        try:
            frames = z.reader.feed(data)
        except protocol.ProtocolError as e:
            log('zygote %d sent an unreadable frame: %s' % (z.pid, e))
            os.kill(z.pid, signal.SIGKILL)
            return False
        for header, body in frames:
            kind = header.get('type')
            if kind == 'loaded':
                z.state = 'ready'
                z.shapes = header.get('shapes') or {}
                z.bytes = int(header.get('bytes') or 0)
                z.last_used = time.monotonic()
                self.enforce_budget(keep=z)
                for request_id in z.waiters:
                    self.reply(self.loaded_message(z, request_id))
                z.waiters = []
            elif kind == 'load_failed':
                for request_id in z.waiters:
                    self.reply(protocol.load_failed(request_id, z.session, z.key, header.get('error')))
                z.waiters = []
                self.forget(z)
            elif kind == 'result':
                z.resulted.add(header.get('id'))
                self.reply(header, body)
            elif kind == 'end_of_execution':
                self.ended(z, header.get('id'))
            else:
                log('zygote %d sent an unknown message %r' % (z.pid, kind))
        return True

    def ended(self, z, request_id):
        """An execution of ``z`` ended (its result was relayed): its end goes to the JVM."""
        z.inflight.discard(request_id)
        z.resulted.discard(request_id)
        self.owners.pop(request_id, None)
        self.reply(protocol.end_of_execution(request_id))
        if z.state == 'retiring' and not z.inflight:
            self.send_zygote(z, protocol.Exit())
        else:
            self.enforce_budget()

    def zygote_exited(self, z):
        _, status = os.waitpid(z.pid, 0)
        self.selector.unregister(z.pidfd)
        os.close(z.pidfd)
        if z.sock >= 0:
            # results the zygote wrote before it ended are still in the socket
            while z.sock >= 0 and self.read_zygote(z):
                pass
            if z.sock >= 0:
                self.selector.unregister(z.sock)
                os.close(z.sock)
                z.sock = -1
        self.zygotes.pop(z.pid, None)
        how = ('signal %d' % os.WTERMSIG(status)) if os.WIFSIGNALED(status) else ('exit %d' % os.WEXITSTATUS(status))
        for request_id in list(z.inflight):
            self.owners.pop(request_id, None)
            if request_id not in z.resulted:
                # (a result already relayed is complete: frames are relayed whole; only its end is missing)
                self.reply(protocol.result(request_id, 'worker_died',
                                           error='the worker process of this session stopped (%s)' % how))
            self.reply(protocol.end_of_execution(request_id))
        z.inflight.clear()
        z.resulted.clear()
        for request_id in z.waiters:
            self.reply(protocol.load_failed(request_id, z.session, z.key,
                                            'the worker process stopped while loading the datasets (%s)' % how))
        z.waiters = []
        if self.sessions.get(z.session) is z:
            del self.sessions[z.session]
            if z.state != 'evicted':
                self.reply(protocol.evicted(z.session, 'stopped (%s)' % how, self.cached_bytes(),
                                            len(self.sessions)))

    def forget(self, z):
        if self.sessions.get(z.session) is z:
            del self.sessions[z.session]

    def retire(self, z, reason):
        """Takes a zygote out of service; it exits once its executions are done."""
        self.forget(z)
        z.state = 'retiring'
        if not z.inflight:
            self.send_zygote(z, protocol.Exit())
        self.reply(protocol.evicted(z.session, reason, self.cached_bytes(), len(self.sessions)))

    def evict(self, z, reason):
        """Stops a zygote now; its executions fail."""
        self.forget(z)
        z.state = 'evicted'
        try:
            os.kill(z.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.reply(protocol.evicted(z.session, reason, self.cached_bytes(), len(self.sessions)))

    def enforce_budget(self, keep=None):
        total = self.cached_bytes()
        if total <= self.budget:
            return
        idle = sorted((z for z in self.sessions.values()
                       if z is not keep and z.state == 'ready' and not z.inflight), key=lambda z: z.last_used)
        for z in idle:
            if total <= self.budget:
                break
            total -= z.bytes
            self.retire(z, 'memory budget')

    def shutdown(self):
        for z in list(self.zygotes.values()):
            try:
                os.kill(z.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        os._exit(0)


def main():
    out_fd = os.dup(1)
    os.dup2(2, 1)  # stray prints from libraries must not corrupt the protocol
    sys.stdout = sys.stderr
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        os.setsid()  # a process group of its own: nothing here can signal the JVM's group
    except OSError:
        pass
    try:
        first = protocol.read_frame(0, MAX_REQUEST)
        if first is None:
            return
        header, _ = first
        try:
            configure = protocol.parse_request(header, ops=('configure',))
        except protocol.MalformedRequest as e:
            raise protocol.ProtocolError('the first request must be a well-formed configure: %s' % e) from None
        context = Context(configure.allowed_modules, configure.allow_unconfined is True,
                          'off' if configure.landlock == 'off' else 'auto', configure.spare_idle_seconds)
        if not context.report['confined']:
            log('analysis code cannot be confined: %s' % context.report['problem'])
        guard.seccomp_filter()
        guard.prepare_hidden_modules()
        gc.collect()
        gc.freeze()
        datasets.huge_pages(datasets.anonymous_ranges())  # the libraries' heap, shared by every zygote and child
        supervisor = Supervisor(context, configure.memory_budget, out_fd, configure.idle_seconds)
        import numpy
        import pandas
        supervisor.reply(protocol.ready(os.getpid(), sys.version.split()[0], pandas.__version__, numpy.__version__,
                                        context.report))
        supervisor.loop()
    except BaseException:  # noqa
        log(traceback.format_exc(limit=8))
        os._exit(1)


if __name__ == '__main__':
    main()
