"""The OS layer holds alone: analysis code with REAL builtins and NO audit hook (as if the validator and the hook had
both been bypassed) runs in an execution child through the test-only ``layers`` argument of the real execution path
(executor.run_blocking -> child.run; nothing in the protocol or the environment can switch a layer off), and cannot
read or list anything outside the library directories, reach files the service created 0600, connect, write, exec,
or signal other processes.

Two configurations: the OS layers together as production applies them (rlimits, privilege drop, Landlock, seccomp),
and Landlock alone (as root, no privilege drop, no seccomp), which shows that the kernel's file system confinement
does not depend on the uid: 0600 does not stop root, Landlock does."""
import os
import shutil
import signal
import socket
import tempfile
import threading
import unittest

import support  # noqa: I100 (first: it configures the environment before numpy is imported)

import pandas as pd
import child
import executor
import guard
import output
import policy

POLICY = policy.ImportPolicy(support.allowed_modules())
ROOTS = guard.library_roots()
FRAME = pd.DataFrame({'x': range(1, 101), 'y': ['a', 'b'] * 50})
OS_LAYERS = guard.NONE._replace(rlimits=True, privileges=True, landlock=True, seccomp=True)
LANDLOCK_ALONE = guard.NONE._replace(landlock=True)
HAVE_LANDLOCK = guard.landlock_abi() >= 1


def run(code, layers, timeout=5.0):
    job = child.Job(code, {'df': FRAME, 'dfs': {'data': FRAME}}, guard.Limits(1 << 30, 10, 64), output.Settings(),
                    POLICY, ROOTS)
    header, raw = executor.run_blocking(job, timeout, layers)
    return header, support.parse(raw), raw


