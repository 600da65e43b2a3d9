"""The worker protocol: the frames between the JVM, the supervisor and the session zygotes, and the messages they carry.

This module is the one description of the protocol; the JVM's side (io.llmanalytics.sandbox.WorkerProtocol with the
sealed WorkerRequest and WorkerReply records) follows it, and its tests and test_protocol.py check both against it.

Framing. A frame is ``uint32 total`` (big-endian) followed by ``total`` bytes: ``uint32 header_length``, a UTF-8 JSON
object (the header) and an opaque body (possibly empty). Bodies carry an execution child's JSON result through the
zygote and the supervisor untouched: neither parses nor evaluates what a child wrote.

Messages. A request's header has an ``op``, a reply's a ``type``; ``id`` (an integer chosen by the JVM) pairs a
reply with its request.

  JVM -> supervisor (requests)                    supervisor -> JVM (replies)
  {op: configure, allowed_modules, memory_budget, {type: ready, pid, python, pandas, numpy, confinement: {confined,
   idle_seconds, spare_idle_seconds,                landlock_abi, filesystem, network, signals, problem,
   allow_unconfined, landlock}                      allow_unconfined}}
   (first frame, exactly once)
  {op: load, id, session, key, datasets: [{name,  {type: loaded, id, session, key, bytes, shapes, cached_bytes,
   default, path, columns, dtypes, date_columns,    sessions}
   na_values}]}                                   {type: load_failed, id, session, key, error}
  {op: exec, id, session, key, code, limits,      {type: not_loaded, id}  (nothing ran; also while still loading)
   output, bindings}                              or {type: result, id, outcome, duration_ms, ...} + the child's
                                                  JSON as body, then {type: end_of_execution, id}
  {op: insights, id, session, key, limits,        as for exec; the child's JSON result is {insights: [...],
   options}                                        skipped, found} (see insights.py)
  {op: cancel, id}                                (the result of that execution, outcome cancelled, and its end)
  {op: evict, session}                            {type: evicted, session, reason, cached_bytes, sessions}
                                                  (also unasked: memory budget, idle, a zygote that stopped)
  {op: stats, id}                                 {type: stats, id, sessions: [...], cached_bytes}
  {op: shutdown}

  limits: {timeout_ms, cpu_seconds, address_space_headroom, max_open_files}
  output: {max_output, max_sample_rows, max_series_items, max_figures, max_figure_bytes}
          (and ``timings``, never sent by the JVM: bench/worker_phases.py asks the child for the times of its phases)

The end of an execution. An exec or insights request is answered by ``not_loaded``, or by exactly one ``result``
followed by ``end_of_execution`` with the same id (as e2b's EndOfExecution). The JVM learns that an execution ended
from ``end_of_execution``, never from a result alone or a closed stream: an end without a result, a second result,
and a result whose end does not come are protocol errors its caller sees as a failure.

Inside the worker: supervisor -> zygote {op: exec | insights | cancel | exit} (the same headers); zygote -> supervisor
{type: loaded, shapes, load_ms, bytes} or {type: load_failed, error} once, then result + end_of_execution per
execution; execution child -> zygote: one result frame on its pipe (see result_frame).
"""
import dataclasses
import json
import os
import struct

_U32 = struct.Struct('>I')
MAX_HEADER = 4 * 1024 * 1024


class ProtocolError(Exception):
    """A frame that cannot be decoded; the stream it came from cannot be trusted any more."""


class MalformedRequest(ValueError):
    """A request whose op is unknown or whose fields are missing or of the wrong type. ``op`` and ``id`` are what
    could be read of it (None otherwise), so that a reply can still name the request."""

    def __init__(self, op, request_id, message):
        super().__init__(message)
        self.op = op
        self.id = request_id


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


# An execution child's pipe carries one result frame: ``uint64 length`` (big-endian) and that many bytes of JSON,
# written by the child's trusted code after the analysis code has ended. A complete frame is the end of the child's
# output: its zygote replies at once and kills the child instead of waiting for its exit (the teardown of a process
# sharing the dataset's pages costs about as much as its fork). Anything else on the pipe is no result.
_RESULT_LENGTH = struct.Struct('>Q')
RESULT_PREFIX = _RESULT_LENGTH.size


def result_frame(payload):
    """The bytes an execution child writes to its pipe for ``payload``."""
    return _RESULT_LENGTH.pack(len(payload)) + payload


def result_length(prefix):
    """The payload length announced by the first RESULT_PREFIX bytes of a child's pipe."""
    return _RESULT_LENGTH.unpack_from(prefix)[0]


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


# -- requests ---------------------------------------------------------------------------------------------------------
# One frozen dataclass per op: the fields are the header's keys, their annotations the JSON types accepted (a field
# with a default may be absent; None is accepted only where the default is None).

@dataclasses.dataclass(frozen=True)
class Configure:
    op = 'configure'
    allowed_modules: str
    memory_budget: int = 2 << 30
    idle_seconds: float = 600.0
    spare_idle_seconds: float = 10.0  # a zygote keeps its second spare child this long after its last request
    allow_unconfined: bool = False
    landlock: str = 'auto'


@dataclasses.dataclass(frozen=True)
class Load:
    op = 'load'
    id: int
    session: str
    key: str
    datasets: list


@dataclasses.dataclass(frozen=True)
class Exec:
    op = 'exec'
    id: int
    session: str
    key: str
    code: str
    limits: dict = None
    output: dict = None
    bindings: dict = None  # {stepN: a result as output.py typed it}: earlier steps' results, decoded by bindings.py


@dataclasses.dataclass(frozen=True)
class Insights:
    op = 'insights'
    id: int
    session: str
    key: str
    limits: dict = None
    options: dict = None
    output: dict = None


