"""A misbehaving worker for SandboxProtocolTest: it speaks the framing and the messages of worker/protocol.py, then
breaks them on request (the code of an exec request says how). The real worker never does this; the service must
survive it anyway."""
import json
import os
import struct
import sys


def read_exactly(n):
    data = b''
    while len(data) < n:
        chunk = os.read(0, n - len(data))
        if not chunk:
            sys.exit(0)
        data += chunk
    return data


def send(header, body=b''):
    head = json.dumps(header).encode()
    os.write(1, struct.pack('>II', 4 + len(head) + len(body), len(head)) + head + body)


def send_raw(data):
    os.write(1, data)


# the JVM refuses to run code on a worker that does not report its confinement: this fake one tests the protocol
# framing only and runs no analysis code, so it reports what a confined worker reports
send({'type': 'ready', 'pid': os.getpid(), 'python': 'fake', 'pandas': 'fake',
      'confinement': {'confined': True, 'landlock_abi': 7, 'filesystem': True, 'network': True, 'signals': True,
                      'problem': None, 'allow_unconfined': False}})
while True:
    (total,) = struct.unpack('>I', read_exactly(4))
    payload = read_exactly(total)
    (head_length,) = struct.unpack('>I', payload[:4])
    request = json.loads(payload[4:4 + head_length])
    if request.get('op') != 'exec':
        continue
    rid, code = request['id'], request['code']
    result = {'type': 'result', 'id': rid, 'outcome': 'completed', 'duration_ms': 1}
    end = {'type': 'end_of_execution', 'id': rid}
    if code == 'ok':
        send(result, b'{"status": "ok", "result": 42, "stdout": "", "figures": []}')
        send(end)
    elif code == 'not-json':
        send(result, b'\xff\xfe not json')
        send(end)
    elif code == 'not-an-object':
        send(result, b'[1, 2, 3]')
        send(end)
    elif code == 'oversized':
        send(result, b' ' * (25 * 1024 * 1024))
        send(end)
    elif code == 'no-end':
        send(result, b'{"status": "ok", "result": 42, "stdout": "", "figures": []}')
    elif code == 'end-without-result':
        send(end)
    elif code == 'two-results':
        send(result, b'{"status": "ok", "result": 42, "stdout": "", "figures": []}')
        send(result, b'{"status": "ok", "result": 43, "stdout": "", "figures": []}')
        send(end)
    elif code == 'unknown-type':
        send({'type': 'surprise', 'id': rid})
    elif code == 'result-then-die':
        send(result, b'{"status": "ok", "result": 42, "stdout": "", "figures": []}')
        sys.exit(4)
    elif code == 'bad-header':
        send_raw(struct.pack('>II', 12, 8) + b'{{{{{{{{')
    elif code == 'huge-header':
        send_raw(struct.pack('>II', 100, 99 * 1024 * 1024))
    elif code == 'die':
        sys.exit(3)
    elif code == 'silent':
        pass
