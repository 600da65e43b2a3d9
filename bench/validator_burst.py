"""A burst of questions against a running service (bench/validator.sh): uploads a small table, then asks N questions
at once, round after round, until the validator reports every context warm (ready_contexts == max_contexts) or 20
rounds. Prints "rounds answered asked ready_contexts max_contexts".
Usage: validator_burst.py PORT [N]"""
import json
import subprocess
import sys
import tempfile
import threading
import urllib.request

port, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 16
base = f"http://127.0.0.1:{port}"
with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
    f.write("region,revenue,units\n" + "".join(f"{r},{1000 + i * 7},{i % 13}\n"
                                             for i, r in enumerate(["North", "South", "East", "West"] * 250)))
out = subprocess.run(["curl", "-s", "-F", f"file=@{f.name}", f"{base}/api/session/create"], capture_output=True,
                     text=True, check=True).stdout
session = json.loads(out)["session_id"]
questions = ["What is the total revenue?", "What is the average revenue by region?", "How many rows are there?",
             "What is the maximum units?"]
counts = {"answered": 0, "asked": 0}
lock = threading.Lock()


def ask(question):
    req = urllib.request.Request(f"{base}/api/session/{session}/analyze", json.dumps({"question": question}).encode(),
                                 {"Content-Type": "application/json", "Accept": "application/json"})
    ok = False
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            ok = r.status == 200
    except Exception:
        pass
    with lock:
        counts["asked"] += 1
        counts["answered"] += ok


def state():
    with urllib.request.urlopen(f"{base}/api/health", timeout=5) as r:
        v = json.load(r)["components"]["validator"]["details"]
    return v.get("ready_contexts", 0), v.get("max_contexts", v.get("contexts", 0))


rounds = 0
while rounds < 20:
    rounds += 1
    threads = [threading.Thread(target=ask, args=(questions[i % len(questions)],)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ready, most = state()
    if ready >= most:
        break
ready, most = state()
print(rounds, counts["answered"], counts["asked"], ready, most)