@dataclasses.dataclass(frozen=True)
class Cancel:
    op = 'cancel'
    id: int


@dataclasses.dataclass(frozen=True)
class Evict:
    op = 'evict'
    session: str


@dataclasses.dataclass(frozen=True)
class Stats:
    op = 'stats'
    id: int


@dataclasses.dataclass(frozen=True)
class Shutdown:
    op = 'shutdown'


@dataclasses.dataclass(frozen=True)
class Exit:
    """Supervisor -> zygote only: exit once the executions in flight are done."""
    op = 'exit'


REQUESTS = {cls.op: cls for cls in (Configure, Load, Exec, Insights, Cancel, Evict, Stats, Shutdown, Exit)}

# what the JVM may send the supervisor, and what the supervisor may send a zygote (session and key stay behind)
SUPERVISOR_OPS = frozenset(('configure', 'load', 'exec', 'insights', 'cancel', 'evict', 'stats', 'shutdown'))
ZYGOTE_OPS = frozenset(('exec', 'insights', 'cancel', 'exit'))


def request_header(request):
    """The header of a request dataclass (fields left at None are left out)."""
    header = {'op': request.op}
    for field in dataclasses.fields(request):
        value = getattr(request, field.name)
        if value is not None:
            header[field.name] = value
    return header


def parse_request(header, ops=SUPERVISOR_OPS):
    """The request dataclass of ``header``; MalformedRequest when its op is not one of ``ops`` or a field is missing
    or of the wrong type."""
    op = header.get('op')
    request_id = header.get('id') if _is_int(header.get('id')) else None
    cls = REQUESTS.get(op) if op in ops else None
    if cls is None:
        raise MalformedRequest(op if isinstance(op, str) else None, request_id, 'unknown request %r' % (op,))
    values = {}
    for field in dataclasses.fields(cls):
        has_default = field.default is not dataclasses.MISSING
        if field.name not in header:
            if not has_default:
                raise MalformedRequest(op, request_id, '%s request without %s' % (op, field.name))
            continue
        value = header[field.name]
        if value is None and has_default and field.default is None:
            continue
        if not _is_a(value, field.type):
            raise MalformedRequest(op, request_id, '%s of the %s request is not %s' % (
                field.name, op, _JSON_NAMES[field.type]))
        values[field.name] = float(value) if field.type is float else value
    if cls is Load:
        for spec in values['datasets']:
            if not (isinstance(spec, dict) and isinstance(spec.get('name'), str) and isinstance(spec.get('path'), str)
                    and isinstance(spec.get('columns'), list)):
                raise MalformedRequest(op, request_id, 'a dataset of a load request needs a name, a path and columns')
    return cls(**values)


_JSON_NAMES = {int: 'an integer', str: 'a string', float: 'a number', bool: 'a boolean', list: 'a list',
               dict: 'an object'}


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _is_a(value, kind):
    if kind is int:
        return _is_int(value)
    if kind is float:
        return _is_int(value) or isinstance(value, float)
    return isinstance(value, kind)


# -- replies ----------------------------------------------------------------------------------------------------------
# One constructor per type; every reply the supervisor and the zygotes send is made here.

# how an execution ended (the ``outcome`` of a result); the JVM's ResultMapper maps each one
OUTCOMES = frozenset(('completed', 'timeout', 'cpu_limit', 'killed', 'crashed', 'no_output', 'too_large',
                      'cancelled', 'worker_died', 'rejected'))

REPLY_TYPES = frozenset(('ready', 'loaded', 'load_failed', 'not_loaded', 'result', 'end_of_execution', 'evicted',
                         'stats'))


def ready(pid, python, pandas, numpy, confinement):
    return {'type': 'ready', 'pid': pid, 'python': python, 'pandas': pandas, 'numpy': numpy,
            'confinement': confinement}


def loaded(request_id, session, key, size, shapes, cached_bytes, sessions):
    return {'type': 'loaded', 'id': request_id, 'session': session, 'key': key, 'bytes': size, 'shapes': shapes,
            'cached_bytes': cached_bytes, 'sessions': sessions}


def load_failed(request_id, session, key, error):
    return {'type': 'load_failed', 'id': request_id, 'session': session, 'key': key, 'error': str(error)}


def not_loaded(request_id):
    return {'type': 'not_loaded', 'id': request_id}


def result(request_id, outcome, **facts):
    """The result of an execution; ``facts``: duration_ms (to the microsecond), cpu_ms, max_rss_kb, signal, exit_code, error. Always
    followed by ``end_of_execution(request_id)``."""
    if outcome not in OUTCOMES:
        raise ValueError('unknown outcome %r' % (outcome,))
    header = {'type': 'result', 'id': request_id, 'outcome': outcome}
    header.update((name, value) for name, value in facts.items() if value is not None)
    return header


def end_of_execution(request_id):
    """The last message of an execution: its result was sent, nothing more will come for ``request_id``."""
    return {'type': 'end_of_execution', 'id': request_id}


def evicted(session, reason, cached_bytes, sessions):
    return {'type': 'evicted', 'session': session, 'reason': reason, 'cached_bytes': cached_bytes,
            'sessions': sessions}


def stats(request_id, sessions, cached_bytes):
    return {'type': 'stats', 'id': request_id, 'sessions': sessions, 'cached_bytes': cached_bytes}


def zygote_loaded(shapes, load_ms, size):
    """Zygote -> supervisor, once: the session's datasets are in memory."""
    return {'type': 'loaded', 'shapes': shapes, 'load_ms': load_ms, 'bytes': size}


def zygote_load_failed(error):
    """Zygote -> supervisor, once, just before the zygote exits."""
    return {'type': 'load_failed', 'error': str(error)}