@unittest.skipUnless(HAVE_LANDLOCK, 'this kernel has no Landlock: the service refuses to run analysis code here')
class ConfinementTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.secret = 'confinement-secret-' + os.urandom(8).hex()
        # what the service writes: its store (DATA_DIR 0700, store.mv 0600) and another session's worker files
        cls.data_dir = tempfile.mkdtemp(prefix='llm-confinement-data-')
        cls.store = os.path.join(cls.data_dir, 'store.mv')
        cls._write(cls.store, 'ssn,name\n123-45-6789,%s\n' % cls.secret, 0o600)
        cls.worker_dir = tempfile.mkdtemp(prefix='llm-confinement-worker-')
        other = pd.DataFrame({'secret_note': [cls.secret], 'x': [1]})
        cls.other_csv = support.write_canonical(other, cls.worker_dir, 'other-session')['path']
        os.chmod(cls.other_csv, 0o400)
        # a world-readable file outside the roots: only Landlock keeps it from a child running as nobody
        fd, cls.readable = tempfile.mkstemp(prefix='llm-confinement-readable-')
        os.write(fd, cls.secret.encode())
        os.close(fd)
        os.chmod(cls.readable, 0o644)
        cls.victim_dir = tempfile.mkdtemp(prefix='llm-confinement-victim-')
        os.chmod(cls.victim_dir, 0o777)
        cls.victim = os.path.join(cls.victim_dir, 'victim')
        cls._write(cls.victim, 'victim', 0o666)
        cls.listener = support.Listener()
        cls.unix_path = os.path.join(cls.victim_dir, 'service.sock')
        cls.unix = socket.socket(socket.AF_UNIX)
        cls.unix.bind(cls.unix_path)
        os.chmod(cls.unix_path, 0o777)
        cls.unix.listen(4)
        cls.abstract_name = '\0llm-confinement-' + os.urandom(6).hex()
        cls.abstract = socket.socket(socket.AF_UNIX)
        cls.abstract.bind(cls.abstract_name)
        cls.abstract.listen(4)
        cls.unix_connected = threading.Event()
        for listening in (cls.unix, cls.abstract):
            listening.settimeout(0.2)
            threading.Thread(target=cls._accept, args=(listening,), daemon=True).start()
        cls.signals = []
        cls.previous_handler = signal.signal(signal.SIGUSR1, lambda *_: cls.signals.append(1))

    @classmethod
    def tearDownClass(cls):
        signal.signal(signal.SIGUSR1, cls.previous_handler)
        cls.listener.close()
        for listening in (cls.unix, cls.abstract):
            listening.close()
        for directory in (cls.data_dir, cls.worker_dir, cls.victim_dir):
            shutil.rmtree(directory, ignore_errors=True)
        os.unlink(cls.readable)

    @classmethod
    def _accept(cls, listening):
        while listening.fileno() >= 0:
            try:
                conn, _ = listening.accept()
                cls.unix_connected.set()
                conn.close()
            except OSError:
                if listening.fileno() < 0:
                    return

    @staticmethod
    def _write(path, text, mode):
        with open(path, 'w') as f:
            f.write(text)
        os.chmod(path, mode)

    def fill(self, code):
        return (code.replace('{store}', self.store).replace('{data_dir}', self.data_dir)
                .replace('{other}', self.other_csv).replace('{worker_dir}', self.worker_dir)
                .replace('{readable}', self.readable).replace('{victim}', self.victim)
                .replace('{victim_dir}', self.victim_dir).replace('{port}', str(self.listener.port))
                .replace('{unix}', self.unix_path).replace('{abstract}', self.abstract_name[1:])
                .replace('{parent}', str(os.getpid())))

    def assert_refused(self, layers, attempts, errors=(PermissionError,)):
        for code in attempts:
            with self.subTest(layers=layers, code=code):
                header, body, raw = run('import os\n' + self.fill(code), layers)
                self.assertEqual('completed', header['outcome'], (header, raw[:300]))
                self.assertEqual('error', body['status'], 'not refused: %s' % raw[:300])
                self.assertIn(body['error']['type'], [e.__name__ for e in errors], body['error'])
                self.assertNotIn(self.secret, raw.decode('utf-8', 'replace'))

    def assert_killed(self, layers, attempts):
        """Refused by the seccomp allow-list: the system call is not on it, so the child dies of SIGSYS."""
        for code in attempts:
            with self.subTest(layers=layers, code=code):
                header, body, raw = run('import os\n' + self.fill(code), layers)
                self.assertEqual('killed', header['outcome'], (header, raw[:300]))
                self.assertEqual(signal.SIGSYS, header.get('signal'), header)
                self.assertNotIn(self.secret, raw.decode('utf-8', 'replace'))

    # -- the control: with no layer at all these attempts succeed, so the refusals below are the layers' doing -----
    def test_without_any_layer_the_attempts_succeed(self):
        for code in ("result = open('{store}').read()", "result = open('{readable}').read()",
                     "result = sorted(os.listdir('{data_dir}'))", "result = open('/etc/passwd').read()[:10]",
                     "result = open('/proc/{parent}/environ', 'rb').read()[:10].decode('latin-1')"):
            with self.subTest(code=code):
                header, body, raw = run('import os\n' + self.fill(code), guard.NONE)
                self.assertEqual('ok', body['status'], raw[:300])

    # -- reading and listing ----------------------------------------------------------------------------------------
    READS = (
        "result = open('/etc/passwd').read()",
        "result = open('/etc/hostname', 'rb').read()",
        "result = os.listdir('/')",
        "result = os.listdir('/tmp')",
        "result = [e.name for e in os.scandir('/etc')]",
        "result = os.listdir('/proc')",
        "result = open('{store}').read()",
        "result = os.listdir('{data_dir}')",
        "result = open('{other}').read()",
        "result = pd.read_csv('{other}').to_dict()",
        "import numpy\nresult = numpy.fromfile('{readable}', dtype='uint8').tolist()",
        "result = os.read(os.open('{readable}', os.O_RDONLY), 100)",
        "import pathlib\nresult = pathlib.Path('{readable}').read_text()",
        "result = open('/proc/self/root{readable}').read()",
        "result = open('/proc/{parent}/environ', 'rb').read()",
        "result = open('/proc/{parent}/cmdline', 'rb').read()",
        "result = open('/proc/1/environ', 'rb').read()",
        "result = os.listdir('/proc/1/fd')",
        "result = open('/proc/self/environ', 'rb').read()",
        "result = os.listdir('/home')",
        "result = os.listdir('/usr/lib/../../etc')",
        "result = open('/usr/lib/python3.11/../../../etc/passwd').read()",
    )

    def test_os_layers_refuse_reads_and_listings_outside_the_libraries(self):
        self.assert_refused(OS_LAYERS, self.READS)

    def test_landlock_alone_refuses_reads_and_listings_even_to_root(self):
        self.assert_refused(LANDLOCK_ALONE, self.READS)

    def test_the_libraries_stay_readable(self):
        libraries = ("import matplotlib.pyplot as p\n"
                     "p.plot([1, 2])\np.title('x')\nzone = str(pd.Timestamp('2020-01-01', tz='Europe/Paris').tz)\n")
        for layers, code, expected in (
                (OS_LAYERS, "import os\nimport sklearn.linear_model\nimport statsmodels.api\n" + libraries + "result = [len(open(os.__file__).read()) > 0, "
                 "len(os.listdir(os.path.dirname(os.__file__))) > 10, zone]", [True, True, 'Europe/Paris']),
                (guard.ALL, libraries + "result = zone", 'Europe/Paris')):
            with self.subTest(layers=layers):
                header, body, raw = run(code, layers, timeout=30)
                self.assertEqual('ok', body['status'], raw[:500])
                self.assertEqual(expected, body['result'])

    # -- connecting ---------------------------------------------------------------------------------------------------
    CONNECTS = (
        "import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=1)",
        "import socket\ns = socket.socket(socket.AF_INET6)\ns.connect(('::1', {port}))",
        "import socket\ns = socket.socket(socket.AF_UNIX)\ns.connect('{unix}')",
        "import socket\ns = socket.socket(socket.AF_UNIX)\ns.connect('\\0{abstract}')",
        "import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\ns.sendto(b'x', ('127.0.0.1', {port}))",
        "import socket\ns = socket.socket()\ns.bind(('127.0.0.1', 0))\ns.listen()",
    )

    def test_os_layers_refuse_every_connection(self):
        self.assert_killed(OS_LAYERS, self.CONNECTS)  # socket() is not on the allow-list
        self.assertFalse(self.listener.connected.is_set())
        self.assertFalse(self.unix_connected.is_set())

    def test_landlock_alone_refuses_tcp_and_abstract_unix_sockets(self):
        if guard.landlock_abi() < 6:
            self.skipTest('TCP needs Landlock ABI 4 and abstract sockets ABI 6')
        self.assert_refused(LANDLOCK_ALONE, (self.CONNECTS[0], self.CONNECTS[3], self.CONNECTS[5]))
        self.assertFalse(self.listener.connected.is_set())
        self.assertFalse(self.unix_connected.is_set())

    # -- writing --------------------------------------------------------------------------------------------------
    WRITES = (
        "open('{victim}', 'w').write('x')",
        "open('{victim}', 'a').write('x')",
        "os.truncate('{victim}', 0)",
        "open('{victim_dir}/new', 'x').write('x')",
        "os.mkdir('{victim_dir}/d')",
        "os.unlink('{victim}')",
        "os.rename('{victim}', '{victim_dir}/moved')",
        "os.symlink('/etc/passwd', '{victim_dir}/link')",
        "df.to_csv('{victim_dir}/out.csv')",
        "os.mkfifo('{victim_dir}/fifo')",
    )

    # open with a write flag fails with EPERM; the other calls that change files are not on the allow-list
    WRITES_BY_OPEN = tuple(w for w in WRITES if w.startswith(('open(', 'df.')))

    def test_os_layers_refuse_every_write(self):
        self.assert_refused(OS_LAYERS, self.WRITES_BY_OPEN)
        self.assert_killed(OS_LAYERS, [w for w in self.WRITES if w not in self.WRITES_BY_OPEN])
        self.assert_untouched()

    def test_landlock_alone_refuses_writes_even_to_root(self):
        self.assert_refused(LANDLOCK_ALONE, self.WRITES, errors=(PermissionError, OSError))
        self.assert_untouched()

    def assert_untouched(self):
        self.assertEqual(['service.sock', 'victim'], sorted(os.listdir(self.victim_dir)))
        with open(self.victim) as f:
            self.assertEqual('victim', f.read())

    # -- processes --------------------------------------------------------------------------------------------------
    PROCESSES = (
        "os.execv('/bin/sh', ['sh', '-c', 'touch {victim_dir}/exec'])",
        "import subprocess\nsubprocess.run(['touch', '{victim_dir}/exec'])",
        "os.posix_spawn('/bin/touch', ['touch', '{victim_dir}/exec'], {})",
        "assert os.system('touch {victim_dir}/exec') == 0",
        "os.kill({parent}, 0)",
        "import signal\nos.kill({parent}, signal.SIGUSR1)",
        "import signal\nos.kill(1, signal.SIGCONT)",
        "import signal\nsignal.pidfd_send_signal(os.pidfd_open({parent}), signal.SIGUSR1)",
    )

    def test_os_layers_refuse_exec_and_signals_to_other_processes(self):
        self.assert_killed(OS_LAYERS, self.PROCESSES)  # execve, clone, pipe2, kill, pidfd_*: none is on the list
        self.assertFalse(os.path.exists(os.path.join(self.victim_dir, 'exec')))
        self.assertEqual([], self.signals)

    def test_landlock_alone_refuses_exec_and_signals_even_to_root(self):
        if guard.landlock_abi() < 6:
            self.skipTest('signal scoping needs Landlock ABI 6')
        attempts = (self.PROCESSES[0], self.PROCESSES[4], self.PROCESSES[5], self.PROCESSES[6])
        self.assert_refused(LANDLOCK_ALONE, attempts, errors=(PermissionError, OSError))
        self.assertFalse(os.path.exists(os.path.join(self.victim_dir, 'exec')))
        self.assertEqual([], self.signals)


