"""The spare-child path (a child forked ahead by the zygote, handed its job later) and the early reply (the zygote
answers from the child's complete result frame and kills the child): every layer is still in force in every child,
what the parent prepared once (the seccomp program, the list of modules to hide) cannot be changed for the next child
by the one before, and nothing a child runs outlives its result."""
import json
import os
import signal
import struct
import threading
import time
import unittest

import support  # noqa: I100 (first: it configures the environment before numpy is imported)

import pandas as pd
import child
import executor
import guard
import preload  # noqa: E402,F401 (as in the supervisor)
import protocol
import supervisor

FRAME = pd.DataFrame({'x': range(1, 101), 'y': ['a', 'b'] * 50})


def _probe_finish(names, job, stdout, started):
    """Runs in the child after the analysis code, under every layer (as the real result conversion does): reports
    what the child sees of its own confinement, then (when asked) tampers with what the parent prepared once, or
    makes a system call that is not on the seccomp allow-list."""
    import resource
    program, _ = guard.seccomp_filter()
    report = {
        'uid': os.getuid(),
        'as_limit': resource.getrlimit(resource.RLIMIT_AS)[0],
        'nproc_limit': resource.getrlimit(resource.RLIMIT_NPROC)[0],
        'fsize_limit': resource.getrlimit(resource.RLIMIT_FSIZE)[0],
        'program': program.raw.hex(),
        'hidden': list(guard._hidden_names or ()),
        'open_in_builtins': 'open' in names['__builtins__'],
        'ctypes_loaded': 'ctypes' in __import__('sys').modules,
    }
    action = names.get('action')
    if action == 'tamper':
        program.raw = bytes(len(program.raw))  # this child's copy of the program the parent compiled
        guard._hidden_names = ()
        report['tampered'] = guard.seccomp_filter()[0].raw == bytes(len(program.raw)) and guard._hidden_names == ()
    elif action == 'setsid':
        os.setsid()  # not on the allow-list: SIGSYS, whoever calls it
    try:
        open('/etc/hostname').close()
        report['read_outside_roots'] = True
    except OSError:
        report['read_outside_roots'] = False
    return json.dumps(report).encode()


class SpareChildTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.context = supervisor.Context(support.allowed_modules())
        guard.seccomp_filter()  # prepared once in the parent, as the supervisor does
        guard.prepare_hidden_modules()
        cls.parent_program = guard.seccomp_filter()[0].raw.hex()
        cls.parent_hidden = list(guard._hidden_names)
        cls.saved_finish = child._finish_json
        child._finish_json = _probe_finish  # the spare's child runs it in place of the result conversion

    @classmethod
    def tearDownClass(cls):
        child._finish_json = cls.saved_finish

    def run_in_spare(self, code, action=None, job_id=1):
        """One execution on the zygote's path: a Spare forked ahead, handed its job, answered from its frame."""
        return self.run_spare(self.fork_spare(action), code, job_id)

    def fork_spare(self, action=None):
        variables = child.namespace({'data': FRAME}, 'data')
        variables['action'] = action
        return executor.Spare(variables, self.context)

    def run_spare(self, spare, code, job_id):
        request = protocol.Exec(id=job_id, session='s', key='k', code=code, limits={'timeout_ms': 20000})
        running = spare.start(job_id, request)
        pidfd_seen = support.until(lambda: self._step(running), 30)
        self.assertTrue(pidfd_seen, 'the execution did not end')
        if running.replied:
            header, body = running.reply
            self.assertTrue(support.until(lambda: _readable(running.pidfd), 10), 'the child outlived its reply')
            running.collect()
            return header, body
        return running.reap()

    def _step(self, running):
        running.read_available()
        if running.complete:
            running.reply = running.finish_early()
            return True
        return _readable(running.pidfd)

    def test_every_layer_is_in_force_in_a_spare_child(self):
        header, body = self.run_in_spare('result = len(df)')
        self.assertEqual('completed', header['outcome'], header)
        report = json.loads(body)
        self.assertNotEqual(0, report['uid'])  # privileges dropped
        self.assertGreater(report['as_limit'], 0)
        self.assertEqual(0, report['nproc_limit'])
        self.assertEqual(0, report['fsize_limit'])
        self.assertFalse(report['open_in_builtins'])
        self.assertFalse(report['read_outside_roots'])  # Landlock (and the audit hook)
        self.assertEqual(self.parent_program, report['program'])

    def test_seccomp_kills_a_forbidden_syscall_in_a_spare_child(self):
        header, _ = self.run_in_spare('result = 1', action='setsid')
        self.assertEqual('killed', header['outcome'], header)
        self.assertEqual(signal.SIGSYS, header.get('signal'), header)

    def test_a_child_that_tampered_with_the_prepared_objects_changes_nothing_for_the_next(self):
        header, body = self.run_in_spare('result = 1', action='tamper', job_id=1)
        self.assertEqual('completed', header['outcome'], header)
        self.assertTrue(json.loads(body)['tampered'], body)
        for job_id in (2, 3):
            header, body = self.run_in_spare('result = 1', job_id=job_id)
            self.assertEqual('completed', header['outcome'], header)
            report = json.loads(body)
            self.assertEqual(self.parent_program, report['program'])
            self.assertEqual(self.parent_hidden, report['hidden'])
            self.assertFalse(report['ctypes_loaded'])  # ctypes is among the hidden modules
            header, _ = self.run_in_spare('result = 1', action='setsid', job_id=job_id + 10)
            self.assertEqual(signal.SIGSYS, header.get('signal'), header)

    def test_two_spares_forked_ahead_both_apply_every_layer(self):
        """Two spares forked before either has a job (as when a request arrives while one waits): each, whichever
        runs first, applies every layer and sees what the parent prepared, not what the other did."""
        first, second = self.fork_spare(action='tamper'), self.fork_spare()
        reports = []
        header, body = self.run_spare(second, 'result = 1', job_id=21)
        self.assertEqual('completed', header['outcome'], header)
        reports.append(json.loads(body))
        header, body = self.run_spare(first, 'result = 1', job_id=22)
        self.assertEqual('completed', header['outcome'], header)
        self.assertTrue(json.loads(body)['tampered'], body)
        header, body = self.run_spare(self.fork_spare(), 'result = len(df)', job_id=23)
        self.assertEqual('completed', header['outcome'], header)
        reports.append(json.loads(body))
        for report in reports:
            self.assertNotEqual(0, report['uid'])
            self.assertEqual(0, report['nproc_limit'])
            self.assertEqual(0, report['fsize_limit'])
            self.assertFalse(report['open_in_builtins'])
            self.assertFalse(report['read_outside_roots'])
            self.assertEqual(self.parent_program, report['program'])
            self.assertEqual(self.parent_hidden, report['hidden'])


class RehearsalTest(unittest.TestCase):
    """A spare rehearses its result conversion only while a processor is idle: with or without the rehearsal, the
    same code gives the same result, and a spare on a busy machine takes its job as soon as it arrives."""

    @classmethod
    def setUpClass(cls):
        cls.context = supervisor.Context(support.allowed_modules())
        guard.seccomp_filter()
        guard.prepare_hidden_modules()
        cls.saved_idle = staticmethod(child.idle_processor)

    def tearDown(self):
        child.idle_processor = self.saved_idle

    def run_after_warm_up(self, code, idle):
        child.idle_processor = lambda: idle  # the spare inherits it at its fork
        variables = child.namespace({'data': FRAME}, 'data')
        spare = executor.Spare(variables, self.context)
        if idle:  # its warm-up and rehearsal done, the spare waits for its job on the pipe
            self.assertTrue(support.until(lambda: 'pipe_read' in _wchan(spare.pid), 30), _wchan(spare.pid))
        request = protocol.Exec(id=1, session='s', key='k', code=code, limits={'timeout_ms': 20000})
        running = spare.start(1, request)
        self.assertTrue(support.until(lambda: running.read_available() is not None and (
            running.complete or _readable(running.pidfd)), 30), 'the execution did not end')
        if running.complete:
            header, body = running.finish_early()
            self.assertTrue(support.until(lambda: _readable(running.pidfd), 10))
            running.collect()
        else:
            header, body = running.reap()
        self.assertEqual('completed', header['outcome'], header)
        reply = json.loads(body)
        reply.pop('duration_ms', None)
        return reply

    def test_the_result_is_the_same_with_and_without_the_rehearsal(self):
        for code in ("result = df.groupby('y')['x'].mean()", 'result = df.head()',
                     "result = df[df['x'] > 5].groupby(['y', 'x'])['x'].sum().unstack()", "result = df['x'].sum()"):
            rehearsed = self.run_after_warm_up(code, idle=True)
            not_rehearsed = self.run_after_warm_up(code, idle=False)
            self.assertEqual('ok', rehearsed['status'], rehearsed)
            self.assertEqual(rehearsed, not_rehearsed, code)

    def test_a_spare_waiting_for_an_idle_processor_takes_its_job_at_once(self):
        child.idle_processor = lambda: False
        read_fd, write_fd = os.pipe()
        try:
            os.write(write_fd, b'{}')
            started = time.monotonic()
            self.assertFalse(child._idle_before_job(read_fd))
            self.assertLess(time.monotonic() - started, 5)
            child.idle_processor = lambda: True
            self.assertFalse(child._idle_before_job(read_fd), 'the job comes first')
        finally:
            os.close(read_fd)
            os.close(write_fd)
        read_fd, write_fd = os.pipe()
        try:
            self.assertTrue(child._idle_before_job(read_fd))  # no job yet, a processor idle: rehearse
        finally:
            os.close(read_fd)
            os.close(write_fd)

    def test_idle_processor_reads_the_kernels_count(self):
        self.assertIsInstance(self.saved_idle(), bool)


