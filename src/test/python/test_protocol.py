"""Frames: length-prefixed, a JSON header and an opaque body; oversized or malformed frames are refused."""
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


if __name__ == '__main__':
    unittest.main()