class SelfTestTest(unittest.TestCase):
    """The supervisor's start-up self-test, reported in its ready message, and what children do without Landlock."""

    def test_the_self_test_proves_the_confinement(self):
        report = guard.confinement_self_test(guard.landlock_read_roots(ROOTS), guard.landlock_abi(), guard.__file__)
        if not HAVE_LANDLOCK:
            self.assertFalse(report['confined'])
            self.assertIn('Landlock', report['problem'])
            return
        self.assertEqual({'confined': True, 'filesystem': True, 'problem': None},
                         {k: report[k] for k in ('confined', 'filesystem', 'problem')})
        if report['landlock_abi'] >= 6:
            self.assertTrue(report['network'] and report['signals'], report)

    def test_the_self_test_fails_when_the_probe_is_readable(self):
        # a probe beneath the roots is readable by a confined child: the self-test must say it proved nothing
        report = guard.confinement_self_test(guard.landlock_read_roots(ROOTS), guard.landlock_abi(), os.__file__)
        self.assertFalse(report['confined'])
        self.assertTrue(report['problem'])

    def test_without_landlock_children_refuse_unless_unconfined_is_allowed(self):
        variables = {'df': FRAME, 'dfs': {'data': FRAME}}
        for allow, status in ((False, 'setup_failed'), (True, 'ok')):
            with self.subTest(allow_unconfined=allow):
                job = child.Job("result = 1", variables, guard.Limits(1 << 30, 10, 64), output.Settings(), POLICY,
                                ROOTS, guard.Confinement(0, guard.landlock_read_roots(ROOTS), allow))
                header, raw = executor.run_blocking(job, 10.0, guard.ALL)
                body = support.parse(raw)
                self.assertEqual(status, body['status'], raw[:300])
                if not allow:
                    self.assertIn('Landlock is not available', body['error']['message'])

    def test_the_supervisor_reports_confinement_and_refuses_without_it(self):
        for landlock, allow, confined, runs in (('auto', False, HAVE_LANDLOCK, HAVE_LANDLOCK),
                                                ('off', False, False, False), ('off', True, False, True)):
            with self.subTest(landlock=landlock, allow_unconfined=allow):
                client = support.SupervisorClient(configure={'landlock': landlock, 'allow_unconfined': allow})
                try:
                    report = client.ready[0]['confinement']
                    self.assertEqual(confined, report['confined'], report)
                    self.assertEqual(allow, report['allow_unconfined'])
                    if not confined:
                        self.assertIn('Landlock', report['problem'])
                    spec = support.write_canonical(FRAME, client.dir, 'data')
                    spec['default'] = True
                    self.assertEqual('loaded', client.load('s', [spec])['type'])
                    header, body = client.execute('s', "result = int(df['x'].sum())")
                    if runs:
                        self.assertEqual({'status': 'ok', 'result': 5050},
                                         {'status': body['status'], 'result': body.get('result')})
                    else:
                        self.assertEqual('setup_failed', body['status'], body)
                        self.assertIn('not run unconfined', body['error']['message'])
                finally:
                    client.close()


if __name__ == '__main__':
    unittest.main()
