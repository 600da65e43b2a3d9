"""Frames between the JVM, the supervisor and the session zygotes.

A frame is ``uint32 total`` (big-endian) followed by ``total`` bytes: ``uint32 header_length``, a UTF-8 JSON object
(the header) and an opaque body (possibly empty). Bodies carry an execution child's JSON result through the
zygote and the supervisor untouched: neither parses nor evaluates what a child wrote.
"""
import json
import os
import struct

_U32 = struct.Struct('>I')
MAX_HEADER = 4 * 1024 * 1024


class ProtocolError(Exception):
    """A frame that cannot be decoded; the stream it came from cannot be trusted any more."""


def encode(header, body=b''):
    head = json.dumps(header, separators=(',', ':'), ensure_ascii=False, allow_nan=False).encode('utf-8')
    return _U32.pack(4 + len(head) + len(body)) + _U32.pack(len(head)) + head + body


def decode(payload):
    """Splits the bytes after the total length into (header dict, body bytes)."""
    if len(payload) < 4:
        raise ProtocolError('frame shorter than its header length')
    (head_len,) = _U32.unpack_from(payload, 0)
    if head_len > len(payload) - 4 or head_len > MAX_HEADER:
        raise ProtocolError('header length %d exceeds the frame' % head_len)
    try:
        header = json.loads(payload[4:4 + head_len].decode('utf-8'))
    except (UnicodeDecodeError, ValueError) as e:
        raise ProtocolError('header is not JSON: %s' % e) from None
    if not isinstance(header, dict):
        raise ProtocolError('header is not a JSON object')
    return header, bytes(payload[4 + head_len:])


class FrameReader:
    """Collects frames from a non-blocking byte stream, refusing frames larger than ``max_frame``."""

    def __init__(self, max_frame):
        self._buf = bytearray()
        self._max = max_frame

    def feed(self, data):
        """Adds bytes and returns the complete frames as (header, body) pairs."""
        self._buf += data
        frames = []
        while len(self._buf) >= 4:
            (total,) = _U32.unpack_from(self._buf, 0)
            if total > self._max:
                raise ProtocolError('frame of %d bytes exceeds the limit of %d' % (total, self._max))
            if len(self._buf) < 4 + total:
                break
            payload = bytes(self._buf[4:4 + total])
            del self._buf[:4 + total]
            frames.append(decode(payload))
        return frames


def write_all(fd, data):
    """Writes all of ``data`` to a blocking file descriptor."""
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def read_frame(fd, max_frame):
    """Reads one frame from a blocking descriptor; None at end of stream."""
    head = _read_exactly(fd, 4)
    if head is None:
        return None
    (total,) = _U32.unpack(head)
    if total > max_frame:
        raise ProtocolError('frame of %d bytes exceeds the limit of %d' % (total, max_frame))
    payload = _read_exactly(fd, total)
    if payload is None:
        raise ProtocolError('stream ended inside a frame')
    return decode(payload)


def _read_exactly(fd, n):
    chunks = []
    while n:
        chunk = os.read(fd, min(n, 1 << 20))
        if not chunk:
            if chunks:
                raise ProtocolError('stream ended inside a frame')
            return None
        chunks.append(chunk)
        n -= len(chunk)
    return b''.join(chunks)
