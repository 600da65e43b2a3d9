"""Frames: length-prefixed, a JSON header and an opaque body; oversized or malformed frames are refused. Messages: every
request parses into its dataclass and back, malformed ones are refused naming the field, every reply is built by its
constructor, and a real execution ends with end_of_execution."""
import support  # noqa: I100

import os
import struct
import unittest

import protocol


class ProtocolTest(unittest.TestCase):

    def test_round_trip_in_pieces(self):
        data = protocol.encode({'type': 'result', 'id': 7, 'text': 'é'}, b'{"status":"ok"}')
        data += protocol.encode({'type': 'loaded'})
        reader = protocol.FrameReader(1 << 20)
        frames = []
        for i in range(len(data)):
            frames += reader.feed(data[i:i + 1])
        self.assertEqual([({'type': 'result', 'id': 7, 'text': 'é'}, b'{"status":"ok"}'), ({'type': 'loaded'}, b'')],
                         frames)

    def test_oversized_frames_are_refused_before_they_are_read(self):
        reader = protocol.FrameReader(100)
        with self.assertRaises(protocol.ProtocolError):
            reader.feed(struct.pack('>I', 101))

    def test_malformed_frames_are_refused(self):
        for payload in (b'\x00\x00', struct.pack('>I', 50) + b'{}', struct.pack('>I', 2) + b'{x',
                        struct.pack('>I', 2) + b'[]', struct.pack('>I', 2) + b'\xff\xfe'):
            with self.subTest(payload=payload):
                with self.assertRaises(protocol.ProtocolError):
                    protocol.FrameReader(1 << 20).feed(struct.pack('>I', len(payload)) + payload)

    def test_blocking_reads(self):
        read_fd, write_fd = os.pipe()
        try:
            protocol.write_all(write_fd, protocol.encode({'op': 'ping'}, b'body'))
            os.close(write_fd)
            self.assertEqual(({'op': 'ping'}, b'body'), protocol.read_frame(read_fd, 1 << 20))
            self.assertIsNone(protocol.read_frame(read_fd, 1 << 20))
        finally:
            os.close(read_fd)

    def test_a_stream_cut_inside_a_frame_is_an_error(self):
        read_fd, write_fd = os.pipe()
        try:
            os.write(write_fd, protocol.encode({'op': 'ping'})[:6])
            os.close(write_fd)
            with self.assertRaises(protocol.ProtocolError):
                protocol.read_frame(read_fd, 1 << 20)
        finally:
            os.close(read_fd)

    def test_non_finite_numbers_never_reach_a_header(self):
        with self.assertRaises(ValueError):
            protocol.encode({'x': float('nan')})



EVERY_REQUEST = [
    {'op': 'configure', 'allowed_modules': 'pandas\nnumpy', 'memory_budget': 1 << 30, 'idle_seconds': 60.0,
     'spare_idle_seconds': 2.5, 'allow_unconfined': False, 'landlock': 'auto'},
    {'op': 'load', 'id': 3, 'session': 's', 'key': 'k', 'datasets': [
        {'name': 'sales', 'default': True, 'path': '/tmp/a.csv', 'columns': ['x'], 'dtypes': {'x': 'int64'},
         'date_columns': [], 'na_values': ['']}]},
    {'op': 'exec', 'id': 4, 'session': 's', 'key': 'k', 'code': 'result = 1',
     'limits': {'timeout_ms': 5000, 'cpu_seconds': 6, 'address_space_headroom': 1 << 30, 'max_open_files': 64},
     'output': {'max_output': 100, 'max_sample_rows': 5, 'max_series_items': 10, 'max_figures': 1,
                'max_figure_bytes': 1000}},
    {'op': 'insights', 'id': 5, 'session': 's', 'key': 'k', 'limits': {'timeout_ms': 5000}, 'options': {'a': 1},
     'output': {'max_output': 100}},
    {'op': 'cancel', 'id': 4},
    {'op': 'evict', 'session': 's'},
    {'op': 'stats', 'id': 6},
    {'op': 'shutdown'},
]