def _wchan(pid):
    """The kernel function the process sleeps in (its /proc wchan)."""
    try:
        with open('/proc/%d/wchan' % pid) as f:
            return f.read().strip()
    except OSError:
        return ''


def _readable(fd):
    import select
    return bool(select.select([fd], [], [], 0)[0])


class ResultFrameTest(unittest.TestCase):
    """The child's pipe carries one length-prefixed frame; only a whole frame, and nothing after it, is a result."""

    def fork(self, data, then):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(read_fd)
                os.write(write_fd, data)
                if then == 'sleep':
                    threading.Event().wait(60)
                elif then == 'crash':
                    os.kill(os.getpid(), signal.SIGSEGV)
            finally:
                os._exit(0)
        os.close(write_fd)
        os.set_blocking(read_fd, False)
        return executor.Running(1, pid, read_fd, 30, 10)

    def wait_for(self, running, condition):
        self.assertTrue(support.until(lambda: running.read_available() is not None and condition(), 30))

    def test_a_complete_frame_is_answered_at_once_and_the_child_killed(self):
        payload = b'{"status": "ok", "result": 1}'
        running = self.fork(protocol.result_frame(payload), 'sleep')  # a child that would not exit for a minute
        started = time.monotonic()
        self.wait_for(running, lambda: running.complete)
        header, body = running.finish_early()
        self.assertEqual('completed', header['outcome'])
        self.assertEqual(payload, body)
        self.assertTrue(support.until(lambda: _readable(running.pidfd), 10))
        _, status = os.waitpid(running.pid, 0)
        self.assertTrue(os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, status)
        self.assertLess(time.monotonic() - started, 30)
        os.close(running.fd)
        os.close(running.pidfd)

    def test_a_partial_frame_is_no_result(self):
        frame = protocol.result_frame(b'{"status": "ok", "result": 12345}')
        running = self.fork(frame[:-3], 'exit')
        self.wait_for(running, lambda: _readable(running.pidfd))
        self.assertFalse(running.complete)
        header, body = running.reap()
        self.assertEqual('no_output', header['outcome'])
        self.assertEqual(b'', body)

    def test_bytes_after_the_frame_make_it_no_result(self):
        frame = protocol.result_frame(b'{"status": "ok"}')
        running = self.fork(frame + b'{"status": "forged"}', 'exit')
        self.wait_for(running, lambda: _readable(running.pidfd))
        self.assertFalse(running.complete)
        self.assertEqual('no_output', running.reap()[0]['outcome'])

    def test_a_crash_after_a_partial_frame_is_a_crash(self):
        frame = protocol.result_frame(b'{"status": "ok", "result": 1}')
        running = self.fork(frame[:10], 'crash')
        self.wait_for(running, lambda: _readable(running.pidfd))
        self.assertEqual('killed', running.reap()[0]['outcome'])

    def test_an_announced_length_over_the_cap_is_too_large(self):
        running = self.fork(struct.pack('>Q', executor.MAX_RESULT + 1), 'sleep')
        self.wait_for(running, lambda: running.killed_for is not None)
        self.assertTrue(support.until(lambda: _readable(running.pidfd), 10))
        self.assertEqual('too_large', running.reap()[0]['outcome'])


if __name__ == '__main__':
    unittest.main()
