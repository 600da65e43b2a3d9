"""The supervisor and its session zygotes, through the real protocol: loading, caching, LRU eviction under the memory
budget, zygote death, cancellation, deadlines, concurrency and shutdown."""
import support  # noqa: I100 (first: it configures the environment before numpy is imported)

import os
import signal
import time
import unittest

import numpy as np
import pandas as pd

import datasets


def wait_until(predicate, timeout=5.0):
    return support.until(predicate, timeout, interval=0.02)


class SupervisorTest(unittest.TestCase):

    def setUp(self):
        self.client = support.SupervisorClient(timeout_ms=3000)
        frame = pd.DataFrame({'x': range(10), 'when': pd.date_range('2024-01-01', periods=10, freq='D'),
                              'flag': [True, False] * 5, 'name': list('abcdefghij')})
        frame.loc[3, 'name'] = None
        self.spec = dict(support.write_canonical(frame, self.client.dir, 'small'), default=True)

    def tearDown(self):
        self.client.close()

    def stats(self):
        rid = self.client.request_id()
        self.client.send({'op': 'stats', 'id': rid})
        header, _ = self.client.receive(lambda h: h.get('id') == rid and h.get('type') == 'stats')
        return header

    def running(self):
        """Whether an execution was handed to the session's zygote (which handles its requests in order)."""
        return self.stats()['sessions'][0]['inflight'] == 1

    def evictions(self):
        found = [h for h, _ in self.client.pending if h.get('type') == 'evicted']
        self.client.pending = [(h, b) for h, b in self.client.pending if h.get('type') != 'evicted']
        return found

    def test_loads_datasets_with_their_schema_and_runs_code_on_them(self):
        loaded = self.client.load('s', [self.spec])
        self.assertEqual('loaded', loaded['type'])
        self.assertEqual({'small': [10, 4]}, loaded['shapes'])
        self.assertGreater(loaded['bytes'], 0)
        _, body = self.client.execute('s', "result = [str(t) for t in df.dtypes] + [df['name'].isna().sum()]")
        self.assertEqual(['int64', 'datetime64[ns]', 'bool', 'object', 1], body['result'])

    def test_a_loaded_dataset_costs_at_most_one_and_a_half_times_what_pandas_needs_for_it(self):
        # issue 20, target 5: the zygote's private memory once loaded (what it reports, before any fork), over a
        # zygote holding a few rows, against df.memory_usage(deep=True) of the frame datasets.load makes of the file
        rows = 200_000
        rng = np.random.default_rng(5)
        frame = pd.DataFrame({
            'id': ['ORD-%09d' % i for i in range(rows)],
            'email': ['user%d.%d@example.com' % (i, rng.integers(10_000)) for i in range(rows)],
            'city': rng.choice(['Lisbon', 'Berlin', 'Paris', 'São Paulo', 'Zürich'], rows),
            'quantity': rng.integers(0, 100, rows),
            'price': rng.random(rows) * 100,
            'when': pd.Timestamp('2024-01-01') + pd.to_timedelta(rng.integers(0, 1000, rows), unit='D'),
        })
        big = dict(support.write_canonical(frame, self.client.dir, 'big'), default=True)
        tiny = dict(support.write_canonical(frame.head(10), self.client.dir, 'tiny'), default=True)
        tiny_bytes = self.client.load('tiny', [tiny])['bytes']
        big_bytes = self.client.load('big', [big])['bytes']
        frames, _ = datasets.load([big])
        deep = int(frames['big'].memory_usage(deep=True).sum())
        self.assertGreater(big_bytes - tiny_bytes, 0)
        self.assertLessEqual(big_bytes - tiny_bytes, 1.5 * deep,
                             'zygote %d bytes over a tiny one, pandas %d bytes' % (big_bytes - tiny_bytes, deep))

    def test_with_arrays_in_huge_pages_results_are_the_same_and_the_memory_limit_holds(self):
        """The supervisor's heap and its zygotes' arrays are moved onto transparent huge pages
        (datasets.huge_pages): the same values as pandas here, and an allocation beyond the child's address-space
        headroom still fails."""
        rows = 600_000
        rng = np.random.default_rng(9)
        frame = pd.DataFrame({'k': rng.choice(['a', 'b', 'c', 'd'], rows), 'v': rng.random(rows) * 1000,
                              'n': rng.integers(0, 50, rows)})
        spec = dict(support.write_canonical(frame, self.client.dir, 'wide'), default=True)
        self.assertEqual('loaded', self.client.load('w', [spec])['type'])
        code = "g = df.groupby('k').agg({'v': 'sum', 'n': 'mean'})\nresult = [g.index.tolist(), g['v'].tolist(), g['n'].tolist()]"
        names = {'df': datasets.load([spec])[0]['wide']}
        exec(compile(code, '<expected>', 'exec'), names)
        for _ in range(3):  # a fresh child each time
            header, body = self.client.execute('w', code)
            self.assertEqual('completed', header['outcome'], header)
            self.assertEqual(names['result'], body['result'])
        header, body = self.client.execute('w', 'result = int(np.ones(2 ** 31 // 8).sum())',
                                           limits={'address_space_headroom': 256 << 20})
        self.assertEqual('error', body['status'], body)
        self.assertEqual('MemoryError', body['error']['type'], body)
        self.assertEqual(names['result'], self.client.execute('w', code)[1]['result'])

    def test_executions_of_unknown_sessions_or_other_datasets_are_not_loaded(self):
        self.assertEqual('not_loaded', self.client.execute('nobody', 'result = 1')[0]['type'])
        self.client.load('s', [self.spec], key='k1')
        self.assertEqual('not_loaded', self.client.execute('s', 'result = 1', key='k2')[0]['type'])

    def test_a_session_is_loaded_once(self):
        first = self.client.request_id()
        second = self.client.request_id()
        for rid in (first, second):
            self.client.send({'op': 'load', 'id': rid, 'session': 's', 'key': 'k1', 'datasets': [self.spec]})
        for rid in (first, second):
            header, _ = self.client.receive(lambda h, rid=rid: h.get('id') == rid)
            self.assertEqual('loaded', header['type'])
        self.assertEqual(1, len(self.stats()['sessions']))
        self.assertEqual('loaded', self.client.load('s', [self.spec])['type'])

    def test_an_execution_sent_while_loading_is_not_loaded_and_a_second_load_waits_for_the_first(self):
        rid = self.client.request_id()
        self.client.send({'op': 'load', 'id': rid, 'session': 's', 'key': 'k1', 'datasets': [self.spec]})
        self.assertEqual('not_loaded', self.client.execute('s', 'result = len(df)')[0]['type'])
        self.assertEqual('loaded', self.client.load('s', [self.spec])['type'])
        self.assertEqual(10, self.client.execute('s', 'result = len(df)')[1]['result'])

    def test_new_datasets_replace_the_old_ones(self):
        self.client.load('s', [self.spec], key='k1')
        other = dict(support.write_canonical(pd.DataFrame({'y': [1, 2]}), self.client.dir, 'other'), default=True)
        self.assertEqual('loaded', self.client.load('s', [other], key='k2')['type'])
        self.assertEqual(['y'], self.client.execute('s', 'result = list(df.columns)', key='k2')[1]['result'])
        self.assertEqual('replaced', self.evictions()[0]['reason'])

    def test_datasets_that_cannot_be_read_fail_the_load_with_a_reason(self):
        missing = dict(self.spec, path=os.path.join(self.client.dir, 'missing.csv'))
        failed = self.client.load('s', [missing])
        self.assertEqual('load_failed', failed['type'])
        self.assertIn('FileNotFoundError', failed['error'])
        wrong_type = dict(self.spec, dtypes=dict(self.spec['dtypes'], name='int64'))
        failed = self.client.load('s', [wrong_type])
        self.assertEqual('load_failed', failed['type'])
        self.assertIn('ValueError', failed['error'])
        self.assertEqual('loaded', self.client.load('s', [self.spec])['type'])

    def test_evicted_sessions_must_be_loaded_again(self):
        self.client.load('s', [self.spec])
        self.client.send({'op': 'evict', 'session': 's'})
        header, _ = self.client.receive(lambda h: h.get('type') == 'evicted')
        self.assertEqual('requested', header['reason'])
        self.assertEqual('not_loaded', self.client.execute('s', 'result = 1')[0]['type'])

    def test_least_recently_used_sessions_are_evicted_beyond_the_memory_budget(self):
        self.client.close()
        self.client = support.SupervisorClient(memory_budget=80 << 20)
        frame = pd.DataFrame({'v': np.random.rand(1_500_000), 'w': np.arange(1_500_000)})  # about 33 MB each
        spec = dict(support.write_canonical(frame, self.client.dir, 'big'), default=True)
        for session in ('a', 'b'):
            self.assertEqual('loaded', self.client.load(session, [spec])['type'])
        self.client.execute('a', 'result = 1')  # b is now the least recently used
        loaded = self.client.load('c', [spec])
        self.assertLessEqual(loaded['cached_bytes'], 80 << 20)
        evicted = self.evictions()
        self.assertEqual(['b'], [e['session'] for e in evicted])
        self.assertEqual('memory budget', evicted[0]['reason'])
        self.assertEqual('not_loaded', self.client.execute('b', 'result = 1')[0]['type'])
        self.assertEqual(1, self.client.execute('a', 'result = 1')[1]['result'])

    def test_a_zygote_that_dies_fails_its_executions_and_is_created_again(self):
        self.client.load('s', [self.spec])
        pid = self.stats()['sessions'][0]['pid']
        rid = self.client.start('s', 'import time\ntime.sleep(30)', timeout_ms=60000)
        self.assertTrue(wait_until(self.running), 'the execution never reached its zygote')
        os.kill(pid, signal.SIGKILL)
        header, body = self.client.wait(rid, timeout=5)
        self.assertEqual('worker_died', header['outcome'])
        self.assertIn('signal 9', header['error'])
        self.assertEqual('not_loaded', self.client.execute('s', 'result = 1')[0]['type'])
        self.client.load('s', [self.spec])
        self.assertEqual(2, self.client.execute('s', 'result = 1 + 1')[1]['result'])

    def test_a_cancelled_execution_is_killed_at_once(self):
        self.client.load('s', [self.spec])
        rid = self.client.start('s', 'while True:\n    pass', timeout_ms=60000)
        self.assertTrue(wait_until(self.running), 'the execution never reached its zygote')
        started = time.monotonic()
        self.client.send({'op': 'cancel', 'id': rid})
        header, _ = self.client.wait(rid, timeout=5)
        self.assertEqual('cancelled', header['outcome'])
        self.assertLess(time.monotonic() - started, 1.0)

    def test_the_deadline_kills_the_child(self):
        self.client.load('s', [self.spec])
        header, body = self.client.execute('s', 'while True:\n    pass', timeout_ms=500)
        self.assertEqual('timeout', header['outcome'])
        self.assertIsNone(body)
        self.assertLess(header['duration_ms'], 900)

    def test_concurrent_executions_in_several_sessions_all_answer(self):
        for session in ('a', 'b'):
            self.client.load(session, [self.spec])
        ids = {}
        for i in range(12):
            session = 'ab'[i % 2]
            ids[self.client.start(session, 'result = int(df.x.sum()) + %d' % i)] = 45 + i
        for rid, expected in ids.items():
            header, body = self.client.wait(rid)
            self.assertEqual('completed', header['outcome'], header)
            self.assertEqual(expected, body['result'])

    def test_a_burst_of_requests_to_one_session_is_answered_in_full_while_spares_are_forked(self):
        """More requests at once than the zygote has spare children: those that arrive while it forks are handled
        right after the fork, each in a child of its own with the right answer."""
        self.client.load('s', [self.spec])
        ids = {self.client.start('s', 'result = int(df.x.sum()) * %d' % i): 45 * i for i in range(10)}
        for rid, expected in ids.items():
            header, body = self.client.wait(rid)
            self.assertEqual('completed', header['outcome'], header)
            self.assertEqual(expected, body['result'])

    def test_the_zygote_keeps_its_spares_forked_ahead_and_replaces_each_one_used(self):
        """Every request is handed to a child forked ahead; once requests come the zygote has as many waiting as it
        keeps (zygote.SPARES), no more: children that ran are gone and a used spare is replaced."""
        import zygote
        self.client.load('s', [self.spec])
        pid = self.stats()['sessions'][0]['pid']
        self.assertTrue(wait_until(lambda: len(support.children(pid)) == 1), support.children(pid))
        waiting = set(support.children(pid))
        self.assertEqual(45, self.client.execute('s', 'result = int(df.x.sum())')[1]['result'])
        self.assertTrue(wait_until(lambda: len(support.children(pid)) == zygote.SPARES), support.children(pid))
        waiting |= set(support.children(pid))
        for i in range(5):
            self.assertEqual(45 + i, self.client.execute('s', 'result = int(df.x.sum()) + %d' % i)[1]['result'])
        self.assertTrue(wait_until(lambda: len(support.children(pid)) == zygote.SPARES), support.children(pid))
        self.assertTrue(waiting.isdisjoint(support.children(pid)), 'a spare was not used, or not replaced')

    def test_a_zygote_without_requests_for_a_while_keeps_one_spare(self):
        """One spare before the first request, SPARES while requests come, one again after spare_idle_seconds."""
        import zygote
        self.client.close()
        self.client = support.SupervisorClient(timeout_ms=3000, configure={'spare_idle_seconds': 1.0})
        self.client.load('s', [self.spec])
        pid = self.stats()['sessions'][0]['pid']
        self.assertTrue(wait_until(lambda: len(support.children(pid)) == 1), support.children(pid))
        self.assertEqual(1, self.client.execute('s', 'result = 1')[1]['result'])
        self.assertTrue(wait_until(lambda: len(support.children(pid)) == zygote.SPARES), support.children(pid))
        self.assertTrue(wait_until(lambda: len(support.children(pid)) == 1), support.children(pid))
        self.assertEqual(2, self.client.execute('s', 'result = 2')[1]['result'])

    def test_malformed_requests_are_rejected_and_the_supervisor_goes_on(self):
        self.client.load('s', [self.spec])
        rid = self.client.request_id()
        self.client.send({'op': 'exec', 'id': rid, 'key': 'k1'})
        header, _ = self.client.receive(lambda h: h.get('id') == rid)
        self.assertEqual('rejected', header['outcome'])
        self.client.send({'op': 'no-such-op'})
        self.assertEqual(1, self.client.execute('s', 'result = 1')[1]['result'])

    def test_closing_stdin_stops_the_supervisor_and_every_zygote(self):
        self.client.load('s', [self.spec])
        pid = self.stats()['sessions'][0]['pid']
        self.assertTrue(wait_until(lambda: len(support.children(pid)) > 0), 'the zygote forked no spare')
        spares = support.children(pid)
        self.client.proc.stdin.close()
        self.assertEqual(0, self.client.proc.wait(10))
        self.assertTrue(wait_until(lambda: not support.alive(pid)), 'zygote %d outlived its supervisor' % pid)
        for spare in spares:
            self.assertTrue(wait_until(lambda: not support.alive(spare)), 'spare %d outlived its zygote' % spare)


if __name__ == '__main__':
    unittest.main()