class MessagesTest(unittest.TestCase):

    def test_every_request_round_trips_through_its_dataclass(self):
        self.assertEqual(protocol.SUPERVISOR_OPS, {header['op'] for header in EVERY_REQUEST})
        for header in EVERY_REQUEST:
            with self.subTest(op=header['op']):
                request = protocol.parse_request(header)
                self.assertIs(protocol.REQUESTS[header['op']], type(request))
                self.assertEqual(header, protocol.request_header(request))
                payload = protocol.encode(protocol.request_header(request))
                self.assertEqual([(header, b'')], protocol.FrameReader(1 << 20).feed(payload))

    def test_optional_fields_take_their_defaults(self):
        configure = protocol.parse_request({'op': 'configure', 'allowed_modules': 'pandas'})
        self.assertEqual((2 << 30, 600.0, False, 'auto'), (configure.memory_budget, configure.idle_seconds,
                                                          configure.allow_unconfined, configure.landlock))
        insights = protocol.parse_request({'op': 'insights', 'id': 1, 'session': 's', 'key': 'k', 'options': None})
        self.assertIsNone(insights.options)
        self.assertIsInstance(protocol.parse_request({'op': 'configure', 'allowed_modules': '', 'idle_seconds': 5})
                              .idle_seconds, float)

    def test_malformed_requests_are_refused_naming_the_problem(self):
        cases = [
            ({'op': 'exec', 'id': 1, 'key': 'k', 'code': ''}, 'exec', 1, 'exec request without session'),
            ({'op': 'exec', 'id': 1, 'session': 's', 'key': 'k', 'code': 7}, 'exec', 1,
             'code of the exec request is not a string'),
            ({'op': 'cancel', 'id': True}, 'cancel', None, 'id of the cancel request is not an integer'),
            ({'op': 'load', 'id': 2, 'session': 's', 'key': 'k', 'datasets': [{'name': 'a'}]}, 'load', 2,
             'a dataset of a load request needs a name, a path and columns'),
            ({'op': 'format-disk', 'id': 3}, 'format-disk', 3, "unknown request 'format-disk'"),
            ({'id': 3}, None, 3, 'unknown request None'),
        ]
        for header, op, request_id, message in cases:
            with self.subTest(header=header):
                with self.assertRaises(protocol.MalformedRequest) as caught:
                    protocol.parse_request(header)
                self.assertEqual((op, request_id, message), (caught.exception.op, caught.exception.id,
                                                             str(caught.exception)))

    def test_a_zygote_accepts_only_its_ops(self):
        self.assertIsInstance(protocol.parse_request({'op': 'exit'}, protocol.ZYGOTE_OPS), protocol.Exit)
        with self.assertRaises(protocol.MalformedRequest):
            protocol.parse_request({'op': 'exit'})  # the JVM cannot send it
        with self.assertRaises(protocol.MalformedRequest):
            protocol.parse_request({'op': 'load', 'id': 1, 'session': 's', 'key': 'k', 'datasets': []},
                                   protocol.ZYGOTE_OPS)

    def test_every_reply_has_a_constructor_with_its_type(self):
        replies = [
            protocol.ready(1, '3.11', '1.5.3', '1.24', {'confined': True}),
            protocol.loaded(2, 's', 'k', 10, {'a': [1, 2]}, 10, 1),
            protocol.load_failed(2, 's', 'k', ValueError('bad')),
            protocol.not_loaded(3),
            protocol.result(3, 'completed', duration_ms=4, signal=None),
            protocol.end_of_execution(3),
            protocol.evicted('s', 'idle', 0, 0),
            protocol.stats(4, [], 0),
        ]
        self.assertEqual(protocol.REPLY_TYPES, {reply['type'] for reply in replies})
        self.assertEqual('bad', replies[2]['error'])
        self.assertEqual({'type': 'result', 'id': 3, 'outcome': 'completed', 'duration_ms': 4}, replies[4])
        for reply in replies:
            protocol.encode(reply)  # every reply is JSON

    def test_a_result_names_a_known_outcome(self):
        for outcome in protocol.OUTCOMES:
            self.assertEqual(outcome, protocol.result(1, outcome)['outcome'])
        with self.assertRaises(ValueError):
            protocol.result(1, 'fine')

    def test_the_java_codec_knows_every_message(self):
        """WorkerProtocol.java decodes every reply type and encodes every op of this module."""
        java = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'main', 'java', 'io',
                            'llmanalytics', 'sandbox', 'WorkerProtocol.java')
        with open(java, encoding='utf-8') as f:
            source = f.read()
        for reply_type in protocol.REPLY_TYPES:
            self.assertIn('case "%s" ->' % reply_type, source)
        for op in protocol.SUPERVISOR_OPS:
            self.assertIn('put("op", "%s")' % op, source)


class EndOfExecutionTest(unittest.TestCase):
    """Through the real supervisor: every execution's result is followed by its end, and nothing after it."""

    @classmethod
    def setUpClass(cls):
        import pandas as pd
        cls.client = support.SupervisorClient(timeout_ms=3000)
        spec = dict(support.write_canonical(pd.DataFrame({'x': [1, 2, 3]}), cls.client.dir, 'small'), default=True)
        assert cls.client.load('s', [spec])['type'] == 'loaded'

    @classmethod
    def tearDownClass(cls):
        cls.client.close()

    def frames_of(self, rid):
        """The frames of execution ``rid`` up to its end."""
        frames = []
        while True:
            header, body = self.client.receive(lambda h: h.get('id') == rid)
            frames.append((header['type'], header.get('outcome')))
            if header['type'] in ('end_of_execution', 'not_loaded'):
                return frames

    def test_a_completed_execution_sends_its_result_then_its_end(self):
        rid = self.client.start('s', 'result = int(df.x.sum())')
        self.assertEqual([('result', 'completed'), ('end_of_execution', None)], self.frames_of(rid))

    def test_an_execution_that_fails_or_times_out_also_ends(self):
        for code, outcome in (('raise ValueError(1)', 'completed'), ('while True:\n    pass', 'timeout')):
            with self.subTest(code=code):
                rid = self.client.start('s', code, timeout_ms=500)
                self.assertEqual([('result', outcome), ('end_of_execution', None)], self.frames_of(rid))

    def test_a_malformed_execution_is_rejected_and_ended(self):
        rid = self.client.request_id()
        self.client.send({'op': 'exec', 'id': rid, 'session': 's', 'key': 'k1', 'code': 42})
        self.assertEqual([('result', 'rejected'), ('end_of_execution', None)], self.frames_of(rid))

    def test_an_execution_of_a_session_not_loaded_has_no_end(self):
        rid = self.client.start('nobody', 'result = 1')
        self.assertEqual([('not_loaded', None)], self.frames_of(rid))


if __name__ == '__main__':
    unittest.main()
